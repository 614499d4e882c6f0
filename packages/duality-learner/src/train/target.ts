// Target data: the shape features ⟨ψ_a(x)⟩_β of the original model, with binning errors; the
// same sampling measures the learned map's features for the validation.
import { type LinkShape, PhysmlInputError, type SquareLattice } from "@physml/lattice-core";
import { createSampler } from "@physml/mcmc-gpu";
import type { DualityConfig } from "../config.js";
import { featuresBatch, linkVariablesBatch, shapeTables } from "../model/features.js";
import { summariseSeries } from "./feature-stats.js";
import type { TargetData } from "./target-data.js";
import { sampleTwistSummed } from "./twisted-target.js";

/** The boundary the target is sampled with: `target.boundary`, with "auto" resolved. */
export function targetBoundary(config: DualityConfig): "periodic" | "twist-sum" {
  const tc = config.target;
  const twistable = config.plaquette === 0 && config.nnn === 0 && tc.temperingEvery === 0;
  if (tc.boundary === "twist-sum" && !twistable) {
    throw new PhysmlInputError(
      "target.boundary",
      '"periodic" or "auto" with a plaquette or nnn coupling or tempering (the exact twist weights are those of the nearest-neighbour model; the twisted sampler has no tempering)',
      tc.boundary,
    );
  }
  if (tc.boundary === "periodic") return "periodic";
  return twistable ? "twist-sum" : "periodic";
}

/** Samples the original model at (β, κ) and measures every shape feature of x = s_i s_j. */
export async function measureTarget(
  config: DualityConfig,
  lattice: SquareLattice,
  shapes: readonly LinkShape[],
): Promise<TargetData> {
  const tc = config.target;
  // A seed stream distinct from the candidate chains'.
  const seed = (config.seed * 2 + 1) % 2 ** 53;
  if (targetBoundary(config) === "twist-sum") return sampleTwistSummed(config, lattice, shapes, seed);
  const data = await sampleFeatures(config, lattice, shapes, {
    couplings: { nn: config.beta, plaquette: config.plaquette, nnn: config.nnn },
    seed,
    ...(tc.temperingEvery > 0 ? { tempering: { every: tc.temperingEvery } } : {}),
  });
  return { ...data, boundary: "periodic" };
}

/** Which model {@link sampleFeatures} samples, and the link field whose features it measures. */
export interface FeatureSource {
  couplings: { nn: number; plaquette?: number; nnn?: number; field?: number };
  seed: number;
  tempering?: { every: number };
  /** The link field of `count` link-variable rows `[sample][link]` (default: x itself). */
  map?: (x: Float64Array, count: number) => Float64Array;
}

/**
 * Samples a model with the target's chain settings (`config.target`: chains, warm-up, samples,
 * spacing) and measures the shape features of a link field of x, with binning errors per
 * feature and the covariance of the means from the spread of the independent chains.
 */
export async function sampleFeatures(
  config: DualityConfig,
  lattice: SquareLattice,
  shapes: readonly LinkShape[],
  source: FeatureSource,
): Promise<TargetData> {
  const t0 = Date.now();
  const tc = config.target;
  const { couplings } = source;
  const sampler = await createSampler({
    lattice,
    couplings,
    chains: tc.chains,
    seed: source.seed,
    backend: config.backend,
    init: "cold",
    ...(source.tempering ? { tempering: source.tempering } : {}),
  });
  try {
    await sampler.sweep(tc.warmupSweeps);
    const tables = shapeTables(lattice, shapes);
    const A = shapes.length;
    const series: Float64Array[][] = shapes.map(() =>
      Array.from({ length: tc.chains }, () => new Float64Array(tc.samples)),
    );
    // Chunks keep the configuration buffers small on large lattices.
    const chunk = Math.max(1, Math.min(tc.samples, Math.floor(2 ** 22 / (tc.chains * lattice.nSites))));
    for (let done = 0; done < tc.samples; done += chunk) {
      const n = Math.min(chunk, tc.samples - done);
      const m = await sampler.measure({ sweeps: n * tc.every, every: tc.every, configurations: true });
      const conf = m.configurations as Int8Array;
      const x = linkVariablesBatch(lattice, conf, tc.chains * n);
      const f = featuresBatch(lattice, tables, source.map ? source.map(x, tc.chains * n) : x, tc.chains * n);
      for (let c = 0; c < tc.chains; c++) {
        for (let s = 0; s < n; s++) {
          const row = c * n + s;
          for (let a = 0; a < A; a++) series[a][c][done + s] = f[row * A + a];
        }
      }
    }
    return {
      shapes: shapes.map((s) => s.name),
      ...summariseSeries(series),
      chains: tc.chains,
      samplesPerChain: tc.samples,
      wallTimeMs: Date.now() - t0,
      backend: sampler.backend,
    };
  } finally {
    await sampler.dispose();
  }
}
