// The checks the sampler tests make against exact results, written once: an estimate within 4
// standard errors, the pooled estimate over chains, and the χ² of a state histogram.
import { type Estimate, estimateChains, isingStateProbabilities, type Model } from "@physml/lattice-core";
import { expect } from "vitest";
import type { ModelMeasurements } from "../src/model/measurements.js";

/** The estimate has an error bar and lies within 4 of them of the exact value. */
export function within4(est: Pick<Estimate, "mean" | "error">, exact: number): void {
  expect(est.error).toBeGreaterThan(0);
  expect(Math.abs(est.mean - exact)).toBeLessThan(4 * est.error);
}

/** One series per chain of `m`, pooled into one estimate. */
export function pooled(m: ModelMeasurements, f: (m: ModelMeasurements, c: number) => Float64Array): Estimate {
  return estimateChains(Array.from({ length: m.chains }, (_, c) => f(m, c)));
}

/**
 * The states of `chains` independent chains (±1 spins, chain-major) follow the exact Boltzmann
 * distribution of `model`: χ² over the state histogram (bins expected below 5 merged into one)
 * below the χ²_df quantile 4σ above its mean (Wilson–Hilferty).
 */
export function expectBoltzmannHistogram(model: Model, spins: Int8Array, chains: number): void {
  const p = isingStateProbabilities(model);
  const N = Math.log2(p.length);
  const counts = new Float64Array(p.length);
  for (let c = 0; c < chains; c++) {
    let k = 0;
    for (let i = 0; i < N; i++) if (spins[N * c + i] < 0) k |= 1 << i;
    counts[k]++;
  }
  let chi2 = 0;
  let bins = 0;
  let restE = 0;
  let restO = 0;
  for (let k = 0; k < p.length; k++) {
    const e = chains * p[k];
    if (e < 5) {
      restE += e;
      restO += counts[k];
      continue;
    }
    chi2 += (counts[k] - e) ** 2 / e;
    bins++;
  }
  if (restE > 0) {
    chi2 += (restO - restE) ** 2 / restE;
    bins++;
  }
  const df = bins - 1;
  const a = 2 / (9 * df);
  expect(chi2).toBeLessThan(df * (1 - a + 4 * Math.sqrt(a)) ** 3);
}
