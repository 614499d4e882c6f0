// Compiles WGSL modules into compute pipelines, once per (device, sources, constants).
// Pipeline-overridable constants carry the lattice size and colouring, so the compiler sees
// them as constants (cheap index arithmetic) and one WGSL file serves every lattice.
import { type GpuContext, withGpuErrors } from "@physml/gpu-device";
import { shaderSource } from "./shader-path.js";

const cache = new WeakMap<GPUDevice, Map<string, Promise<GPUComputePipeline>>>();

/** What to compile: the WGSL files (concatenated), the entry point and override constants. */
export interface PipelineSpec {
  /** Kernel name used in errors, e.g. `ising_int.sweep`. */
  kernel: string;
  files: readonly string[];
  entryPoint: string;
  constants?: Record<string, number>;
  /** Explicit layout (needed for dynamic offsets); `auto` otherwise. */
  layout?: GPUPipelineLayout;
  /** Distinguishes explicit layouts in the cache key. */
  layoutKey?: string;
}

/** The pipeline for `spec`, compiled inside an error scope so WGSL errors name the kernel. */
export function getPipeline(ctx: GpuContext, spec: PipelineSpec): Promise<GPUComputePipeline> {
  let perDevice = cache.get(ctx.device);
  if (!perDevice) {
    perDevice = new Map();
    cache.set(ctx.device, perDevice);
  }
  const key = JSON.stringify([spec.files, spec.entryPoint, spec.constants ?? {}, spec.layoutKey ?? "auto"]);
  let p = perDevice.get(key);
  if (!p) {
    p = compile(ctx, spec);
    perDevice.set(key, p);
    // A failed compilation must not poison the cache for later attempts.
    p.catch(() => perDevice.delete(key));
  }
  return p;
}

async function compile(ctx: GpuContext, spec: PipelineSpec): Promise<GPUComputePipeline> {
  const code = await shaderSource(spec.files);
  return withGpuErrors(ctx, spec.kernel, () => {
    const module = ctx.device.createShaderModule({ label: spec.kernel, code });
    return ctx.device.createComputePipeline({
      label: spec.kernel,
      layout: spec.layout ?? "auto",
      compute: { module, entryPoint: spec.entryPoint, constants: spec.constants ?? {} },
    });
  });
}
