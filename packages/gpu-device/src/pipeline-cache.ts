// Compute pipelines cached per device and shader. Compiling WGSL is by far the most expensive
// step of a kernel's first use (tens of ms on SwiftShader), so every package compiles through
// this one cache. A pipeline is identified by its WGSL source (or a caller's key standing for
// it), entry point, override constants and layout; the kernel name only labels it.
import { type GpuContext, withGpuErrors } from "./device.js";

/** How to build a pipeline, apart from its WGSL source. */
export interface PipelineOptions {
  /** Names the kernel in labels and in `GpuError`s, e.g. `ising_int.sweep`. */
  kernel: string;
  /** The entry point; default `main`. */
  entryPoint?: string;
  /** Pipeline-overridable constants (part of the cache key, in the order given). */
  constants?: Readonly<Record<string, number>>;
  /** An explicit layout (needed for dynamic offsets); `auto` when absent. */
  layout?: GPUPipelineLayout;
  /** Tells explicit layouts apart in the cache key; give one whenever `layout` is given. */
  layoutKey?: string;
}

/**
 * What to compile: the WGSL source itself (which is then its own cache key), or a function
 * producing it, called only on a cache miss, with a `key` that determines the source.
 */
export type ComputePipelineSpec = PipelineOptions &
  ({ code: string; key?: string } | { code: () => string; key: string });

const cache = new WeakMap<GPUDevice, DeviceCache>();

interface DeviceCache {
  ready: Map<string, GPUComputePipeline>;
  /** Compilations under way in {@link compilePipeline}, shared by concurrent callers. */
  pending: Map<string, Promise<GPUComputePipeline>>;
}

function deviceCache(device: GPUDevice): DeviceCache {
  let c = cache.get(device);
  if (!c) {
    c = { ready: new Map(), pending: new Map() };
    cache.set(device, c);
  }
  return c;
}

function cacheKey(spec: ComputePipelineSpec): string {
  const source = typeof spec.code === "string" ? (spec.key ?? spec.code) : spec.key;
  const constants = spec.constants ? JSON.stringify(spec.constants) : "{}";
  return `${spec.entryPoint ?? "main"}\n${spec.layoutKey ?? "auto"}\n${constants}\n${source}`;
}

function createPipeline(device: GPUDevice, spec: ComputePipelineSpec): GPUComputePipeline {
  const code = typeof spec.code === "string" ? spec.code : spec.code();
  const module = device.createShaderModule({ label: spec.kernel, code });
  return device.createComputePipeline({
    label: spec.kernel,
    layout: spec.layout ?? "auto",
    compute: { module, entryPoint: spec.entryPoint ?? "main", constants: spec.constants ?? {} },
  });
}

/**
 * The pipeline for `spec`, created synchronously on first use and cached per device. No error
 * scope is opened: compile errors land in the caller's scopes (for callers that record many
 * dispatches and check errors in batches), and the pipeline the device returned is cached as it
 * is. Use {@link compilePipeline} to get compile errors as a `GpuError` instead.
 */
export function getPipeline(device: GPUDevice, spec: ComputePipelineSpec): GPUComputePipeline {
  const { ready } = deviceCache(device);
  const key = cacheKey(spec);
  let pipeline = ready.get(key);
  if (!pipeline) {
    pipeline = createPipeline(device, spec);
    ready.set(key, pipeline);
  }
  return pipeline;
}

/**
 * The pipeline for `spec`, compiled inside error scopes so that a WGSL or validation error
 * rejects with a `GpuError` naming `spec.kernel`. Concurrent calls for the same pipeline share
 * one compilation; a failed one is not cached, so a later call tries again.
 */
export function compilePipeline(ctx: GpuContext, spec: ComputePipelineSpec): Promise<GPUComputePipeline> {
  const { ready, pending } = deviceCache(ctx.device);
  const key = cacheKey(spec);
  const hit = ready.get(key);
  if (hit) return Promise.resolve(hit);
  let compiling = pending.get(key);
  if (!compiling) {
    compiling = withGpuErrors(ctx, spec.kernel, () => createPipeline(ctx.device, spec)).then(
      (pipeline) => {
        pending.delete(key);
        ready.set(key, pipeline);
        return pipeline;
      },
      (error: unknown) => {
        pending.delete(key);
        throw error;
      },
    );
    pending.set(key, compiling);
  }
  return compiling;
}

/** Number of pipelines cached for `device` (compilations under way not counted); for tests and stats. */
export function cachedPipelineCount(device: GPUDevice): number {
  return cache.get(device)?.ready.size ?? 0;
}
