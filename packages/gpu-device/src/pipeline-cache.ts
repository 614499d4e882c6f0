// Compute pipelines cached per device and shader. Compiling WGSL is by far the most expensive
// step of a kernel's first use (tens of ms on SwiftShader), so every package compiles through
// this one cache. A pipeline is identified by its WGSL source (or a caller's key standing for
// it), entry point, override constants and layout; the kernel name only labels it.
import { type GpuContext, withGpuErrors } from "./context.js";

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
  /**
   * Compile for this caller only, neither looked up nor kept: for kernels generated per parameter
   * value (couplings baked in as constants), which a cache kept for the device's life would
   * collect without bound. Error handling is the same.
   */
  transient?: boolean;
}

/**
 * What to compile: the WGSL source itself (which is then its own cache key), or a function
 * producing it, called only on a cache miss, with a `key` that determines the source.
 */
export type ComputePipelineSpec = PipelineOptions &
  ({ code: string; key?: string } | { code: () => string; key: string });

const cache = new WeakMap<GPUDevice, DeviceCache>();

interface DeviceCache {
  /** Source (or its key) → variant (entry point, layout, constants) → pipeline. */
  ready: Map<string, Map<string, GPUComputePipeline>>;
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

function sourceKey(spec: ComputePipelineSpec): string {
  if (spec.key !== undefined) return spec.key;
  if (typeof spec.code === "string") return spec.code;
  // The type already demands a key with generated code; this guards untyped callers.
  throw new TypeError(`pipeline ${spec.kernel}: a key is needed when code is a function`);
}

/** `main`, `auto` layout, no constants: the common case, so no string is built per lookup. */
const DEFAULT_VARIANT = "main\nauto\n{}";

function variantKey(spec: PipelineOptions): string {
  if (spec.entryPoint === undefined && spec.layoutKey === undefined && spec.constants === undefined) {
    return DEFAULT_VARIANT;
  }
  const constants = spec.constants ? JSON.stringify(spec.constants) : "{}";
  return `${spec.entryPoint ?? "main"}\n${spec.layoutKey ?? "auto"}\n${constants}`;
}

function lookup(c: DeviceCache, source: string, variant: string): GPUComputePipeline | undefined {
  return c.ready.get(source)?.get(variant);
}

function store(c: DeviceCache, source: string, variant: string, pipeline: GPUComputePipeline): void {
  let variants = c.ready.get(source);
  if (!variants) {
    variants = new Map();
    c.ready.set(source, variants);
  }
  variants.set(variant, pipeline);
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
  if (spec.transient) return createPipeline(device, spec);
  const c = deviceCache(device);
  const source = sourceKey(spec);
  const variant = variantKey(spec);
  let pipeline = lookup(c, source, variant);
  if (!pipeline) {
    pipeline = createPipeline(device, spec);
    store(c, source, variant, pipeline);
  }
  return pipeline;
}

/**
 * The pipeline for `spec`, compiled inside error scopes so that a WGSL or validation error
 * rejects with a `GpuError` naming `spec.kernel`. Concurrent calls for the same pipeline share
 * one compilation; a failed one is not cached, so a later call tries again. A `transient` spec
 * is compiled anew for each call and not cached.
 */
export function compilePipeline(ctx: GpuContext, spec: ComputePipelineSpec): Promise<GPUComputePipeline> {
  if (spec.transient) return withGpuErrors(ctx, spec.kernel, () => createPipeline(ctx.device, spec));
  const c = deviceCache(ctx.device);
  const source = sourceKey(spec);
  const variant = variantKey(spec);
  const hit = lookup(c, source, variant);
  if (hit) return Promise.resolve(hit);
  const key = `${variant}\n${source}`;
  let compiling = c.pending.get(key);
  if (!compiling) {
    compiling = withGpuErrors(ctx, spec.kernel, () => createPipeline(ctx.device, spec)).then(
      (pipeline) => {
        c.pending.delete(key);
        store(c, source, variant, pipeline);
        return pipeline;
      },
      (error: unknown) => {
        c.pending.delete(key);
        throw error;
      },
    );
    c.pending.set(key, compiling);
  }
  return compiling;
}

/** Number of pipelines cached for `device` (compilations under way not counted); for tests and stats. */
export function cachedPipelineCount(device: GPUDevice): number {
  let n = 0;
  for (const variants of cache.get(device)?.ready.values() ?? []) n += variants.size;
  return n;
}
