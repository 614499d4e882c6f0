import { tensor } from "@physml/autodiff";
import { describe, expect, it } from "vitest";
import { monodromyReport, monodromyTrace } from "../eval/monodromy.js";
import { KdvEtdrk4 } from "../fields/kdv.js";
import {
  type FieldSamples,
  kdvFieldSamples,
  kdvTrajectories,
  snapshotFeatures,
} from "../fields/kdv-samples.js";
import { PeriodicGrid } from "../fields/spectral.js";
import { LaxModel } from "./model.js";
import {
  type ConnectionFns,
  curvatureParts,
  fieldBatch,
  kdvConnection,
  zeroCurvatureLoss,
  zeroCurvatureResidual,
} from "./zero-curvature.js";
import { CONNECTION_WEIGHTS } from "./zero-curvature-learn.js";

const ORDER = 3;
const data = kdvTrajectories({ trajectories: 3, n: 128, length: 30, time: 0.4, snapshots: 3, seed: 7 });

/**
 * Points of φ(t) = the trajectory advanced by δ from its first snapshot, with f_t from the
 * trajectory itself: the central difference (f(t + δ) − f(t − δ)) / 2δ, no use of the equation.
 */
function trajectoryBatch(delta: number): { s: FieldSamples; fPlus: Float64Array; fMinus: Float64Array } {
  const { grid } = data;
  const stepper = new KdvEtdrk4(grid, delta / 20);
  const rows: number[][] = [];
  for (const traj of data.fields) {
    const phi = Float64Array.from(traj[0]);
    const at = [Float64Array.from(phi)];
    for (let s = 0; s < 2; s++) {
      stepper.advance(phi, 20);
      at.push(Float64Array.from(phi));
    }
    const [m, c, p] = at.map((u) => snapshotFeatures(grid, u, ORDER).derivs);
    for (let j = 0; j < grid.n; j += 4)
      rows.push(
        Array.from({ length: ORDER + 1 }, (_, k) => [
          c[k][j],
          c[k + 1][j],
          (p[k][j] - m[k][j]) / (2 * delta),
          m[k][j],
          p[k][j],
        ]).flat(),
      );
  }
  const count = rows.length;
  const dim = ORDER + 1;
  const pick = (q: number) => Float64Array.from(rows.flatMap((r) => r.filter((_, i) => i % 5 === q)));
  const ft = pick(2);
  return {
    s: { count, dim, f: pick(0), fx: pick(1), ft, phit: ft.filter((_, i) => i % dim === 0) },
    fPlus: pick(4),
    fMinus: pick(3),
  };
}

describe("KdV field samples", () => {
  it("φ_t from the equation matches the trajectory's central difference", () => {
    const { s } = trajectoryBatch(1e-3);
    // φ_t(δ) from the equation at the centre snapshot versus the difference quotient
    const centre = s.f.filter((_, i) => i % s.dim === 0);
    const dx = s.fx.filter((_, i) => i % s.dim === 0);
    const dxxx = s.fx.filter((_, i) => i % s.dim === 2);
    const fromEq = centre.map((p, r) => -dxxx[r] - 6 * p * dx[r]);
    let num = 0;
    let den = 0;
    fromEq.forEach((v, r) => {
      num += (v - s.phit[r]) ** 2;
      den += v * v;
    });
    // the central difference errs by δ²φ_ttt/6 ≈ 1e-7 relative
    expect(Math.sqrt(num / den)).toBeLessThan(1e-5);
  });
});

describe("zero curvature of the KdV connection", () => {
  const batch = fieldBatch(kdvFieldSamples(data, 256, 1, ORDER));

  it("the AKNS pair is flat on KdV data and a perturbed pair is not", () => {
    for (const lambda of [0, 0.3, -0.7]) {
      expect(zeroCurvatureResidual(kdvConnection(lambda), batch)).toBeLessThan(1e-10);
      expect(zeroCurvatureResidual(kdvConnection(lambda, 0.1), batch)).toBeGreaterThan(1e-2);
    }
    // with f_t from the trajectory (no use of the equation) the residual is the difference
    // quotient's error δ²·f_ttt/6 relative to f_t: about δ² = 1e-6 for these O(1) fields
    const fd = fieldBatch(trajectoryBatch(1e-3).s);
    expect(zeroCurvatureResidual(kdvConnection(0.3), fd)).toBeLessThan(1e-5);
    expect(zeroCurvatureResidual(kdvConnection(0.3, 0.1), fd)).toBeGreaterThan(1e-2);
  });

  it("its loss terms vanish: ∂_t A_x ∝ φ_t entrywise and Σ|A_x| ≥ 1", () => {
    const t = zeroCurvatureLoss(kdvConnection(0.3), batch, CONNECTION_WEIGHTS);
    for (const v of [t.lax, t.l, t.lm, t.mc]) expect(Math.abs(v.item())).toBeLessThan(1e-12);
  });

  it("∂_t A_x by the chain rule matches a finite difference along the trajectory", () => {
    const delta = 1e-3;
    const { s, fPlus, fMinus } = trajectoryBatch(delta);
    const model = new LaxModel({ inputs: ORDER + 1, size: 3, hidden: [8], seed: 3 });
    const params = model.init();
    const c: ConnectionFns = { size: 3, Ax: (f) => model.L(params, f), At: (f) => model.M(params, f) };
    const dtAx = curvatureParts(c, fieldBatch(s)).dtAx.toFloat64Array();
    const A = (f: Float64Array) => c.Ax(tensor(f, [s.count, s.dim])).toFloat64Array();
    const [ap, am] = [A(fPlus), A(fMinus)];
    let num = 0;
    let den = 0;
    dtAx.forEach((v, i) => {
      num += (v - (ap[i] - am[i]) / (2 * delta)) ** 2;
      den += v * v;
    });
    expect(Math.sqrt(num / den)).toBeLessThan(1e-5);
  });
});

describe("monodromy", () => {
  it("of a constant A_x = [[0, 1], [λ, 0]] is 2 cosh(√λ ℓ)", () => {
    const grid = new PeriodicGrid(64, 5);
    for (const lambda of [0.5, -0.8]) {
      const tr = monodromyTrace(kdvConnection(lambda), grid, new Float64Array(64), 0);
      const exact = lambda > 0 ? 2 * Math.cosh(Math.sqrt(lambda) * 5) : 2 * Math.cos(Math.sqrt(-lambda) * 5);
      // RK4's global error ~ ℓ·h⁴·|λ|^{5/2}/120 times |Ψ| (≥ 2 entries of order one), h = 5/128
      expect(Math.abs(tr - exact)).toBeLessThan(1e-7 * (Math.abs(exact) + 2));
    }
  });

  it("tr P exp ∮A_x dx of the KdV connection is conserved along trajectories", () => {
    const r = monodromyReport(kdvConnection(-0.3), data.grid, data.fields, 0);
    for (const v of r.variation) expect(v).toBeLessThan(1e-5);
    expect(r.variationVsAcross).toBeLessThan(1e-4);
  });
});
