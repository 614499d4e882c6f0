// GPU buffers pooled by (size, usage), as tfjs's buffer manager does: creating and destroying a
// GPUBuffer per operation costs more than the operation itself for small data. A released
// buffer may still be read or written by commands recorded but not yet submitted, so it only
// becomes reusable after the next submit (`recycle()`); queue order then guarantees the earlier
// uses come first.

/** Sizes are rounded up to a multiple of this (bytes) so near-equal requests share buffers. */
const GRANULE = 256;

function poolKey(size: number, usage: number): string {
  return `${size}:${usage}`;
}

/**
 * A pool of GPU buffers of one device, keyed by (rounded size, usage). Acquire, record commands
 * that use the buffer, release it, and call {@link BufferPool.recycle} after each queue submit.
 *
 * @example
 * ```ts
 * const pool = new BufferPool(ctx.device);
 * const buf = pool.acquire(4 * n, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
 * // … record and submit commands using buf …
 * pool.release(buf);
 * pool.recycle(); // right after the submit
 * ```
 */
export class BufferPool {
  private readonly free = new Map<string, GPUBuffer[]>();
  private pending: GPUBuffer[] = [];
  private readonly usageOf = new WeakMap<GPUBuffer, number>();
  /** Buffers created so far (for tests and stats). */
  created = 0;

  /** A pool creating its buffers on `device`. */
  constructor(private readonly device: GPUDevice) {}

  /** Rounds a byte size up to the pool granule (at least one granule). */
  static roundSize(bytes: number): number {
    return Math.max(GRANULE, Math.ceil(bytes / GRANULE) * GRANULE);
  }

  /** A buffer of at least `bytes` bytes with exactly this usage, reused when one is free. */
  acquire(bytes: number, usage: number): GPUBuffer {
    const size = BufferPool.roundSize(bytes);
    const list = this.free.get(poolKey(size, usage));
    const reused = list?.pop();
    if (reused) return reused;
    const buffer = this.device.createBuffer({ size, usage });
    this.usageOf.set(buffer, usage);
    this.created++;
    return buffer;
  }

  /** Returns a buffer; it becomes reusable after the next {@link recycle}. */
  release(buffer: GPUBuffer): void {
    this.pending.push(buffer);
  }

  /** Call right after a queue submit: buffers released before it are now safe to reuse. */
  recycle(): void {
    for (const b of this.pending) {
      const key = poolKey(b.size, this.usageOf.get(b) ?? 0);
      let list = this.free.get(key);
      if (!list) {
        list = [];
        this.free.set(key, list);
      }
      list.push(b);
    }
    this.pending = [];
  }

  /** Number of buffers waiting in the free lists. */
  get freeCount(): number {
    let n = 0;
    for (const l of this.free.values()) n += l.length;
    return n;
  }

  /** Destroys every free and pending buffer. */
  destroy(): void {
    this.recycle();
    for (const l of this.free.values()) for (const b of l) b.destroy();
    this.free.clear();
  }
}
