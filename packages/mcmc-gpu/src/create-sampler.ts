// createSampler: validates options, picks the backend (CPU worker threads, or WebGPU on Dawn's
// shared device) and builds the Sampler. Node only; a browser uses createGpuSampler.
import { type GpuContext, resolveBackend } from "@physml/gpu-device";
import type { BackendInit, SamplerBackend } from "./backend.js";
import { createCpuBackend } from "./cpu/backend.js";
import { resolveOptions, type SamplerOptions } from "./options.js";
import { backendInit, Sampler } from "./sampler.js";

type WebGpuModule = {
  createWebGpuBackend(init: BackendInit, ctx: GpuContext): Promise<SamplerBackend>;
};

async function loadWebGpu(): Promise<WebGpuModule> {
  // Loaded only when the WebGPU backend is chosen, so CPU-only users never load Dawn code.
  return (await import("./webgpu/index.js")) as WebGpuModule;
}

/**
 * Creates a sampler (see {@link SamplerOptions}). Throws `PhysmlInputError` for bad options.
 *
 * @example
 * const s = await createSampler({ lattice: squareLattice(16), couplings: { nn: 0.44 }, chains: 64, seed: 1 });
 * await s.sweep(1000);
 * const m = await s.measure({ sweeps: 1000, every: 10 });
 */
export async function createSampler(options: SamplerOptions): Promise<Sampler> {
  const opts = resolveOptions(options);
  const init = backendInit(opts);
  const resolved = await resolveBackend(opts.backend);
  let impl: SamplerBackend;
  if (resolved.kind === "webgpu") {
    const { createWebGpuBackend } = await loadWebGpu();
    impl = await createWebGpuBackend(init, resolved.ctx);
  } else {
    impl = await createCpuBackend(init, opts.workers === undefined ? {} : { threads: opts.workers });
  }
  return new Sampler(impl, opts);
}
