// Small WebGPU helpers shared by the kernels: buffer creation, waiting without hanging, and
// readback. Every wait races the work against device loss and a timeout, so a wedged device
// surfaces as a typed GpuError naming the kernel instead of a hung process.
import { type GpuContext, GpuError } from "@physml/gpu-device";

/** Upper bound for one wait on the queue (ms). Generous: SwiftShader is slow, but never infinite. */
export const WAIT_TIMEOUT_MS = 10 * 60_000;

/** Creates a buffer, optionally filled from `data` (its byte length rounded up to 4). */
export function makeBuffer(
  device: GPUDevice,
  label: string,
  size: number,
  usage: number,
  data?: ArrayBufferView,
): GPUBuffer {
  const bytes = Math.max(16, Math.ceil(size / 4) * 4);
  const buffer = device.createBuffer({ label, size: bytes, usage });
  if (data) device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
  return buffer;
}

/** Races `work` against device loss and a timeout. */
export async function guarded<T>(
  ctx: GpuContext,
  kernel: string,
  work: Promise<T>,
  timeoutMs = WAIT_TIMEOUT_MS,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new GpuError("timeout", kernel, `no completion after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  const lost = ctx.lost.then((reason): never => {
    throw new GpuError("device-lost", kernel, reason);
  });
  try {
    return await Promise.race([work, timeout, lost]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Waits until the queue has drained. Sleeping for most (80%) of the expected time first keeps the
 * main thread off the CPU: Dawn polls while a completion promise is pending, which on a
 * software adapter takes a core away from the shader threads.
 */
export async function waitIdle(ctx: GpuContext, kernel: string, expectedMs = 0): Promise<void> {
  if (expectedMs > 2) await new Promise((r) => setTimeout(r, Math.floor(expectedMs * 0.8)));
  await guarded(ctx, kernel, ctx.device.queue.onSubmittedWorkDone());
}

/** Copies `size` bytes of `src` (from `offset`) to the CPU. */
export async function readBack(
  ctx: GpuContext,
  kernel: string,
  src: GPUBuffer,
  size: number,
  offset = 0,
): Promise<ArrayBuffer> {
  const { device } = ctx;
  const bytes = Math.ceil(size / 4) * 4;
  const staging = device.createBuffer({
    label: `${kernel}.readback`,
    size: Math.max(16, bytes),
    usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ,
  });
  try {
    const enc = device.createCommandEncoder({ label: `${kernel}.readback` });
    enc.copyBufferToBuffer(src, offset, staging, 0, bytes);
    device.queue.submit([enc.finish()]);
    await guarded(ctx, kernel, staging.mapAsync(GPUMapMode.READ, 0, Math.max(16, bytes)));
    return staging.getMappedRange(0, bytes).slice(0, size);
  } finally {
    staging.unmap();
    staging.destroy();
  }
}
