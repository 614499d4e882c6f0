import { beforeAll, describe, expect, test } from "vitest";
import { BufferPool } from "./buffer-pool.js";
import { type GpuContext, withGpuErrors } from "./context.js";
import { GpuError } from "./errors.js";
import { NO_GPU, testGpuContext } from "./testing.js";

let ctx: GpuContext | null = null;
beforeAll(async () => {
  ctx = await testGpuContext("gpu-device/buffer-pool.test.ts");
});

const STORAGE = 0x0080; // GPUBufferUsage.STORAGE, spelled out: the globals exist only once Dawn is loaded
const COPY_SRC = 0x0004;
const COPY_DST = 0x0008;

describe("buffer pool", () => {
  test("sizes round up to whole 256-byte granules, at least one", () => {
    for (const [bytes, size] of [
      [0, 256],
      [1, 256],
      [256, 256],
      [257, 512],
      [1000, 1024],
      [4096, 4096],
    ]) {
      expect(BufferPool.roundSize(bytes)).toBe(size);
    }
  });

  test("a released buffer is reused only after recycle, and only for the same size and usage", (t) => {
    if (!ctx) return t.skip(NO_GPU);
    const pool = new BufferPool(ctx.device);
    const a = pool.acquire(1000, STORAGE | COPY_DST);
    expect(a.size).toBe(1024);
    pool.release(a);
    const b = pool.acquire(1000, STORAGE | COPY_DST); // a may still be in use by unsubmitted work
    expect(b).not.toBe(a);
    expect(pool.created).toBe(2);
    expect(pool.freeCount).toBe(0);
    pool.release(b);
    pool.recycle();
    expect(pool.freeCount).toBe(2);
    const other = pool.acquire(1000, STORAGE | COPY_SRC); // another usage: a new buffer
    const bigger = pool.acquire(1025, STORAGE | COPY_DST); // another granule: a new buffer
    expect([a, b]).not.toContain(other);
    expect([a, b]).not.toContain(bigger);
    const again = pool.acquire(800, STORAGE | COPY_DST); // rounds to 1024 too
    expect([a, b]).toContain(again);
    expect(pool.created).toBe(4);
    expect(pool.freeCount).toBe(1);
    pool.destroy();
  });

  test("destroy destroys the free and pending buffers", async (t) => {
    if (!ctx) return t.skip(NO_GPU);
    const c = ctx;
    const pool = new BufferPool(c.device);
    const free = pool.acquire(16, STORAGE | COPY_DST);
    const pending = pool.acquire(16, STORAGE | COPY_DST);
    pool.release(free);
    pool.recycle();
    pool.release(pending);
    pool.destroy();
    expect(pool.freeCount).toBe(0);
    for (const buffer of [free, pending]) {
      const enc = c.device.createCommandEncoder();
      enc.clearBuffer(buffer);
      await expect(
        withGpuErrors(c, "test.destroyed", () => c.device.queue.submit([enc.finish()])),
      ).rejects.toSatisfy((e: unknown) => e instanceof GpuError && e.kind === "validation");
    }
  });
});
