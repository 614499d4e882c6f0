// The dual couplings' covariance against independent truths: the jackknife over blocks of a linear
// estimator (brute-force leave-one-out), a covariance built from known axes, and the singular case.
import { philox4x32, philoxKey } from "@physml/mcmc-gpu";
import { describe, expect, it } from "vitest";
import { couplingCovariance, principalAxes2, propagateCovariance } from "../src/index.js";

/** Seeded standard normals (Box–Muller on Philox uniforms). */
function normals(count: number, seed: number): Float64Array {
  const [k0, k1] = philoxKey(seed);
  const w = new Uint32Array(4);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    philox4x32(k0, k1, i, 0, 0xc0, 0, w);
    const u1 = (w[0] + 1) / 4294967297;
    const u2 = w[1] / 4294967296;
    out[i] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
  return out;
}

describe("coupling covariance", () => {
  it("A·(S/n)·Aᵀ of block means is the jackknife covariance of the linear estimator A·mean", () => {
    // 40 correlated 2-vectors (the blocks' g1, g2), a fixed non-symmetric A (the role of C⁻¹).
    const n = 40;
    const z = normals(2 * n, 7);
    const x = Array.from({ length: n }, (_, b) => [
      0.96 + 0.01 * z[2 * b],
      0.95 + 0.008 * z[2 * b] + 0.003 * z[2 * b + 1],
    ]);
    const A = [3.1, -2.4, -1.7, 2.9];
    const lin = (g: number[]) => [A[0] * g[0] + A[1] * g[1], A[2] * g[0] + A[3] * g[1]];
    const mean = [0, 1].map((i) => x.reduce((p, q) => p + q[i], 0) / n);
    // Closed form: the sample covariance of the blocks over n − 1, divided by n (as lineDuality does).
    const S = [0, 1, 2, 3].map((ij) => {
      const [i, j] = [ij >> 1, ij & 1];
      return x.reduce((p, q) => p + (q[i] - mean[i]) * (q[j] - mean[j]), 0) / (n - 1) / n;
    });
    const closed = propagateCovariance(A, S, 2);
    // Brute force: leave each block out, refit, (n − 1)/n Σ (θ_i − θ̄)(θ_i − θ̄)ᵀ.
    const th = x.map((_, i) => lin([0, 1].map((c) => (mean[c] * n - x[i][c]) / (n - 1))));
    const tbar = [0, 1].map((c) => th.reduce((p, q) => p + q[c], 0) / n);
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++) {
        const jk = ((n - 1) / n) * th.reduce((p, q) => p + (q[i] - tbar[i]) * (q[j] - tbar[j]), 0);
        expect(Math.abs(closed[i][j] - jk)).toBeLessThan(1e-12 * Math.abs(jk) + 1e-18);
      }
    // Symmetric to rounding (on the scale of σ₁σ₂: the off-diagonal itself can cancel).
    const scale = Math.sqrt(closed[0][0] * closed[1][1]);
    expect(Math.abs(closed[0][1] - closed[1][0])).toBeLessThan(1e-14 * scale);
  });

  it("principal axes of R(φ) diag(λ₁, λ₂) R(φ)ᵀ are the rotated axes with σ = √λ", () => {
    for (const [phi, l1, l2] of [
      [0.3, 4, 0.01],
      [-1.2, 2.5, 2.4],
      [2.0, 1e-3, 1e-9],
    ]) {
      const [c, s] = [Math.cos(phi), Math.sin(phi)];
      const a = l1 * c * c + l2 * s * s;
      const b = (l1 - l2) * c * s;
      const d = l1 * s * s + l2 * c * c;
      const [big, small] = principalAxes2(a, b, d);
      expect(big.error).toBeCloseTo(Math.sqrt(l1), 12);
      expect(small.error ** 2).toBeCloseTo(l2, 12);
      // ± the rotated first axis, then orthogonal.
      expect(Math.abs(big.direction[0] * c + big.direction[1] * s)).toBeCloseTo(1, 12);
      expect(big.direction[0] * small.direction[0] + big.direction[1] * small.direction[1]).toBeCloseTo(
        0,
        14,
      );
      expect(big.direction[0]).toBeGreaterThanOrEqual(0);
    }
  });

  it("one coupling gives a 1 × 1 covariance without a correlation; a singular C gives a reason, no NaN", () => {
    const one = couplingCovariance(["nn"], [2], [0.25]);
    expect("covariance" in one && one.covariance.matrix).toEqual([[1]]);
    expect("covariance" in one && one.covariance.correlation).toBe(undefined);
    const singular = couplingCovariance(["nn", "nnn"], [Number.POSITIVE_INFINITY, 0, 0, 1], [1, 0, 0, 1]);
    expect("covarianceUnavailable" in singular).toBe(true);
    expect(JSON.stringify(singular)).not.toMatch(/null|NaN/);
  });
});
