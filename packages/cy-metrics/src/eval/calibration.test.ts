// Are the error bars of Vol_CY, κ and σ calibrated? Over independent seeds the pulls
// (estimate − exact)/error of N(0, 1) have a mean with standard deviation 1/√N and a standard
// deviation with standard deviation ≈ 1/√(2(N − 1)); where no exact value exists, the spread of
// the estimates over seeds divided by the rms error bar has the latter. The bands are 4 of those
// standard deviations, so an error bar half its right size (pulls' std ≈ 2) fails. σ_k of a
// balanced metric spreads over seeds by its held-out error and its balancing error together: with
// few integration points the balancing's is the larger, and σ's error alone fails the band.

import { seedPlus } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { donaldson, fubiniStudySigma } from "../donaldson/balance.js";
import { balancedSigma } from "../donaldson/balancing-noise.js";
import { dworkQuintic } from "../geometry/quintic.js";
import { samplePoints } from "../geometry/sample.js";
import { FERMAT_VOLUME_CY } from "./fermat-volume.js";
import { type McValue, volumes } from "./volumes.js";

const SEEDS = 64;
const POINTS = 1000;
const STD_BAND = 4 / Math.sqrt(2 * (SEEDS - 1));
const BALANCED_SEEDS = 40;
const MEAN_BAND = 4 / Math.sqrt(SEEDS);

function meanAndStd(xs: readonly number[]): { mean: number; std: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const v = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
  return { mean, std: Math.sqrt(v) };
}

/** Pull mean and std of estimates against an exact value. */
function pulls(values: readonly McValue[], exact: number): { mean: number; std: number } {
  return meanAndStd(values.map((v) => (v.mean - exact) / v.error));
}

/** Spread of the estimates over seeds divided by their rms error bar. */
function spreadRatio(values: readonly McValue[]): number {
  const rms = Math.sqrt(values.reduce((s, v) => s + v.error ** 2, 0) / values.length);
  return meanAndStd(values.map((v) => v.mean)).std / rms;
}

function overSeeds(psi: number) {
  const q = dworkQuintic({ re: psi, im: 0 });
  const vol: McValue[] = [];
  const kappa: McValue[] = [];
  const sigmaFS: McValue[] = [];
  for (let seed = 1; seed <= SEEDS; seed++) {
    const ps = samplePoints(q, POINTS, seed);
    const v = volumes(ps);
    vol.push(v.volCY);
    kappa.push(v.kappa);
    sigmaFS.push(fubiniStudySigma(ps));
  }
  return { vol, kappa, sigmaFS };
}

describe("error bars over independent seeds", () => {
  it("Fermat: Vol_CY and κ pulls against the closed form are N(0, 1); σ_FS spreads as its error bar", () => {
    const { vol, kappa, sigmaFS } = overSeeds(0);
    for (const p of [pulls(vol, FERMAT_VOLUME_CY), pulls(kappa, 5 / FERMAT_VOLUME_CY)]) {
      expect(Math.abs(p.mean)).toBeLessThan(MEAN_BAND);
      expect(Math.abs(p.std - 1)).toBeLessThan(STD_BAND);
    }
    expect(Math.abs(spreadRatio(sigmaFS) - 1)).toBeLessThan(STD_BAND);
  });

  it("the conifold ψ = 1 (heavier-tailed weights): Vol_CY and σ_FS spread as their error bars", () => {
    const { vol, sigmaFS } = overSeeds(1);
    expect(Math.abs(spreadRatio(vol) - 1)).toBeLessThan(STD_BAND);
    expect(Math.abs(spreadRatio(sigmaFS) - 1)).toBeLessThan(STD_BAND);
  });

  it("σ_k of the balanced metric (k = 1, ψ = 0.5; 1000 integration points, 5000 held-out) spreads as its error with the balancing's", () => {
    const q = dworkQuintic({ re: 0.5, im: 0 });
    const total: McValue[] = [];
    const heldOut: McValue[] = [];
    for (let seed = 1; seed <= BALANCED_SEEDS; seed++) {
      // as `cy donaldson --k 1 --points 1000 --eval 5000 --iterations 10 --seed <seed>`
      const points = samplePoints(q, 1000, seed);
      const metric = donaldson(q, { k: 1, iterations: 10, integrationPoints: points }).metric;
      const s = balancedSigma(metric, points, samplePoints(q, 5000, seedPlus(seed, 1)), 10);
      total.push(s.sigmaWithBalancing);
      heldOut.push(s.sigma);
    }
    const band = 4 / Math.sqrt(2 * (BALANCED_SEEDS - 1));
    console.log(
      `σ_k spread / rms error over ${BALANCED_SEEDS} seeds: ${spreadRatio(total).toFixed(3)} with the balancing error, ${spreadRatio(heldOut).toFixed(3)} without (band ±${band.toFixed(2)})`,
    );
    expect(Math.abs(spreadRatio(total) - 1)).toBeLessThan(band);
  });
});
