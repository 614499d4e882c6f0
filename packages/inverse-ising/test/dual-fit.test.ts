// The moment matching of the dual fit against exact enumeration: given the exact nn and diagonal
// correlators of a known nn + nnn model on the 4×4 torus, it must return that model's couplings.
import { describe, expect, it } from "vitest";
import { matchDualCouplings } from "../src/index.js";
import { exactDualTarget } from "./exact-dual-target.js";

describe("dual fit by moment matching", () => {
  it("recovers (t_nn, t_nnn) from exact correlators within 3σ", async () => {
    const truth = { nn: 0.3, nnn: 0.1 };
    const target = exactDualTarget(truth);
    const r = await matchDualCouplings(4, target, { seed: 3, chains: 32, samplesPerChain: 64 });
    expect(Math.abs(r.tNn - truth.nn)).toBeLessThan(3 * r.tNnError);
    expect(Math.abs(r.tNnn - truth.nnn)).toBeLessThan(3 * r.tNnnError);
    expect(r.tNnError).toBeLessThan(0.08);
    // Its covariance: the marginal errors squared on the diagonal (same propagation, separate
    // code), symmetric, positive semi-definite, |correlation| ≤ 1.
    const c = r.covariance;
    expect(r.covarianceUnavailable).toBe(undefined);
    expect(c?.terms).toEqual(["nn", "nnn"]);
    const M = c?.matrix ?? [[Number.NaN]];
    expect(Math.abs(M[0][0] - r.tNnError ** 2)).toBeLessThan(1e-12 * r.tNnError ** 2);
    expect(Math.abs(M[1][1] - r.tNnnError ** 2)).toBeLessThan(1e-12 * r.tNnnError ** 2);
    expect(Math.abs(M[0][1] - M[1][0])).toBeLessThan(1e-14 * r.tNnError * r.tNnnError);
    expect(M[0][0] * M[1][1] - M[0][1] * M[1][0]).toBeGreaterThanOrEqual(0);
    expect(Math.abs(c?.correlation ?? 2)).toBeLessThanOrEqual(1);
    // The flat axis carries the larger σ, and the two axes' variances add up to the trace.
    const flat = c?.flatDirection?.error ?? 0;
    const sharp = c?.sharpDirection?.error ?? 0;
    expect(flat).toBeGreaterThanOrEqual(sharp);
    expect(Math.abs(flat ** 2 + sharp ** 2 - M[0][0] - M[1][1])).toBeLessThan(1e-12 * (M[0][0] + M[1][1]));
    const nnOnly = await matchDualCouplings(4, target, {
      seed: 3,
      chains: 32,
      samplesPerChain: 64,
      nnn: false,
    });
    expect(nnOnly.tNnn).toBe(0);
    // One fitted coupling: a 1 × 1 covariance, its entry the marginal error squared.
    expect(nnOnly.covariance?.terms).toEqual(["nn"]);
    expect(nnOnly.covariance?.matrix.length).toBe(1);
    const v = nnOnly.covariance?.matrix[0][0] ?? Number.NaN;
    expect(Math.abs(v - nnOnly.tNnError ** 2)).toBeLessThan(1e-12 * nnOnly.tNnError ** 2);
    // Without the diagonal term the nn coupling absorbs it: clearly above 0.3.
    expect(nnOnly.tNn - truth.nn).toBeGreaterThan(3 * nnOnly.tNnError);
  });

  it("recovers (t_nn, t_nnn, t_d2) from exact correlators within 3σ", async () => {
    {
      const truth = { nn: 0.3, nnn: 0.05, d2: 0.08 };
      const r = await matchDualCouplings(4, exactDualTarget(truth), {
        seed: 5,
        chains: 32,
        samplesPerChain: 64,
        d2: true,
      });
      const errors = [r.tNnError, r.tNnnError, r.tD2Error ?? Number.NaN];
      const pulls = [r.tNn - truth.nn, r.tNnn - truth.nnn, (r.tD2 ?? Number.NaN) - truth.d2].map(
        (d, i) => d / errors[i],
      );
      for (const p of pulls) expect(Math.abs(p)).toBeLessThan(3);
      const M = r.covariance?.matrix ?? [];
      for (let i = 0; i < 3; i++)
        expect(Math.abs(M[i][i] - errors[i] ** 2)).toBeLessThan(1e-12 * errors[i] ** 2);
    }
  });
});
