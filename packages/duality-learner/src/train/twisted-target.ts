// The target on the twist-summed torus. On a finite periodic torus the Kramers–Wannier map is
// exact only up to the winding sectors; summing the original model over its four Z2 boundary
// twists (antiperiodic along x, y, both) removes them: the twist-summed model at β has exactly
// the mapped link correlators of the periodic model at β̃ (lattice-core's twist tests check this
// by enumeration). Each twist is sampled on its own chains (twist moves would barely mix in the
// ordered phase) and weighted by its exact partition function from Kaufman's sectors.
import {
  kaufmanTwistSectors,
  type LinkShape,
  nearestNeighbourShapes,
  type SquareLattice,
} from "@physml/lattice-core";
import { createModelSampler } from "@physml/mcmc-gpu";
import type { DualityConfig } from "../config.js";
import { featuresBatch, linkVariablesBatch, shapeTables } from "../model/features.js";
import { summariseSeries } from "./feature-stats.js";
import type { TargetData } from "./target-data.js";

/**
 * Samples the nearest-neighbour model at β in each twist sector with a quarter of the target
 * chains (at least 2) and combines the sectors' features with their exact weights w_t:
 * mean Σ w_t μ_t, error √Σ w_t² σ_t², covariance Σ w_t² C_t, τ_int weight-averaged. A sector
 * whose weight is 0 to double precision is not sampled.
 */
export async function sampleTwistSummed(
  config: DualityConfig,
  lattice: SquareLattice,
  shapes: readonly LinkShape[],
  seed: number,
): Promise<TargetData> {
  const t0 = Date.now();
  const tc = config.target;
  const sectors = kaufmanTwistSectors(lattice.Lx, lattice.Ly, config.beta);
  const chains = Math.max(2, Math.ceil(tc.chains / 4));
  const tables = shapeTables(lattice, shapes);
  const A = shapes.length;
  const mean = new Array<number>(A).fill(0);
  const variance = new Array<number>(A).fill(0);
  const tauInt = new Array<number>(A).fill(0);
  const covariance = shapes.map(() => new Array<number>(A).fill(0));
  let backend = "cpu";
  let sampled = 0;
  for (const [t, sector] of sectors.entries()) {
    if (sector.weight === 0) continue;
    const sampler = await createModelSampler({
      model: {
        spin: "ising",
        lattice: { square: [lattice.Lx, lattice.Ly], twist: sector.twist },
        terms: [{ name: "nn", coupling: config.beta, shapes: nearestNeighbourShapes(2) }],
      },
      chains,
      // One Philox stream per sector; sector 0 keeps the periodic target's key.
      seed: (seed + t * 0x10000000) % 2 ** 53,
      ...(config.backend ? { backend: config.backend } : {}),
      init: "cold",
    });
    try {
      backend = sampler.backend;
      await sampler.sweep(tc.warmupSweeps);
      const series = shapes.map(() => Array.from({ length: chains }, () => new Float64Array(tc.samples)));
      for (let k = 0; k < tc.samples; k++) {
        await sampler.sweep(tc.every);
        const conf = (await sampler.snapshot()) as Int8Array;
        const x = linkVariablesBatch(lattice, conf, chains, sector.twist);
        const f = featuresBatch(lattice, tables, x, chains);
        for (let c = 0; c < chains; c++) for (let a = 0; a < A; a++) series[a][c][k] = f[c * A + a];
      }
      const s = summariseSeries(series);
      const w = sector.weight;
      for (let a = 0; a < A; a++) {
        mean[a] += w * s.mean[a];
        variance[a] += w * w * s.error[a] ** 2;
        tauInt[a] += w * s.tauInt[a];
        for (let b = 0; b < A; b++) covariance[a][b] += w * w * s.covariance[a][b];
      }
      sampled += chains;
    } finally {
      await sampler.dispose();
    }
  }
  return {
    shapes: shapes.map((s) => s.name),
    mean,
    error: variance.map(Math.sqrt),
    tauInt,
    covariance,
    chains: sampled,
    samplesPerChain: tc.samples,
    wallTimeMs: Date.now() - t0,
    backend,
    boundary: "twist-sum",
    sectorWeights: sectors.map((s) => s.weight),
  };
}
