// The one owner of the Dawn instance. dawn.node crashes at random (SIGSEGV/SIGABRT) if the
// object returned by `create()` is garbage-collected while a device lives, so it is kept in a
// module-level variable for the whole life of the process and never released.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { type GpuContext, requestGpuContext } from "./context.js";
import { GpuError } from "./errors.js";

let gpuInstance: GPU | null = null; // held forever: see the comment at the top
let contextPromise: Promise<GpuContext | null> | null = null;

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
  return gpu ? requestGpuContext(gpu) : null;
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
