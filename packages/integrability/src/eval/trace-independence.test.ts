// The independence of a Lax matrix's traces against pairs whose rank is known: Flaschka's Toda pair
// (three independent traces, Toda being integrable), exact "Lax pairs" L = R(θ) D R(θ)ᵀ whose
// eigenvalues D are chosen functions of conserved quantities (rank = how many quantities), and the
// gradients checked against central differences of the traces.
import { add, cos, matmul, sin, slice, sqrt, type Tensor, tensor, zeros } from "@physml/autodiff";
import { describe, expect, it } from "vitest";
import { col, flaschka3, hoPair, matrix } from "../../test/known-lax-pairs.js";
import { type HamiltonianSystem, vectorField } from "../data/hamiltonian.js";
import { samplePhaseSpace } from "../data/sampling.js";
import { harmonicOscillator, toda } from "../data/systems.js";
import { validateLax } from "../lax/learn.js";
import { conservedQuantities, type LaxPairFns, laxResidual } from "./lax-metrics.js";
import { tracePowers } from "./linalg-small.js";
import { INDEPENDENCE_FLOOR, traceIndependence } from "./trace-independence.js";

const states = (sys: HamiltonianSystem, count: number, rest = false) => {
  const s = samplePhaseSpace(sys, count, 1000, 1, rest);
  return tensor(s.x, [s.count, s.dim]);
};

const energy = (sys: HamiltonianSystem, x: Tensor) => {
  const [B, n] = [x.shape[0], sys.dof];
  return sys.hamiltonian(slice(x, [0, 0], [B, n]), slice(x, [0, n], [B, 2 * n]));
};

/**
 * L = R(θ) diag(d) R(θ)ᵀ, R a rotation by θ(x) = w·x in the (1, 2) plane, M = −θ̇K (K its
 * generator, θ̇ = w·ẋ): an exact Lax pair whenever the entries of d are conserved, since then
 * L̇ = [ṘRᵀ, L] = [L, M]. Its traces are functions of d alone.
 */
function rotatingPair(sys: HamiltonianSystem, d: (x: Tensor) => Tensor[], w: number[]): LaxPairFns {
  const theta = (x: Tensor) => w.reduce((a: Tensor, wi, i) => add(a, col(x, i).mul(wi)), zeros([x.shape[0]]));
  const size = d(states(sys, 1)).length;
  const pad = (block: Tensor[][], x: Tensor, diag: Tensor | undefined) => {
    if (!diag) return matrix(block);
    const z = zeros([x.shape[0]]);
    return matrix([
      [...block[0], z],
      [...block[1], z],
      [z, z, diag],
    ]);
  };
  return {
    size,
    L: (x) => {
      const [c, s] = [cos(theta(x)), sin(theta(x))];
      const [d0, d1, d2] = d(x);
      const a = c.mul(c).mul(d0).add(s.mul(s).mul(d1));
      const b = c.mul(s).mul(d0.sub(d1));
      const e = s.mul(s).mul(d0).add(c.mul(c).mul(d1));
      return pad(
        [
          [a, b],
          [b, e],
        ],
        x,
        d2,
      );
    },
    M: (x) => {
      const [B, dim] = x.shape;
      const v = vectorField(sys, x.toFloat64Array(), B);
      const rate = tensor(
        Float64Array.from({ length: B }, (_, r) => w.reduce((a, wi, i) => a + wi * v[r * dim + i], 0)),
        [B],
      );
      const z = zeros([B]);
      return pad(
        [
          [z, rate],
          [rate.neg(), z],
        ],
        x,
        size === 3 ? z : undefined,
      );
    },
  };
}

describe("traceIndependence", () => {
  const T = toda(3);
  const HO2 = harmonicOscillator(2);

  it("Flaschka's Toda pair: three independent traces; the oscillator's traceless 2×2 pair: one", () => {
    const f = traceIndependence(flaschka3.L, states(T, 256));
    expect(f.independent).toBe(3);
    expect(f.ratios[0]).toBe(1);
    for (const r of f.ratios) expect(r).toBeGreaterThan(1e-2);
    const ho = traceIndependence(hoPair.L, states(harmonicOscillator(1), 64));
    expect(ho.ratios).toEqual([1, 0]);
    expect(ho.independent).toBe(1);
  });

  it("traces that are functions of H alone pass every other target and fail this one", () => {
    // eigenvalues ±√H, 0: tr L = tr L³ = 0, tr L² = 2H, exact, conserved, R² = 1 against H
    const sqrtH = (x: Tensor) => sqrt(energy(T, x));
    const pair = rotatingPair(T, (x) => [sqrtH(x), sqrtH(x).neg(), zeros([x.shape[0]])], [1, -2, 0, 0, 0, 1]);
    const held = samplePhaseSpace(T, 256, 1000, 1, true);
    const conserved = conservedQuantities(pair, T, {
      trajectories: 3,
      time: 2,
      h: 0.02,
      seed: 7,
      box: 1,
      restFrame: true,
    });
    const ti = traceIndependence(pair.L, tensor(held.x, [held.count, held.dim]));
    const checks = { laxResidual: laxResidual(pair, held), conserved, traceIndependence: ti };
    expect(checks.laxResidual).toBeLessThan(1e-12);
    expect(ti.independent).toBe(1);
    for (const r of ti.ratios.slice(1)) expect(r).toBeLessThan(1e-12);
    const targets = { residual: 1e-2, variation: 1e-3, trL2VsH: 0.999 };
    const v = validateLax(checks, { ...targets, independentTraces: 2 });
    expect(v.failures).toHaveLength(1);
    expect(v.failures[0]).toContain("1 of the traces");
    expect(validateLax(checks, { ...targets, independentTraces: 1 }).passed).toBe(true);
  });

  it("the 2D oscillator: eigenvalues (H_x, H_y) give two independent traces, (H, H²) one", () => {
    const half = (a: Tensor, b: Tensor) => a.mul(a).add(b.mul(b)).mul(0.5);
    const w = [1, 0.5, -1, 0];
    const x = states(HO2, 128);
    const two = rotatingPair(HO2, (z) => [half(col(z, 0), col(z, 2)), half(col(z, 1), col(z, 3))], w);
    const one = rotatingPair(
      HO2,
      (z) => {
        const h = energy(HO2, z);
        return [h, h.mul(h)];
      },
      w,
    );
    const r2 = traceIndependence(two.L, x);
    expect(r2.independent).toBe(2);
    expect(r2.ratios[1]).toBeGreaterThan(1e-2);
    const r1 = traceIndependence(one.L, x);
    expect(r1.independent).toBe(1);
    expect(r1.ratios[1]).toBeLessThan(1e-12);
    // both are exact pairs of the oscillator
    const held = samplePhaseSpace(HO2, 64, 3);
    expect(laxResidual(two, held)).toBeLessThan(1e-12);
    expect(laxResidual(one, held)).toBeLessThan(1e-12);
  });

  it("is blind to scale, shift and gauge: a·G L G⁻¹ + b·1 gives the same ratios", () => {
    // a non-orthogonal G with its inverse: unit upper triangular
    const G = tensor([1, 2, 0, 0, 1, 3, 0, 0, 1], [1, 3, 3]);
    const Ginv = tensor([1, -2, 6, 0, 1, -3, 0, 0, 1], [1, 3, 3]);
    const eye = tensor([1, 0, 0, 0, 1, 0, 0, 0, 1], [1, 3, 3]);
    const moved = (x: Tensor) => add(matmul(matmul(G, flaschka3.L(x)), Ginv).mul(-3.7), eye.mul(2.5));
    const x = states(T, 128);
    const a = traceIndependence(flaschka3.L, x).ratios;
    const b = traceIndependence(moved, x).ratios;
    for (let r = 0; r < 3; r++) expect(Math.abs(a[r] - b[r])).toBeLessThan(1e-10);
  });

  it("a diverged pair fails instead of throwing: non-finite states are left out, none left gives 0", () => {
    const x = states(T, 64);
    // L = Flaschka's at states with p₁ < 0.5, NaN elsewhere (as an overflowing exp unit would give)
    const mask = tensor(
      Float64Array.from({ length: 64 }, (_, b) => (x.toFloat64Array()[6 * b + 3] < 0.5 ? 1 : Number.NaN)),
      [64, 1, 1],
    );
    const partly = traceIndependence((z) => flaschka3.L(z).mul(mask), x);
    expect(partly.independent).toBe(3);
    const none = traceIndependence((z) => flaschka3.L(z).mul(Number.NaN), x);
    expect(none).toEqual({ ratios: [0, 0, 0], independent: 0 });
  });

  it("its gradients are the traces' central differences", () => {
    // the rows (before scaling) at one state: ∇tr L and ∇tr L̃ᵏ by differences of tracePowers
    const x0 = states(T, 1).toFloat64Array();
    const h = 1e-5;
    const traces = (z: Float64Array) => {
      const L = flaschka3.L(tensor(z, [1, 6])).toFloat64Array();
      const t1 = L[0] + L[4] + L[8];
      const shifted = L.map((v, i) => (i % 4 === 0 ? v - t1 / 3 : v));
      const [, t2, t3] = tracePowers(shifted, 3, 3);
      return [t1, t2, t3];
    };
    const J = Array.from({ length: 3 }, () => new Float64Array(6));
    for (let i = 0; i < 6; i++) {
      const up = Float64Array.from(x0);
      const down = Float64Array.from(x0);
      up[i] += h;
      down[i] -= h;
      const [a, b] = [traces(up), traces(down)];
      for (let k = 0; k < 3; k++) J[k][i] = (a[k] - b[k]) / (2 * h);
    }
    // S² = |tr L̃²| at this single state: rows scaled by 1, 1/(2S), 1/(3S²)
    const S = Math.sqrt(Math.abs(traces(x0)[1]));
    const scaled = J.map((row, k) => row.map((v) => v / (k === 0 ? 1 : (k + 1) * S ** k)));
    // σ_r/σ_1 from the 3×3 Gram matrix's eigenvalues (a different route from the SVD)
    const gram = scaled.map((ri) => scaled.map((rj) => ri.reduce((s, v, i) => s + v * rj[i], 0)));
    const ev = symmetricEigenvalues3(gram);
    const expected = ev.map((e) => Math.sqrt(Math.max(e, 0) / ev[0]));
    const got = traceIndependence(flaschka3.L, tensor(x0, [1, 6])).ratios;
    for (let r = 0; r < 3; r++) expect(Math.abs(got[r] - expected[r])).toBeLessThan(1e-7);
    expect(INDEPENDENCE_FLOOR).toBeLessThan(Math.min(...got));
  });
});

/** Eigenvalues (descending) of a symmetric 3×3 matrix by the trigonometric closed form. */
function symmetricEigenvalues3(A: number[][]): number[] {
  const q = (A[0][0] + A[1][1] + A[2][2]) / 3;
  const p1 = A[0][1] ** 2 + A[0][2] ** 2 + A[1][2] ** 2;
  const p2 = (A[0][0] - q) ** 2 + (A[1][1] - q) ** 2 + (A[2][2] - q) ** 2 + 2 * p1;
  const p = Math.sqrt(p2 / 6);
  const B = A.map((row, i) => row.map((v, j) => (v - (i === j ? q : 0)) / p));
  const detB =
    B[0][0] * (B[1][1] * B[2][2] - B[1][2] * B[2][1]) -
    B[0][1] * (B[1][0] * B[2][2] - B[1][2] * B[2][0]) +
    B[0][2] * (B[1][0] * B[2][1] - B[1][1] * B[2][0]);
  const phi = Math.acos(Math.min(1, Math.max(-1, detB / 2))) / 3;
  const e1 = q + 2 * p * Math.cos(phi);
  const e3 = q + 2 * p * Math.cos(phi + (2 * Math.PI) / 3);
  return [e1, 3 * q - e1 - e3, e3];
}
