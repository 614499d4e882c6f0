// createGpuSampler: a sampler on a WebGPU device the caller supplies. It never reaches the CPU
// backend, Dawn or Node built-ins, so it is what a browser bundle uses (browser.ts).
import type { GpuContext } from "@physml/gpu-device";
import { resolveOptions, type SamplerOptions } from "./options.js";
import { backendInit, Sampler } from "./sampler.js";
import { createWebGpuBackend } from "./webgpu/backend.js";

/** Options of {@link createGpuSampler}: those of `createSampler` without the backend choice. */
export type GpuSamplerOptions = Omit<SamplerOptions, "backend" | "workers">;

/**
 * Creates a sampler whose chains run on `ctx`'s device: in a browser a context from
 * `requestGpuContext(navigator.gpu)` (`@physml/gpu-device`), in Node any context, e.g.
 * `requireGpuContext()`. Same seed, same chains as `createSampler` on either backend (SPEC.md).
 * Throws `PhysmlInputError` for bad options and `GpuError` for GPU failures.
 *
 * @example
 * ```ts
 * import { requestGpuContext } from "@physml/gpu-device";
 * import { squareLattice } from "@physml/lattice-core";
 * import { createGpuSampler } from "@physml/mcmc-gpu";
 *
 * const ctx = await requestGpuContext(navigator.gpu);
 * if (!ctx) throw new Error("no WebGPU adapter");
 * const s = await createGpuSampler({ lattice: squareLattice(32), couplings: { nn: 0.44 }, chains: 64, seed: 1 }, ctx);
 * const m = await s.measure({ sweeps: 1000, every: 10 });
 * ```
 */
export async function createGpuSampler(options: GpuSamplerOptions, ctx: GpuContext): Promise<Sampler> {
  const opts = resolveOptions({ ...options, backend: "webgpu" });
  const impl = await createWebGpuBackend(backendInit(opts), ctx);
  return new Sampler(impl, opts);
}
