// Validation of the options every model sampler shares (on the CPU, on Dawn, on a page's WebGPU),
// in two steps so that createModelSampler can check its own options between them in the order
// it always has: the description, chains, seed, start and memory first; then the update rule.
import {
  checkInt,
  defineModel,
  MAX_SEED,
  type Model,
  type ModelInput,
  modelTables,
  PhysmlInputError,
} from "@physml/lattice-core";
import type { KernelKind } from "../backend.js";
import { checkMemory, estimateModelMemory, type MemoryLimitError } from "../memory.js";
import { philoxKey } from "../rng/philox.js";
import { initialOn } from "./initial-on.js";
import { isingKernel } from "./packed/choose.js";

/** Options of {@link createGpuModelSampler}: those of `createModelSampler` without the backend choice. */
export interface GpuModelSamplerOptions {
  /** A model description (validated with `defineModel`). */
  model: Model | ModelInput;
  chains: number;
  /** Integer in [0, 2^53): the Philox key. */
  seed: number;
  /** `cold` (all +1 / all along s⁰, default) or `hot` (random, from Philox). */
  init?: "cold" | "hot";
  /**
   * Ising update rule: `int` (single-site integer thresholds), `packed` (32 chains per u32 word;
   * refused for descriptions its circuit cannot express) or `auto` (default: packed when
   * chains ≥ 32 and the description fits, else int). Each is bit-identical across backends.
   */
  kernel?: "auto" | KernelKind;
  /** O(n): over-relaxation sweeps after each Metropolis sweep (default 1). */
  overrelaxation?: number;
  /**
   * Refuse with {@link MemoryLimitError} before allocating when the site tables and spins are
   * estimated ({@link estimateModelMemory}) above this many bytes. Default: 80% of the free
   * memory for `createModelSampler`; no limit for `createGpuModelSampler` (a page has no
   * free-memory figure).
   */
  maxMemory?: number;
}

/** Most chains of one model sampler. */
export const MAX_MODEL_CHAINS = 1 << 16;

/** The options checked before the update rule. */
export interface ModelBasics {
  model: Model;
  chains: number;
  seed: number;
  init: "cold" | "hot";
  /** The Philox key of `seed`. */
  key: [number, number];
}

/** Everything a model sampler is built from. */
export interface ResolvedModelOptions extends ModelBasics {
  /** The Ising rule (`int` for O(n) models, where it is unused). */
  kernel: KernelKind;
  /** O(n) only: over-relaxation sweeps per sweep and the initial spins `[chain][site][n]`. */
  on: { overrelaxation: number; spins: Float64Array } | null;
}

/**
 * Checks the options object, the description, chains, seed and start, and the memory estimate
 * against `maxMemory` (else `defaultLimit()`, unless null: no limit).
 */
export function resolveModelBasics(
  o: GpuModelSamplerOptions,
  defaultLimit: (() => number) | null,
): ModelBasics {
  if (o === null || typeof o !== "object")
    throw new PhysmlInputError("options", "an options object", typeof o);
  const model = defineModel(o.model);
  const chains = checkInt("chains", o.chains, 1, MAX_MODEL_CHAINS);
  const seed = checkInt("seed", o.seed, 0, MAX_SEED);
  const init = o.init ?? "cold";
  if (init !== "cold" && init !== "hot") throw new PhysmlInputError("init", '"cold" or "hot"', init);
  const limit = o.maxMemory ?? defaultLimit?.();
  if (limit !== undefined) checkMemory(estimateModelMemory(model, { chains, samples: 0 }), limit);
  return { model, chains, seed, init, key: philoxKey(seed) };
}

/** Checks the update rule's options (`kernel`; O(n): `overrelaxation`) and builds O(n) starts. */
export function resolveModelRule(b: ModelBasics, o: GpuModelSamplerOptions): ResolvedModelOptions {
  const kernel = isingKernel(o.kernel, b.model, b.chains);
  if (b.model.spin.kind === "ising") return { ...b, kernel, on: null };
  const overrelaxation = checkInt("overrelaxation", o.overrelaxation ?? 1, 0, 64);
  const N = modelTables(b.model).lattice.nSites;
  const spins = initialOn(b.init, b.chains, N, b.model.spin.n, b.seed);
  return { ...b, kernel, on: { overrelaxation, spins } };
}
