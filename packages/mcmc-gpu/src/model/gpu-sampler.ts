// createGpuModelSampler: a model sampler on a WebGPU device the caller supplies. It never reaches
// the CPU backend (worker threads), Dawn or Node built-ins, so a browser bundle uses it
// (../browser.ts); createModelSampler (./sampler.ts) builds its WebGPU samplers here too.
import type { GpuContext } from "@physml/gpu-device";
import { ISING_SAMPLERS } from "./ising/rules.js";
import { ModelSampler } from "./model-sampler.js";
import {
  type GpuModelSamplerOptions,
  type ResolvedModelOptions,
  resolveModelBasics,
  resolveModelRule,
} from "./options.js";
import { OnMetropolis } from "./rules/on-metropolis.js";

type WebGpuOn = typeof import("../webgpu/on-model-gpu.js");

/** The sampler of validated options on `ctx`'s device. */
export async function gpuModelSampler(r: ResolvedModelOptions, ctx: GpuContext): Promise<ModelSampler> {
  const { model, chains, seed } = r;
  if (!r.on)
    return ISING_SAMPLERS[r.kernel]({
      ...r,
      place: { kind: "webgpu", ctx },
      sampler: (impl, rules) => new ModelSampler(model, chains, seed, impl, null, rules),
    });
  // The GPU kernels follow the generic O(n) rule (also for XY), tested statistically.
  const met = new OnMetropolis(model, chains);
  const names = r.on.overrelaxation > 0 ? [met.name, "on-overrelaxation"] : [met.name];
  // Loaded only when an O(n) model runs on the GPU.
  const { createOnModelGpu } = (await import("../webgpu/on-model-gpu.js")) as WebGpuOn;
  const impl = await createOnModelGpu(model, r.on.spins, chains, seed, met, r.on.overrelaxation, ctx);
  return new ModelSampler(model, chains, seed, impl, met, names);
}

/**
 * Creates a model sampler whose chains run on `ctx`'s device: in a browser a context from
 * `requestGpuContext(navigator.gpu)` (`@physml/gpu-device`), in Node any context, e.g.
 * `requireGpuContext()`. Same seed, same chains as `createModelSampler({ backend: "webgpu" })`
 * (Ising: also as its CPU backend, bit for bit; O(n) runs in f32 here, Float64 on the CPU).
 * Throws `PhysmlInputError` for bad options, `MemoryLimitError` above `maxMemory` and
 * `GpuError` for GPU failures.
 *
 * @example
 * ```ts
 * import { requestGpuContext } from "@physml/gpu-device";
 * import { createGpuModelSampler } from "@physml/mcmc-gpu";
 *
 * const ctx = await requestGpuContext(navigator.gpu);
 * if (!ctx) throw new Error("no WebGPU adapter");
 * const s = await createGpuModelSampler(
 *   { model: { spin: "xy", lattice: { chain: 64 }, terms: [{ name: "nn", coupling: 1.5, sites: [[0], [1]] }] }, chains: 8, seed: 1 },
 *   ctx,
 * );
 * await s.sweep(500);
 * const m = await s.measure({ sweeps: 2000 });
 * ```
 */
export async function createGpuModelSampler(
  options: GpuModelSamplerOptions,
  ctx: GpuContext,
): Promise<ModelSampler> {
  const r = resolveModelRule(resolveModelBasics(options, null), options);
  return gpuModelSampler(r, ctx);
}
