// gpu.js (≥ 2.24, WebGPU mode) set up on the shared Dawn device, for the evaluation in
// bench/gpu.ts only — the backend itself never loads gpu.js. gpu.js looks for `navigator.gpu`;
// Node 20 has no `navigator`, so we install one whose adapter hands out the device that
// @physml/gpu-device already owns: no second Dawn instance, and both contenders run on the
// same device and queue.
import type { GpuContext } from "@physml/gpu-device";
import gpujs from "gpu.js";

/** The parts of the gpu.js API the benchmark uses (its bundled typings predate WebGPU mode). */
export interface GpuJsKernel {
  (...args: unknown[]): Promise<unknown>;
  setOutput(o: number[]): GpuJsKernel;
  setConstants(c: Record<string, number>): GpuJsKernel;
  setLoopMaxIterations(n: number): GpuJsKernel;
  setPipeline(p: boolean): GpuJsKernel;
  kernel?: { constructor: { mode: string } };
}
export interface GpuJsBufferResult {
  toArray(): Promise<Float32Array | Float32Array[]>;
  delete(): void;
}
interface GpuJsInstance {
  // kernels are plain functions gpu.js parses; they must read their array arguments directly
  // (gpu.js rejects `const A = x`), so parameter types are declared on the function itself
  // biome-ignore lint/suspicious/noExplicitAny: any kernel signature
  createKernel(fn: (this: any, ...args: any[]) => number, settings?: Record<string, unknown>): GpuJsKernel;
  destroy(): void;
}
interface GpuJsModule {
  GPU: { new (settings: { mode: string }): GpuJsInstance; isWebGPUAvailable(): Promise<boolean> };
  input(value: Float32Array, size: number[]): unknown;
}

/** gpu.js in `webgpu` mode on `ctx.device`; throws with gpu.js's own message if that fails. */
export async function gpuJsOnDawn(ctx: GpuContext): Promise<{ gpu: GpuJsInstance; mod: GpuJsModule }> {
  const device = ctx.device;
  const adapter = {
    limits: device.limits,
    features: device.features,
    requestDevice: async () => device,
  };
  const nav = { gpu: { requestAdapter: async () => adapter, getPreferredCanvasFormat: () => "rgba8unorm" } };
  Object.defineProperty(globalThis, "navigator", { value: nav, configurable: true, writable: true });
  const mod = gpujs as unknown as GpuJsModule;
  if (!(await mod.GPU.isWebGPUAvailable())) throw new Error("gpu.js: GPU.isWebGPUAvailable() is false");
  return { gpu: new mod.GPU({ mode: "webgpu" }), mod };
}
