import { add, concat, mul, reshape, slice, type Tensor, tensor } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { fieldMonodromyReport, fieldMonodromyTrace } from "../eval/monodromy.js";
import {
  type FieldSamples,
  type FieldSystem,
  type FieldTrajectories,
  fieldSamples,
} from "../fields/field-system.js";
import { heisenbergAdvance, type SpinField } from "../fields/heisenberg.js";
import { heisenbergFieldSystem, heisenbergTrajectories } from "../fields/heisenberg-samples.js";
import { sineGordonAdvance } from "../fields/sine-gordon.js";
import { sineGordonFieldSystem, sineGordonTrajectories } from "../fields/sine-gordon-samples.js";
import type { PeriodicGrid } from "../fields/spectral.js";
import { withSeparation } from "./field-connection-systems.js";
import { heisenbergConnection, heisenbergConnectionSu2, sineGordonConnection } from "./field-connections.js";
import { LaxModel } from "./model.js";
import { quadraticLift } from "./quadratic-lift.js";
import {
  type ConnectionFns,
  curvatureParts,
  EQUATION_FLOOR,
  fieldBatch,
  tracelessPart,
  zeroCurvatureLoss,
  zeroCurvatureResidual,
} from "./zero-curvature.js";
import { FIELD_CONNECTION_WEIGHTS } from "./zero-curvature-learn.js";

const sg = sineGordonTrajectories({ trajectories: 3, time: 0.4, snapshots: 3, seed: 7 });
const he = heisenbergTrajectories({ trajectories: 3, time: 0.2, snapshots: 3, seed: 7 });

/** The central difference's step along Heisenberg trajectories. */
const HE_DELTA = 2e-4;

const advanceSineGordon = (grid: PeriodicGrid, s: Float64Array[], dt: number) =>
  sineGordonAdvance(grid, { phi: s[0], pi: s[1] }, dt / 20, 20);
const advanceHeisenberg = (grid: PeriodicGrid, s: Float64Array[], dt: number) =>
  heisenbergAdvance(grid, s as SpinField, dt / 20, 20);

/**
 * Points of the first snapshot of every trajectory advanced by δ, with f_t from the trajectory
 * itself, (f(t + δ) − f(t − δ)) / 2δ: no use of the equation's rates. f_x and the rate come from
 * the system's jet at t.
 */
function trajectoryBatch(
  system: FieldSystem,
  data: FieldTrajectories,
  advance: (grid: PeriodicGrid, s: Float64Array[], dt: number) => void,
  delta: number,
): { s: FieldSamples; fPlus: Float64Array; fMinus: Float64Array; ftEquation: Float64Array } {
  const { grid } = data;
  const rows: number[][] = [];
  for (const traj of data.states) {
    const state = traj[0].map((c) => Float64Array.from(c));
    const feats = [system.features(grid, state)];
    advance(grid, state, delta);
    const jet = system.jet(grid, state);
    feats.push(jet.f);
    advance(grid, state, delta);
    feats.push(system.features(grid, state));
    const [m, c, p] = feats;
    for (let j = 0; j < grid.n; j += 4)
      rows.push(
        c.flatMap((_, k) => [
          c[k][j],
          jet.fx[k][j],
          (p[k][j] - m[k][j]) / (2 * delta),
          m[k][j],
          p[k][j],
          jet.ft[k][j],
        ]),
      );
  }
  const dim = system.featureNames.length;
  const pick = (q: number) => Float64Array.from(rows.flatMap((r) => r.filter((_, i) => i % 6 === q)));
  const s = {
    count: rows.length,
    dim,
    f: pick(0),
    fx: pick(1),
    ft: pick(2),
    phit: new Float64Array(rows.length),
  };
  return { s, fPlus: pick(4), fMinus: pick(3), ftEquation: pick(5) };
}

const relativeDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
};

/** |∂_t A_x (chain rule) − the central difference of A_x along the trajectory| / |∂_t A_x|. */
function chainRuleError(system: FieldSystem, data: FieldTrajectories, advance: typeof advanceSineGordon) {
  const delta = 1e-3;
  const { s, fPlus, fMinus } = trajectoryBatch(system, data, advance, delta);
  const model = new LaxModel({ inputs: s.dim, size: 3, hidden: [8], seed: 3 });
  const params = model.init();
  const c: ConnectionFns = { size: 3, Ax: (f) => model.L(params, f), At: (f) => model.M(params, f) };
  const dtAx = curvatureParts(c, fieldBatch(s)).dtAx.toFloat64Array();
  const A = (f: Float64Array) => c.Ax(tensor(f, [s.count, s.dim])).toFloat64Array();
  const [ap, am] = [A(fPlus), A(fMinus)];
  return relativeDiff(
    ap.map((v, i) => (v - am[i]) / (2 * delta)),
    dtAx,
  );
}

/** The curvature when f_t is moved off shell by `shift` (a [dim] vector at every point). */
function offShellCurvature(c: ConnectionFns, s: FieldSamples, shift: number[]): Float64Array {
  const ft = s.ft.map((v, i) => v + shift[i % s.dim]);
  return curvatureParts(c, fieldBatch({ ...s, ft })).curvature.toFloat64Array();
}

describe("sine-Gordon field samples and connection", () => {
  const batch = fieldBatch(fieldSamples(sineGordonFieldSystem, sg, 256, 1));

  it("f_t from the equation matches the trajectory's central difference", () => {
    const { s, ftEquation } = trajectoryBatch(sineGordonFieldSystem, sg, advanceSineGordon, 1e-3);
    // the central difference errs by δ²f_ttt/6 and Verlet (h = δ/20) by ~δh²: ≈ 1e-7 relative
    expect(relativeDiff(s.ft, ftEquation)).toBeLessThan(1e-5);
  });

  it("the known connection is flat on the data and a perturbed one is not", () => {
    for (const k of [1, 0.5, -2]) {
      expect(zeroCurvatureResidual(sineGordonConnection(k), batch)).toBeLessThan(1e-12);
      expect(zeroCurvatureResidual(sineGordonConnection(k, 0.1), batch)).toBeGreaterThan(1e-2);
    }
    // f_t from the trajectory: the difference quotient's error, ≈ δ² relative
    const fd = fieldBatch(trajectoryBatch(sineGordonFieldSystem, sg, advanceSineGordon, 1e-3).s);
    expect(zeroCurvatureResidual(sineGordonConnection(1), fd)).toBeLessThan(1e-5);
    expect(zeroCurvatureResidual(sineGordonConnection(1, 0.1), fd)).toBeGreaterThan(1e-2);
  });

  it("off shell its curvature is −¼(φ_tt − φ_xx + sin φ)J: the connection encodes the equation", () => {
    const s = fieldSamples(sineGordonFieldSystem, sg, 64, 2);
    // φ_tt off by e = 0.3 at every point: the curvature is −(e/4)[[0, 1], [−1, 0]]
    const F = offShellCurvature(sineGordonConnection(0.7), s, [0, 0.3, 0, 0]);
    const J = [0, -0.075, 0.075, 0];
    expect(Math.max(...F.map((v, i) => Math.abs(v - J[i % 4])))).toBeLessThan(1e-14);
  });

  it("∂_t A_x by the chain rule matches a finite difference along the trajectory", () => {
    expect(chainRuleError(sineGordonFieldSystem, sg, advanceSineGordon)).toBeLessThan(1e-5);
  });

  it("tr P exp ∮A_x dx of the known connection is conserved along trajectories", () => {
    // Verlet's O(h²) error on trajectories of length 0.4 (measured ≤ 1.5e-5 over t ≤ 4)
    const r = fieldMonodromyReport(sineGordonConnection(1), sineGordonFieldSystem, sg);
    for (const v of r.variation) expect(v).toBeLessThan(1e-4);
    // ... and it tells the trajectories apart
    expect(r.variationVsAcross).toBeLessThan(1e-4);
  });

  it("a connection flat for every field is flat off shell, has 𝓛_EQ = κ and one trace for all", () => {
    // E = cos φ σ₃ + sin φ σ₁, E' = ∂E/∂φ, [J, E] = −2E': A_x = E − (φ_x/2)J, A_t = −E − (φ_t/2)J
    // has curvature (φ_t + φ_x)E'(1 − 1) = 0 whatever φ does (the trap the learner fell into)
    const col = (f: Tensor, k: number) => slice(f, [0, k], [f.shape[0], k + 1]);
    const entries = (f: Tensor, sign: number, d: number) => {
      const [c, sn, h] = [mul(col(f, 3), sign), mul(col(f, 2), sign), mul(col(f, d), 0.5)];
      return reshape(concat([c, add(sn, mul(h, -1)), add(sn, h), mul(c, -1)], 1), [f.shape[0], 2, 2]);
    };
    const trivial: ConnectionFns = { size: 2, Ax: (f) => entries(f, 1, 0), At: (f) => entries(f, -1, 1) };
    const s = fieldSamples(sineGordonFieldSystem, sg, 64, 2);
    expect(zeroCurvatureResidual(trivial, batch)).toBeLessThan(1e-14);
    const off = offShellCurvature(trivial, s, [0, 0.3, 0, 0]);
    expect(Math.max(...off.map(Math.abs))).toBeLessThan(1e-14);
    // 𝓛_EQ: A_x has no φ_t, so none of ∂_t A_x comes through φ_tt; the known one's share is 0.33 at k = 1
    const w = { ...FIELD_CONNECTION_WEIGHTS, equation: 1 };
    const rated = fieldBatch(
      fieldSamples(sineGordonFieldSystem, sg, 256, 1),
      sineGordonFieldSystem.rateFeature,
    );
    expect(zeroCurvatureLoss(trivial, rated, w).equation?.item()).toBeCloseTo(EQUATION_FLOOR, 12);
    expect(zeroCurvatureLoss(sineGordonConnection(1), rated, w).equation?.item()).toBe(0);
    expect(() => zeroCurvatureLoss(trivial, batch, w)).toThrow(PhysmlInputError);
    // its trace is the same on every trajectory: it conserves nothing, and the check says so
    const r = fieldMonodromyReport(trivial, sineGordonFieldSystem, sg);
    expect(r.variationVsAcross).toBeGreaterThan(0.1);
    const v = { passed: true, failures: [], checked: [0, 1, 2] };
    expect(withSeparation(v, r.variationVsAcross).passed).toBe(false);
    expect(withSeparation(v, 1e-5)).toEqual(v);
  });
});

describe("Heisenberg field samples and connection", () => {
  const samples = fieldSamples(heisenbergFieldSystem, he, 256, 1);
  const batch = fieldBatch(samples);

  it("sampled spins have |S| = 1 and S·S_x = 0", () => {
    for (let r = 0; r < samples.count; r++) {
      const v = samples.f.subarray(6 * r, 6 * r + 6);
      expect(Math.abs(Math.hypot(v[0], v[1], v[2]) - 1)).toBeLessThan(1e-12);
      // spectral S_x of a resolved texture: measured ≤ 1e-9
      expect(Math.abs(v[0] * v[3] + v[1] * v[4] + v[2] * v[5])).toBeLessThan(1e-7);
    }
  });

  it("f_t from the equation matches the trajectory's central difference", () => {
    // S_ttt carries k⁶ of the dispersion ω = k², so δ is 5× smaller than sine-Gordon's: δ²k⁴/6
    // with k ≈ 3 is ≈ 5e-7
    const { s, ftEquation } = trajectoryBatch(heisenbergFieldSystem, he, advanceHeisenberg, HE_DELTA);
    expect(relativeDiff(s.ft, ftEquation)).toBeLessThan(1e-5);
  });

  it("the so(3) connection and the realified su(2) one are flat; wrong ones are not", () => {
    for (const lambda of [1, 0.5, -2]) {
      // the identities |S| = 1 and S·S_x = 0 hold to the aliasing level (measured 9e-9)
      expect(zeroCurvatureResidual(heisenbergConnection(lambda), batch)).toBeLessThan(1e-7);
      expect(zeroCurvatureResidual(heisenbergConnectionSu2(lambda / 2), batch)).toBeLessThan(1e-7);
      expect(zeroCurvatureResidual(heisenbergConnection(lambda, 0.1), batch)).toBeGreaterThan(1e-2);
      // A_t = −2iμ² S·σ − … (the other sign of the λ² term) is flat for S_t = −S × S_xx only
      expect(zeroCurvatureResidual(heisenbergConnectionSu2(lambda / 2, -1), batch)).toBeGreaterThan(0.5);
    }
    const fd = fieldBatch(trajectoryBatch(heisenbergFieldSystem, he, advanceHeisenberg, HE_DELTA).s);
    expect(zeroCurvatureResidual(heisenbergConnection(1), fd)).toBeLessThan(1e-5);
    expect(zeroCurvatureResidual(heisenbergConnection(1, 0.1), fd)).toBeGreaterThan(1e-2);
  });

  it("off shell its curvature is λ[S_t − S × S_xx]×", () => {
    const s = fieldSamples(heisenbergFieldSystem, he, 64, 2);
    // S_t off by e = (0.2, −0.1, 0.4): the curvature is 0.8·[e]×
    const F = offShellCurvature(heisenbergConnection(0.8), s, [0.2, -0.1, 0.4, 0, 0, 0]);
    const e = [0.16, -0.08, 0.32];
    const X = [0, -e[2], e[1], e[2], 0, -e[0], -e[1], e[0], 0];
    expect(Math.max(...F.map((v, i) => Math.abs(v - X[i % 9])))).toBeLessThan(1e-7);
  });

  it("∂_t A_x by the chain rule matches a finite difference along the trajectory", () => {
    expect(chainRuleError(heisenbergFieldSystem, he, advanceHeisenberg)).toBeLessThan(1e-5);
  });

  it("the monodromy is conserved, and its adjoint trace is (tr of the su(2) one)² − 1", () => {
    const r = fieldMonodromyReport(heisenbergConnection(1), heisenbergFieldSystem, he);
    for (const v of r.variation) expect(v).toBeLessThan(1e-6);
    for (const traj of he.states) {
      // 16× refinement: the two transports differ by 9e-7 at 4× and 1.1e-8 at 16× (measured), both
      // far below the traces' O(1) spread
      const trace = (c: ConnectionFns) => fieldMonodromyTrace(c, heisenbergFieldSystem, he.grid, traj[0], 16);
      // the realified trace is 2 Re tr U, and tr U is real for U ∈ SU(2)
      const su2 = trace(heisenbergConnectionSu2(0.5)) / 2;
      expect(Math.abs(trace(heisenbergConnection(1)) - (su2 * su2 - 1))).toBeLessThan(1e-7);
    }
  });

  it("𝓛_NA is zero for the known connection and κ for the flat abelian one of spin conservation", () => {
    const w = FIELD_CONNECTION_WEIGHTS;
    expect(zeroCurvatureLoss(heisenbergConnection(1), batch, w).commutator?.item()).toBe(0);
    // A_x = diag(S), A_t = diag(S × S_x): ∂_t S = ∂_x(S × S_x), flat and abelian
    const col = (f: Tensor, k: number) => slice(f, [0, k], [f.shape[0], k + 1]);
    const zero = (f: Tensor) => mul(col(f, 0), 0);
    const diag = (f: Tensor, v: Tensor[]) =>
      reshape(concat([v[0], zero(f), zero(f), zero(f), v[1], zero(f), zero(f), zero(f), v[2]], 1), [
        f.shape[0],
        3,
        3,
      ]);
    const abelian: ConnectionFns = {
      size: 3,
      Ax: (f) =>
        diag(
          f,
          [0, 1, 2].map((k) => col(f, k)),
        ),
      At: (f) => {
        const [S, X] = [0, 3].map((o) => [0, 1, 2].map((k) => col(f, o + k)));
        const c = (a: number, b: number) => add(mul(S[a], X[b]), mul(mul(S[b], X[a]), -1));
        return diag(f, [c(1, 2), c(2, 0), c(0, 1)]);
      },
    };
    expect(zeroCurvatureResidual(abelian, batch)).toBeLessThan(1e-7);
    expect(zeroCurvatureLoss(abelian, batch, w).commutator?.item()).toBeCloseTo(w.commutatorFloor ?? 0.1, 12);
  });
});

describe("connection model helpers", () => {
  it("quadraticLift appends every product f_i f_j (i ≤ j); tracelessPart removes tr A / n · 1", () => {
    const f = tensor(Float64Array.from([2, 3, -1, 0.5]), [2, 2]);
    expect(Array.from(quadraticLift(f).toFloat64Array())).toEqual([2, 3, 4, 6, 9, -1, 0.5, 1, -0.5, 0.25]);
    const A = tensor(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), [1, 3, 3]);
    // tr = 15, so 5 comes off the diagonal
    expect(Array.from(tracelessPart(A).toFloat64Array())).toEqual([-4, 2, 3, 4, 0, 6, 7, 8, 4]);
  });
});
