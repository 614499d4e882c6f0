// The two sample sets of a lines run — training and fresh, other seeds — of the model the
// configuration names (or of its Kramers–Wannier dual), shared by both chunk types.
import { sampleModel } from "@physml/inverse-ising";
import {
  defineModel,
  dualCoupling,
  PhysmlInputError,
  STANDARD_SQUARE_SHAPES,
  seedPlus,
} from "@physml/lattice-core";
import type { LinesConfig } from "../config.js";

export interface LineSamples {
  /** The nn coupling actually sampled: β, or β̃ with --dual. */
  K: number;
  train: Int8Array;
  fresh: Int8Array;
  /** Configurations per set. */
  count: number;
  seconds: number;
}

/** Checks the flags that only make sense together, then samples both sets. */
export async function sampleLineSets(c: LinesConfig): Promise<LineSamples> {
  const t0 = performance.now();
  if (c.sampleDual && c.plaquette !== 0)
    throw new PhysmlInputError(
      "plaquette",
      "0 with --dual (the dual of the plaquette model is not known)",
      c.plaquette,
    );
  if (c.chains % c.blocks && c.blocks % c.chains)
    throw new PhysmlInputError("blocks", `a divisor or multiple of --chains (${c.chains})`, c.blocks);
  const K = c.sampleDual ? dualCoupling(c.beta) : c.beta;
  const model = defineModel({
    spin: "ising",
    lattice: { square: [c.L, c.L] },
    terms: [
      { name: "nn", coupling: K, shapes: STANDARD_SQUARE_SHAPES.nn },
      ...(c.plaquette !== 0
        ? [{ name: "plaquette", coupling: c.plaquette, shapes: STANDARD_SQUARE_SHAPES.plaquette }]
        : []),
    ],
  });
  const opts = {
    chains: c.chains,
    samplesPerChain: c.samplesPerChain,
    warmupSweeps: c.warmupSweeps,
    every: c.every,
  };
  const train = await sampleModel(model, { ...opts, seed: c.seed });
  const fresh = await sampleModel(model, { ...opts, seed: seedPlus(c.seed, 1_000_003) });
  return {
    K,
    train: train.spins,
    fresh: fresh.spins,
    count: train.count,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** What every lines run reports besides its geometries, whatever the chunk. */
export interface LinesRunSummary {
  L: number;
  beta: number;
  /** The plaquette coupling κ sampled with β. */
  plaquette: number;
  /** Whether the samples are of the Kramers–Wannier dual model at β̃ (`--dual`) instead of β. */
  sampleDual: boolean;
  /** The nn coupling actually sampled: β, or β̃ with --dual. */
  sampledCoupling: number;
  configurations: number;
  paths: string[];
  pairs: [string, string][];
  sampleSeconds: number;
  seconds: number;
}

/** The summary of a finished run that started at `t0` (performance.now()). */
export function runSummary(
  c: LinesConfig,
  samples: LineSamples,
  paths: string[],
  pairs: readonly [number, number][],
  t0: number,
): LinesRunSummary {
  return {
    L: c.L,
    beta: c.beta,
    plaquette: c.plaquette,
    sampleDual: c.sampleDual,
    sampledCoupling: samples.K,
    configurations: samples.count,
    paths,
    pairs: pairs.map(([a, b]) => [paths[a], paths[b]]),
    sampleSeconds: samples.seconds,
    seconds: (performance.now() - t0) / 1000,
  };
}
