/// <reference types="@webgpu/types" preserve="true" />
// A GPU context around any WebGPU implementation: the browser's `navigator.gpu`, or Dawn in Node
// (device.ts). Nothing here imports Node built-ins, so a browser bundle can take it.
import { GpuError } from "./errors.js";

/** What we know about the chosen adapter, for logs and results. */
export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True for software adapters (SwiftShader, fallback adapters): correct but slow. */
  isCpu: boolean;
}

/** A ready device with the adapter it came from. */
export interface GpuContext {
  device: GPUDevice;
  adapter: AdapterSummary;
  /** Rejects-never promise that resolves when the device is lost (with the reason). */
  lost: Promise<string>;
  /** Non-null once the device has been lost; checked before every submit. */
  lostReason: string | null;
}

function summarise(info: GPUAdapterInfo | undefined, isFallback: boolean): AdapterSummary {
  const vendor = info?.vendor ?? "";
  const architecture = info?.architecture ?? "";
  const device = info?.device ?? "";
  const description = info?.description ?? "";
  const text = `${vendor} ${architecture} ${device} ${description}`.toLowerCase();
  const isCpu = isFallback || /swiftshader|llvmpipe|lavapipe|software|cpu/.test(text);
  return { vendor, architecture, device, description, isCpu };
}

/**
 * Wraps a device the caller already has (e.g. from `navigator.gpu` in a browser) as a
 * {@link GpuContext}. `adapter` (the adapter it came from) only fills the summary; without it
 * the device's own `adapterInfo` is used where the implementation has one. Large lattices need
 * the adapter's storage-buffer limits on the device: {@link requestGpuContext} asks for them.
 */
export function gpuContextFromDevice(device: GPUDevice, adapter?: GPUAdapter): GpuContext {
  const info =
    (adapter as (GPUAdapter & { info?: GPUAdapterInfo }) | undefined)?.info ??
    (device as GPUDevice & { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  const isFallback = Boolean(
    (adapter as unknown as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter,
  );
  const ctx: GpuContext = {
    device,
    adapter: summarise(info, isFallback),
    lostReason: null,
    lost: device.lost.then((l) => {
      ctx.lostReason = `${l.reason}: ${l.message}`;
      return ctx.lostReason;
    }),
  };
  return ctx;
}

/**
 * Asks `gpu` (in a browser `navigator.gpu`) for a high-performance adapter and a device with the
 * adapter's full storage-buffer, buffer-size and workgroup-count limits; null when there is no
 * adapter. A failing `requestDevice` rejects.
 *
 * @example
 * ```ts
 * const ctx = await requestGpuContext(navigator.gpu);
 * if (!ctx) throw new Error("this browser has no WebGPU adapter");
 * ```
 */
export async function requestGpuContext(gpu: GPU): Promise<GpuContext | null> {
  let adapter: GPUAdapter | null = null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  } catch {
    adapter = null;
  }
  if (!adapter) return null;
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
      maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
    },
  });
  return gpuContextFromDevice(device, adapter);
}

/** One line describing an adapter, for logs: `nvidia ampere (GPU)` or `google swiftshader (CPU adapter)`. */
export function describeAdapter(a: AdapterSummary): string {
  const name =
    [a.vendor, a.architecture, a.device].filter((s) => s.length > 0).join(" ") || "unknown adapter";
  return `${name} (${a.isCpu ? "CPU adapter" : "GPU"})`;
}

/**
 * Runs `body` inside validation, out-of-memory and internal error scopes and turns any error
 * into a {@link GpuError} naming `kernel`. Also fails fast if the device was lost.
 */
export async function withGpuErrors<T>(
  ctx: GpuContext,
  kernel: string,
  body: () => T | Promise<T>,
): Promise<T> {
  if (ctx.lostReason) throw new GpuError("device-lost", kernel, ctx.lostReason);
  const { device } = ctx;
  device.pushErrorScope("internal");
  device.pushErrorScope("out-of-memory");
  device.pushErrorScope("validation");
  let result: T;
  try {
    result = await body();
  } finally {
    const validation = await device.popErrorScope();
    const oom = await device.popErrorScope();
    const internal = await device.popErrorScope();
    const err = validation ?? oom ?? internal;
    if (err) {
      const kind = err === validation ? "validation" : err === oom ? "out-of-memory" : "internal";
      // biome-ignore lint/correctness/noUnsafeFinally: the GPU error is the more useful one to surface.
      throw new GpuError(kind, kernel, err.message);
    }
  }
  if (ctx.lostReason) throw new GpuError("device-lost", kernel, ctx.lostReason);
  return result;
}
