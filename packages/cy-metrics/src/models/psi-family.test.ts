import { describe, expect, it } from "vitest";
import { donaldson, sigma } from "../donaldson/balance.js";
import { dworkQuintic } from "../geometry/quintic.js";
import { samplePoints } from "../geometry/sample.js";
import { learnedHMetric } from "./learned-h.js";
import { PSI_FEATURES, psiFamily, psiFamilyMetric, psiFeatures, trainPsiFamily } from "./psi-family.js";

describe("ψ-dependent learned-H family", () => {
  const psis = [0.1, 0.4].map((re) => ({ re, im: 0 }));
  const range = { centre: { re: 0.25, im: 0 }, radius: 0.15 };
  const train = psis.map((psi, i) => ({ psi, points: samplePoints(dworkQuintic(psi), 400, 30 + i) }));
  const start = donaldson(dworkQuintic(psis[0]), {
    k: 2,
    iterations: 3,
    integrationPoints: train[0].points,
  }).metric;

  it("starts as the same metric at every ψ (only the constant feature is set)", () => {
    const f = psiFamily(start, range);
    // Chebyshev: T₂(t) = 2t² − 1, T₃(t) = 4t³ − 3t; u = (1.5 − 1)/0.25 = 2, v = 3/0.25 = 12
    const fe = psiFeatures({ re: 1.5, im: 3 }, { centre: { re: 1, im: 0 }, radius: 0.25 });
    expect(fe.slice(0, 7)).toEqual([1, 2, 12, 7, 24, 287, 26]);
    expect(fe).toHaveLength(PSI_FEATURES);
    expect(f.coefficients.length).toBe(PSI_FEATURES * f.model.y.length);
    const a = psiFamilyMetric(f, { re: 0.7, im: 0 });
    const b = learnedHMetric(f.model);
    expect(Array.from(a.G.re)).toEqual(Array.from(b.G.re));
  });

  it("training lowers σ at both training ψ, and the ψ-features make the metrics differ", () => {
    const f0 = psiFamily(start, range);
    const losses: number[] = [];
    const f = trainPsiFamily(f0, train, {
      epochs: 3,
      batch: 200,
      lr: 0.01,
      onEpoch: (_, l) => losses.push(l),
    });
    expect(losses[2]).toBeLessThan(losses[0]);
    for (const t of train) {
      expect(sigma(psiFamilyMetric(f, t.psi), t.points).mean).toBeLessThan(
        sigma(psiFamilyMetric(f0, t.psi), t.points).mean,
      );
    }
    const a = psiFamilyMetric(f, psis[0]).G.re;
    const b = psiFamilyMetric(f, psis[1]).G.re;
    expect(a.some((v, i) => v !== b[i])).toBe(true);
  });
});
