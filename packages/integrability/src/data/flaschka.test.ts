import { describe, expect, it } from "vitest";
import { flaschkaPair } from "./flaschka.js";
import { energies, vectorField } from "./hamiltonian.js";
import { simulate } from "./integrators.js";
import { toda } from "./systems.js";

const matmul = (a: Float64Array, b: Float64Array, n: number): Float64Array => {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) c[i * n + j] += a[i * n + k] * b[k * n + j];
  return c;
};
const trPow = (L: Float64Array, n: number, k: number): number => {
  let P = L;
  for (let i = 1; i < k; i++) P = matmul(P, L, n);
  let t = 0;
  for (let i = 0; i < n; i++) t += P[i * n + i];
  return t;
};

describe.each([3, 4])("periodic Toda, %i particles, with Flaschka's pair", (n) => {
  const sys = toda(n);
  const z0 = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    z0[i] = 0.3 * Math.sin(1.7 * i + 0.4);
    z0[n + i] = 0.5 * Math.cos(2.3 * i) - (i === 0 ? 0.2 : 0);
  }
  it("L̇ (chain rule along ż, central differences) equals [L, M]", () => {
    const zdot = vectorField(sys, z0, 1);
    const e = 1e-5;
    const Lp = flaschkaPair(
      z0.map((v, i) => v + e * zdot[i]),
      n,
    ).L;
    const Lm = flaschkaPair(
      z0.map((v, i) => v - e * zdot[i]),
      n,
    ).L;
    const { L, M } = flaschkaPair(z0, n);
    const LM = matmul(L, M, n);
    const ML = matmul(M, L, n);
    for (let i = 0; i < n * n; i++) expect((Lp[i] - Lm[i]) / (2 * e)).toBeCloseTo(LM[i] - ML[i], 8);
  });
  it("tr L² = H/2 and tr Lᵏ (k ≤ n) stay constant along a Yoshida trajectory", () => {
    const traj = simulate(sys, z0, 1, { integrator: "yoshida4", h: 0.02, steps: 250, every: 25 });
    const T = traj.times.length;
    const H = energies(sys, traj.states, T);
    const d = 2 * n;
    for (let t = 0; t < T; t++) {
      const { L } = flaschkaPair(traj.states.subarray(t * d, (t + 1) * d), n);
      expect(trPow(L, n, 2)).toBeCloseTo(H[t] / 2, 12);
    }
    for (let k = 1; k <= n; k++) {
      const v = Array.from({ length: T }, (_, t) =>
        trPow(flaschkaPair(traj.states.subarray(t * d, (t + 1) * d), n).L, n, k),
      );
      const spread = Math.max(...v) - Math.min(...v);
      // Yoshida's error at h = 0.02 is O(h⁴) ≈ 1e-7 relative; tr L¹ = −½Σp is exact
      expect(spread).toBeLessThan(1e-6 * Math.max(1, Math.abs(v[0])));
    }
  });
});
