/// <reference types="@webgpu/types" preserve="true" />
// The one owner of the Dawn instance. dawn.node crashes at random (SIGSEGV/SIGABRT) if the
// object returned by `create()` is garbage-collected while a device lives, so it is kept in a
// module-level variable for the whole life of the process and never released.
import { readdirSync } from "node:fs";
import { join } from "node:path";
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

let gpuInstance: GPU | null = null; // held forever: see the comment at the top
let contextPromise: Promise<GpuContext | null> | null = null;

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
 * Whether the Vulkan loader can find any driver (Linux): an ICD manifest named by
 * VK_ICD_FILENAMES / VK_DRIVER_FILES or present in one of the loader's search folders. Without
 * one, Dawn's Vulkan backend finds nothing and prints native warnings on stderr ("Found no
 * drivers! … at CheckVkSuccessImpl"), which read like a crash; so it is not even loaded. Other
 * platforms (Metal, D3D) always try.
 */
export function gpuDriversPresent(env: NodeJS.ProcessEnv = process.env): boolean {
  if (process.platform !== "linux") return true;
  if (env.VK_ICD_FILENAMES || env.VK_DRIVER_FILES || env.VK_ADD_DRIVER_FILES) return true;
  const config = (env.XDG_CONFIG_DIRS || "/etc/xdg").split(":");
  const data = (env.XDG_DATA_DIRS || "/usr/local/share:/usr/share").split(":");
  const home = env.HOME ? [join(env.HOME, ".local/share")] : [];
  const dirs = [...config, "/etc", ...data, ...home].map((d) => join(d, "vulkan", "icd.d"));
  return dirs.some((d) => {
    try {
      return readdirSync(d).some((f) => f.endsWith(".json"));
    } catch {
      return false;
    }
  });
}

async function loadGpu(): Promise<GPU | null> {
  if (gpuInstance) return gpuInstance;
  // With PHYSML_DEBUG (the CLI's --debug) Dawn is tried anyway, its messages included.
  if (!gpuDriversPresent() && !process.env.PHYSML_DEBUG) return null;
  try {
    const mod = (await import("webgpu")) as unknown as {
      create: (flags: string[]) => GPU;
      globals: Record<string, unknown>;
    };
    // GPUBufferUsage, GPUMapMode, ... are needed as globals by code written for browsers.
    for (const [k, v] of Object.entries(mod.globals)) {
      if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
    }
    gpuInstance = mod.create([]);
    return gpuInstance;
  } catch {
    return null;
  }
}

async function openContext(): Promise<GpuContext | null> {
  const gpu = await loadGpu();
  if (!gpu) return null;
  let adapter: GPUAdapter | null = null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  } catch {
    adapter = null;
  }
  if (!adapter) return null;
  const info = (adapter as GPUAdapter & { info?: GPUAdapterInfo }).info;
  const isFallback = Boolean((adapter as unknown as { isFallbackAdapter?: boolean }).isFallbackAdapter);
  const summary = summarise(info, isFallback);
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
      maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
    },
  });
  const ctx: GpuContext = {
    device,
    adapter: summary,
    lostReason: null,
    lost: device.lost.then((l) => {
      ctx.lostReason = `${l.reason}: ${l.message}`;
      return ctx.lostReason;
    }),
  };
  return ctx;
}

/**
 * The shared WebGPU context, created once per process; `null` when no adapter exists.
 * Call it outside vitest test bodies (in `beforeAll`).
 */
export function getGpuContext(): Promise<GpuContext | null> {
  contextPromise ??= openContext().catch(() => null);
  return contextPromise;
}

/** Like {@link getGpuContext} but throws a typed error when there is no adapter. */
export async function requireGpuContext(): Promise<GpuContext> {
  const ctx = await getGpuContext();
  if (!ctx) {
    throw new GpuError(
      "no-adapter",
      "requestAdapter",
      "no WebGPU adapter found. Without a GPU, install SwiftShader (apt-get install -y --no-install-recommends " +
        "chromium-common libvulkan1) and set VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json",
    );
  }
  return ctx;
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
