import { add, grad, matmul, mul, random, reshape, type Tensor, tensor } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { fieldSamples } from "../fields/field-system.js";
import { heisenbergFieldSystem, heisenbergTrajectories } from "../fields/heisenberg-samples.js";
import { heisenbergConnection } from "./field-connections.js";
import { killingSpanHinge, killingSpanRatio } from "./killing-span.js";
import { fieldBatch, zeroCurvatureLoss, zeroCurvatureResiduals } from "./zero-curvature.js";

/**
 * 64 samples c ∘ σ over the 8 sign patterns σ ∈ {±1}³, each repeated 8 times: their second moment
 * is diag(c₁², c₂², c₃²) exactly, so the Gram matrices of a family linear in them are known by hand.
 */
function factorial(c: [number, number, number], family: (v: number[]) => number[]): Tensor {
  const out: number[] = [];
  for (let r = 0; r < 8; r++)
    for (let s = 0; s < 8; s++) out.push(...family(c.map((ci, i) => ((s >> i) & 1 ? -ci : ci))));
  return tensor(Float64Array.from(out), [64, 3, 3]);
}

// [v]×: so(3), the algebra of the known Heisenberg connection
const cross = (v: number[]) => [0, -v[2], v[1], v[2], 0, -v[0], -v[1], v[0], 0];
const C: [number, number, number] = [1, 0.5, 0.3];

describe("killingSpanRatio and 𝓛_S", () => {
  it("so(3): K = −G, so ρ is the smallest over the largest spread of the axial vector", () => {
    // |[v]×|² = 2|v|² and tr([v]×²) = −2|v|²: both Grams are 2·diag(cᵢ²) up to sign
    expect(killingSpanRatio(factorial(C, cross)).item()).toBeCloseTo(0.09, 12);
    expect(killingSpanHinge(factorial(C, cross), 0.05).item()).toBe(0);
    expect(killingSpanHinge(factorial(C, cross), 0.1).item()).toBeCloseTo(0.01, 12);
  });

  it("so(2, 1) (sl(2, ℝ)'s adjoint form): an indefinite Killing form is non-degenerate too", () => {
    // [[0, a, b], [a, 0, c], [b, −c, 0]]: tr X² = 2a² + 2b² − 2c², |X|² = 2a² + 2b² + 2c²
    const boost = (v: number[]) => [0, v[0], v[1], v[0], 0, v[2], v[1], -v[2], 0];
    expect(killingSpanRatio(factorial(C, boost)).item()).toBeCloseTo(0.09, 12);
  });

  it("nilpotent, abelian and Borel families: ρ = 0, the hinge is κ", () => {
    const nilpotent = (v: number[]) => [0, v[0], v[1], 0, 0, v[2], 0, 0, 0];
    // one fixed traceless X times a density: a conservation law's flat connection
    const abelian = (v: number[]) => [1, 2, 0, 0, -3, 1, 4, 0, 2].map((x) => x * (v[0] + 2 * v[1] - v[2]));
    // upper triangular: the diagonal (Cartan) part has a non-zero Killing form, the nilradical none
    const borel = (v: number[]) => [v[0], v[1], v[2], 0, v[1] - v[0], v[0], 0, 0, -v[1]];
    for (const f of [nilpotent, abelian, borel]) {
      expect(killingSpanRatio(factorial(C, f)).item()).toBeLessThan(1e-14);
      expect(killingSpanHinge(factorial(C, f), 0.1).item()).toBeCloseTo(0.1, 14);
    }
    // the Borel family's Killing form is not zero: only its third eigenvalue is
    expect(killingSpanRatio(factorial(C, borel), 2).item()).toBeGreaterThan(0.01);
  });

  it("the trace is not counted: so(3) plus a multiple of 1 is so(3)", () => {
    const shifted = (v: number[]) => cross(v).map((x, k) => (k % 4 === 0 ? x + 7 * v[0] : x));
    expect(killingSpanRatio(factorial(C, shifted)).item()).toBeCloseTo(0.09, 12);
  });

  it("its gradient matches central differences", () => {
    // a family W·z (z ∈ ℝ⁹ per sample) moved along a direction D: ρ(W + tD)
    const z = random.normal(random.key(3), [64, 9]);
    const W = random.normal(random.key(4), [9, 9]);
    const D = random.normal(random.key(5), [9, 9]);
    const rho = (w: Tensor) => killingSpanRatio(reshape(matmul(z, w), [64, 3, 3]));
    const g = grad(rho)(W) as Tensor;
    const gd = g.toFloat64Array().reduce((s, v, i) => s + v * D.toFloat64Array()[i], 0);
    const h = 1e-6;
    const fd = (rho(add(W, mul(D, h))).item() - rho(add(W, mul(D, -h))).item()) / (2 * h);
    expect(Math.abs(gd - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
    expect(Math.abs(fd)).toBeGreaterThan(1e-3);
  });

  it("refuses a rank outside [1, min(k, n² − 1)]", () => {
    const A = factorial(C, cross);
    expect(() => killingSpanRatio(A, 0)).toThrow(PhysmlInputError);
    expect(() => killingSpanRatio(A, 9)).toThrow(/killingSpanRank/);
  });

  it("is 𝓛_S in the connection loss and the last Levenberg–Marquardt residual when weighted", () => {
    const data = heisenbergTrajectories({ trajectories: 2, time: 0.1, snapshots: 2, seed: 0 });
    const batch = fieldBatch(fieldSamples(heisenbergFieldSystem, data, 64, 1));
    const c = heisenbergConnection(0.5);
    // κ above the known connection's ρ on these points, so the hinge is active
    const rho = killingSpanRatio(c.Ax(batch.f)).item();
    const w = { lax: 1, l: 0, lm: 0, mc: 0, spectrum: 0, killingSpan: 4, killingSpanFloor: rho + 0.25 };
    const t = zeroCurvatureLoss(c, batch, w);
    expect(t.killingSpan?.item()).toBeCloseTo(0.25, 12);
    expect(t.total.item() - t.lax.item()).toBeCloseTo(4 * 0.25, 12);
    const r = zeroCurvatureResiduals(c, batch, w).toFloat64Array();
    expect(r[r.length - 1]).toBeCloseTo(2 * 0.25, 12);
    expect(zeroCurvatureLoss(c, batch, { ...w, killingSpan: 0 }).killingSpan).toBeUndefined();
  });
});
