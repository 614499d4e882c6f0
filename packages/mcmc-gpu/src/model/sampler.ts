// A sampler over any model description: Ising descriptions run the integer-threshold
// Metropolis rule (CPU, or its generated WGSL twin, bit-identical); O(n) descriptions run
// Metropolis with per-chain adaptive width plus over-relaxation sweeps (CPU Float64, WebGPU f32;
// XY on the CPU rotates by one uniform angle, xy-metropolis.ts). The CPU backend uses worker
// threads (cpu-backend.ts); the result depends only on the seed.

import { type BackendChoice, resolveBackend } from "@physml/gpu-device";
import {
  checkInt,
  defaultMemoryLimit,
  defaultThreads,
  defineModel,
  type Model,
  type ModelInput,
  modelTables,
  PhysmlInputError,
} from "@physml/lattice-core";
import type { KernelKind } from "../backend.js";
import { checkMemory, estimateModelMemory, type MemoryLimitError } from "../memory.js";
import { philox4x32, philoxKey } from "../rng/philox.js";
import { CpuModelBackend, type CpuModelOptions } from "./cpu-backend.js";
import { ModelEngine, modelEngineDescriptor } from "./engine.js";
import { intIsingSampler } from "./ising/int.js";
import { packedIsingSampler } from "./ising/packed.js";
import type { IsingSamplerFactory } from "./ising/setup.js";
import { ModelSampler } from "./model-sampler.js";
import { isingKernel } from "./packed/choose.js";
import { OnMetropolis } from "./rules/on-metropolis.js";

/** Options of {@link createModelSampler}. */
export interface ModelSamplerOptions {
  /** A model description (validated with `defineModel`). */
  model: Model | ModelInput;
  chains: number;
  /** Integer in [0, 2^53): the Philox key. */
  seed: number;
  /** `cpu` (default), `webgpu` or `auto`. Ising: bit-identical; O(n): f32 on the GPU, Float64 on the CPU. */
  backend?: BackendChoice;
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
  /** CPU threads including the main one (default: all cores). The result does not depend on it. */
  workers?: number;
  /** @internal CPU thread thresholds (tests force the worker paths with 0). */
  cpu?: Omit<CpuModelOptions, "threads">;
  /**
   * Refuse with {@link MemoryLimitError} before allocating when the site tables and spins are
   * estimated ({@link estimateModelMemory}) above this many bytes (default: 80% of the free memory).
   */
  maxMemory?: number;
}

/** Most chains of one model sampler. */
export const MAX_MODEL_CHAINS = 1 << 16;

/** Hot/cold O(n) starts: hot uses normals from Philox(key, (c, 0xFFFFFFFF, 0xFFFFFFFE, i)). */
function initialOn(init: "cold" | "hot", chains: number, N: number, n: number, seed: number): Float64Array {
  const out = new Float64Array(chains * N * n);
  const [k0, k1] = philoxKey(seed);
  const w = new Uint32Array(4);
  for (let c = 0; c < chains; c++)
    for (let i = 0; i < N; i++) {
      const o = (c * N + i) * n;
      if (init === "cold") {
        out[o] = 1;
        continue;
      }
      let norm = 0;
      for (let a = 0; a < n; a += 2) {
        philox4x32(k0, k1, c, 0xffffffff, 0xfffffffe - a, i, w);
        const r = Math.sqrt(-2 * Math.log((w[0] + 1) / 4294967296));
        const phi = (2 * Math.PI * w[1]) / 4294967296;
        out[o + a] = r * Math.cos(phi);
        if (a + 1 < n) out[o + a + 1] = r * Math.sin(phi);
      }
      for (let a = 0; a < n; a++) norm += out[o + a] ** 2;
      for (let a = 0; a < n; a++) out[o + a] /= Math.sqrt(norm);
    }
  return out;
}

type WebGpuOn = typeof import("../webgpu/on-model-gpu.js");

/** The sampler of each Ising rule (`kernel`). */
const ISING_SAMPLERS: Readonly<Record<KernelKind, IsingSamplerFactory>> = {
  int: intIsingSampler,
  packed: packedIsingSampler,
};

/**
 * Creates a sampler for any model description. Ising: integer-threshold Metropolis (CPU or
 * WebGPU, bit-identical), or the replica-packed rule (`kernel`, auto from 32 chains; CPU or
 * its generated WGSL twin, bit-identical).
 * O(n): Metropolis with adaptive width + over-relaxation (CPU, Float64).
 *
 * @example
 * const s = await createModelSampler({
 *   model: { spin: "xy", lattice: { chain: 64 }, terms: [{ name: "nn", coupling: 1.5, sites: [[0], [1]] }] },
 *   chains: 8, seed: 1,
 * });
 * await s.sweep(500);
 * const m = await s.measure({ sweeps: 2000 });
 */
export async function createModelSampler(o: ModelSamplerOptions): Promise<ModelSampler> {
  if (o === null || typeof o !== "object")
    throw new PhysmlInputError("options", "an options object", typeof o);
  const model = defineModel(o.model);
  const chains = checkInt("chains", o.chains, 1, MAX_MODEL_CHAINS);
  const seed = checkInt("seed", o.seed, 0, 2 ** 53 - 1);
  const init = o.init ?? "cold";
  if (init !== "cold" && init !== "hot") throw new PhysmlInputError("init", '"cold" or "hot"', init);
  checkMemory(estimateModelMemory(model, { chains, samples: 0 }), o.maxMemory ?? defaultMemoryLimit());
  const key = philoxKey(seed);
  const N = modelTables(model).lattice.nSites;
  const workers = checkInt("workers", o.workers ?? defaultThreads(), 1, 256);
  const cpu = (overrelaxation: number, initial: Int8Array | Float64Array) => {
    const desc = modelEngineDescriptor(model, chains, key, overrelaxation, initial.byteLength, workers > 1);
    const engine = new ModelEngine(desc);
    engine.state.spins.set(initial);
    const names = engine.rules.map(({ rule }) => rule.name);
    const impl = new CpuModelBackend(engine, { ...o.cpu, threads: workers });
    return new ModelSampler(model, chains, seed, impl, engine.adaptive, names);
  };
  const kernel = isingKernel(o.kernel, model, chains);
  if (model.spin.kind === "ising") {
    const choice = o.backend ?? "cpu";
    const resolved = choice === "cpu" ? null : await resolveBackend(choice);
    return ISING_SAMPLERS[kernel]({
      model,
      chains,
      seed,
      init,
      key,
      gpu: resolved?.kind === "webgpu" ? resolved.ctx : null,
      genericCpu: (initial) => cpu(0, initial),
      sampler: (impl, rules) => new ModelSampler(model, chains, seed, impl, null, rules),
    });
  }
  const overrelax = checkInt("overrelaxation", o.overrelaxation ?? 1, 0, 64);
  const spins = initialOn(init, chains, N, model.spin.n, seed);
  if ((o.backend ?? "cpu") !== "cpu") {
    const resolved = await resolveBackend(o.backend);
    if (resolved.kind === "webgpu") {
      // The GPU kernels follow the generic O(n) rule (also for XY), tested statistically.
      const met = new OnMetropolis(model, chains);
      const names = overrelax > 0 ? [met.name, "on-overrelaxation"] : [met.name];
      const { createOnModelGpu } = (await import("../webgpu/on-model-gpu.js")) as WebGpuOn;
      const impl = await createOnModelGpu(model, spins, chains, seed, met, overrelax, resolved.ctx);
      return new ModelSampler(model, chains, seed, impl, met, names);
    }
  }
  return cpu(overrelax, spins);
}
