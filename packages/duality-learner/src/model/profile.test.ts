// The profile Jacobian against the full least-squares problem: for a linear model
// r = J_t·δt + J_θ·δθ − δT, the t-part of the least-squares solution over (t, θ) must be
// (J⊥ᵀJ⊥)⁻¹J⊥ᵀ·δT — the sensitivity used to propagate target errors into t.

import { seededUniform } from "@physml/lattice-core/testing";
import { describe, expect, test } from "vitest";
import { solveDamped } from "../stats/gradient.js";
import { meanCovariance } from "../train/feature-stats.js";
import { profileGram, profileJacobian } from "./moments.js";

describe("profile Jacobian", () => {
  const A = 9;
  const K = 2;
  const r = seededUniform(3, -0.5, 0.5);
  const jt = Float64Array.from({ length: A * K }, r);
  const jth = Float64Array.from({ length: A * 2 }, r);
  const dT = Float64Array.from({ length: A }, r);
  const perp = profileJacobian(jt, jth, K);

  test("is orthogonal to the head directions, and its Gram matrix is J⊥ᵀJ⊥", () => {
    for (let h = 0; h < 2; h++) {
      for (let k = 0; k < K; k++) {
        let d = 0;
        for (let a = 0; a < A; a++) d += jth[2 * a + h] * perp[a * K + k];
        expect(Math.abs(d)).toBeLessThan(1e-12);
      }
    }
    const g = profileGram(jt, jth, K);
    for (let i = 0; i < K; i++)
      for (let j = 0; j < K; j++) {
        let v = 0;
        for (let a = 0; a < A; a++) v += perp[a * K + i] * perp[a * K + j];
        expect(g[i * K + j]).toBeCloseTo(v, 12);
      }
  });

  test("gives the t-part of the full least-squares solution", () => {
    // Full normal equations over the K + 2 unknowns (t, θ2, θ3).
    const P = K + 2;
    const col = (a: number, j: number) => (j < K ? jt[a * K + j] : jth[2 * a + j - K]);
    const M = new Float64Array(P * P);
    const b = new Float64Array(P);
    for (let i = 0; i < P; i++) {
      for (let a = 0; a < A; a++) b[i] += col(a, i) * dT[a];
      for (let j = 0; j < P; j++) for (let a = 0; a < A; a++) M[i * P + j] += col(a, i) * col(a, j);
    }
    const full = solveDamped(M, b, 0);
    const gram = profileGram(jt, jth, K);
    const rhs = Float64Array.from({ length: K }, (_, k) => {
      let v = 0;
      for (let a = 0; a < A; a++) v += perp[a * K + k] * dT[a];
      return v;
    });
    const partial = solveDamped(gram, rhs, 0);
    for (let k = 0; k < K; k++) expect(partial[k]).toBeCloseTo(full[k], 10);
  });
});

describe("meanCovariance", () => {
  test("of independent chains: the variance of the mean, and correlated features covary", () => {
    const r = seededUniform(9, -0.5, 0.5);
    const C = 4000;
    const a = Array.from({ length: C }, () => r() + r() + r());
    const b = a.map((v) => 2 * v + 0.1 * r());
    const cov = meanCovariance([a, b]);
    const va = 3 / 12 / C; // three uniforms on [−½, ½)
    expect(cov[0][0]).toBeGreaterThan(0.9 * va);
    expect(cov[0][0]).toBeLessThan(1.1 * va);
    expect(cov[0][1] / Math.sqrt(cov[0][0] * cov[1][1])).toBeGreaterThan(0.99);
    expect(cov[0][1]).toBeCloseTo(cov[1][0], 15);
  });
});
