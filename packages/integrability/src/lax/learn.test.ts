import { tensor } from "@physml/autodiff";
import { describe, expect, it } from "vitest";
import { samplePhaseSpace } from "../data/sampling.js";
import { harmonicOscillator } from "../data/systems.js";
import { leastSquares, tracePowers } from "../eval/linalg-small.js";
import { EXACT_RESIDUAL, learnLax } from "./learn.js";

describe("learnLax on the harmonic oscillator (short run)", () => {
  const r = learnLax({ system: "ho", adamSteps: 150, lbfgsIter: 150, samples: 64, seed: 0, logEvery: 50 });

  it("keeps the affine rung of the ladder, with an exact pair on held-out data", () => {
    expect(r.rungs).toHaveLength(1);
    expect(r.hidden).toEqual([]);
    // chosen on its training states (the held-out residual is only validated)
    expect(r.rungs[0].trainingResidual).toBeLessThan(EXACT_RESIDUAL);
    expect(r.laxResidual).toBeLessThan(EXACT_RESIDUAL);
    // tr L and tr L² along held-out trajectories: what is left is Yoshida's error at h = 0.02
    for (const v of r.conserved?.variation ?? [1]) expect(v).toBeLessThan(1e-5);
    expect(r.conserved?.trL2VsH).toBeGreaterThan(1 - 1e-9);
  });

  it("is the known pair L₀ = [[p, q], [q, −p]] up to gauge, scale and shift", () => {
    // L = a·gL₀g⁻¹ + b·1 (+ c·J while M commutes with J) leaves tr L̃² = α·tr L₀² + β, with L̃ the
    // traceless part; fitted over held-out states, α ≠ 0 and the fit is exact
    const s = samplePhaseSpace(harmonicOscillator(1), 100, 77);
    const L = r.model.L(r.state.params, tensor(s.x, [100, 2])).toFloat64Array();
    const X = new Float64Array(200);
    const y: number[] = [];
    for (let i = 0; i < 100; i++) {
      const [q, p] = [s.x[2 * i], s.x[2 * i + 1]];
      X[2 * i] = 1;
      X[2 * i + 1] = 2 * (p * p + q * q);
      const [t1, t2] = tracePowers(L.subarray(4 * i, 4 * i + 4), 2, 2);
      y.push(t2 - (t1 * t1) / 2);
    }
    const fit = leastSquares(X, y, 100, 2);
    expect(fit.r2).toBeGreaterThan(1 - 1e-12);
    expect(Math.abs(fit.coef[1])).toBeGreaterThan(0.1);
    // every entry is affine in (q, p), as in the known pair
    for (const f of r.formulas?.L.flat() ?? []) expect(f.r2).toBeGreaterThan(1 - 1e-12);
  });

  it("falls back to the MLP rung when the affine model is not exact, and the checkpoint is the state", () => {
    const short = () =>
      learnLax({
        system: "ho",
        adamSteps: 20,
        lbfgsIter: 0,
        samples: 64,
        ladder: [[], [8]],
        seed: 0,
        evaluate: false,
      });
    const [a, b] = [short(), short()];
    // 20 Adam steps make no exact pair: both rungs are tried and the MLP is kept
    expect(a.rungs.map((g) => g.hidden)).toEqual([[], [8]]);
    expect(a.hidden).toEqual([8]);
    expect(a.final.total).toBe(b.final.total);
  });
});
