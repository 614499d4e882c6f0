// A sampler over any model description: Ising descriptions run the integer-threshold
// Metropolis rule (CPU, or its generated WGSL twin, bit-identical); O(n) descriptions run
// Metropolis with per-chain adaptive width plus over-relaxation sweeps (CPU Float64, WebGPU f32;
// XY on the CPU rotates by one uniform angle, xy-metropolis.ts). The CPU backend uses worker
// threads (cpu-backend.ts); the result depends only on the seed. WebGPU samplers are built by
// ./gpu-sampler.ts, which a browser uses directly.

import { type BackendChoice, resolveBackend } from "@physml/gpu-device";
import { checkInt, defaultMemoryLimit, defaultThreads } from "@physml/lattice-core";
import { CpuModelBackend, type CpuModelOptions } from "./cpu-backend.js";
import { ModelEngine, modelEngineDescriptor } from "./engine.js";
import { gpuModelSampler } from "./gpu-sampler.js";
import { ISING_SAMPLERS } from "./ising/rules.js";
import { ModelSampler } from "./model-sampler.js";
import {
  type GpuModelSamplerOptions,
  type ResolvedModelOptions,
  resolveModelBasics,
  resolveModelRule,
} from "./options.js";

/** Options of {@link createModelSampler}. */
export interface ModelSamplerOptions extends GpuModelSamplerOptions {
  /** `cpu` (default), `webgpu` or `auto`. Ising: bit-identical; O(n): f32 on the GPU, Float64 on the CPU. */
  backend?: BackendChoice;
  /** CPU threads including the main one (default: all cores). The result does not depend on it. */
  workers?: number;
  /** @internal CPU thread thresholds (tests force the worker paths with 0). */
  cpu?: Omit<CpuModelOptions, "threads">;
}

/** The CPU sampler of validated options: the generic engine, or the packed Ising rule. */
function cpuModelSampler(
  r: ResolvedModelOptions,
  threads: number,
  cpuOptions: ModelSamplerOptions["cpu"],
): Promise<ModelSampler> | ModelSampler {
  const { model, chains, seed, key } = r;
  const generic = (overrelaxation: number, initial: Int8Array | Float64Array) => {
    const desc = modelEngineDescriptor(model, chains, key, overrelaxation, initial.byteLength, threads > 1);
    const engine = new ModelEngine(desc);
    engine.state.spins.set(initial);
    const names = engine.rules.map(({ rule }) => rule.name);
    const impl = new CpuModelBackend(engine, { ...cpuOptions, threads });
    return new ModelSampler(model, chains, seed, impl, engine.adaptive, names);
  };
  if (r.on) return generic(r.on.overrelaxation, r.on.spins);
  return ISING_SAMPLERS[r.kernel]({
    ...r,
    place: { kind: "cpu", genericCpu: (initial) => generic(0, initial) },
    sampler: (impl, rules) => new ModelSampler(model, chains, seed, impl, null, rules),
  });
}

/**
 * Creates a sampler for any model description. Ising: integer-threshold Metropolis (CPU or
 * WebGPU, bit-identical), or the replica-packed rule (`kernel`, auto from 32 chains; CPU or
 * its generated WGSL twin, bit-identical).
 * O(n): Metropolis with adaptive width + over-relaxation (CPU Float64, WebGPU f32).
 * On a WebGPU device of your own (a page's), use `createGpuModelSampler`.
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
  const basics = resolveModelBasics(o, defaultMemoryLimit);
  const workers = checkInt("workers", o.workers ?? defaultThreads(), 1, 256);
  const r = resolveModelRule(basics, o);
  const choice = o.backend ?? "cpu";
  if (choice !== "cpu") {
    const resolved = await resolveBackend(choice);
    if (resolved.kind === "webgpu") return gpuModelSampler(r, resolved.ctx);
  }
  return cpuModelSampler(r, workers, o.cpu);
}
