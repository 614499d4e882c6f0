// Arrays whose copy the last call into the product module left in its memory, so that the next
// call can read them there instead of copying them in again. In an MLP's step each dense layer's
// forward product reads the output the layer below just wrote, and each layer's backward reads the
// cotangent (the gx) and the input (its x) that the layer above just staged; a copy of a
// [1024, 64] array costs about as much as a tenth of the product that reads it.
//
// A copy is valid only until the module's scratch memory is next handed out (`memory()` in
// wasm-matmul.ts bumps the generation), and only while its array keeps its contents: arrays change
// only when the pool hands them out again, so the pool reports every array it takes back
// (forgetKept, wired up in ops/dense.ts). Only kernel outputs are kept ("out" and "gx"), or
// matched by identity with one (a dense layer's "x", read back only as the output of the layer
// below), so a user's array is never read from a stale copy.

/** What the copy is: a dense layer's forward output, its input gradient, or its input. */
export type KeptRole = "out" | "gx" | "x";

interface Kept {
  data: ArrayLike<number>;
  role: KeptRole;
  off: number; // in doubles
  rows: number;
  width: number;
  gen: number;
}

let generation = 0;
let kept: Kept[] = [];
let reads = 0;

/** @internal How many times a kept copy was found (for tests: that the in-place paths run). */
export function keptReadCount(): number {
  return reads;
}

/** @internal Called whenever the module's scratch memory is handed out: earlier copies go stale. */
export function bumpKeptGeneration(): number {
  return ++generation;
}

/**
 * @internal Records that `rows` rows of `data` (`width` doubles each, contiguous) sit at double
 * offset `off` of the module's memory, written in the current generation.
 */
export function keep(
  data: ArrayLike<number>,
  role: KeptRole,
  off: number,
  rows: number,
  width: number,
): void {
  if (kept.length > 0 && kept[0].gen !== generation) kept = [];
  kept.push({ data, role, off, rows, width, gen: generation });
}

/**
 * @internal The double offset of a still valid copy of `data` ([rows, width], from element 0) left
 * as `role`, or −1. Read before the call's own `memory()`.
 */
export function keptAt(data: ArrayLike<number>, role: KeptRole, rows: number, width: number): number {
  for (const k of kept)
    if (k.data === data && k.role === role && k.gen === generation && k.rows === rows && k.width === width) {
      reads++;
      return k.off;
    }
  return -1;
}

/** @internal The copies of `data` can no longer be trusted (its array is being reused). */
export function forgetKept(data: ArrayLike<number>): void {
  if (kept.length > 0) kept = kept.filter((k) => k.data !== data);
}

/**
 * @internal Where a call's own regions (`need` doubles) start, beside the kept copies it reads
 * (`[off, off + len)` pairs, off < 0 for none): at `base` when they fit below every one, else at
 * the first cache line after the last; or −1 when that would reach past 4·need + base (the caller then copies as
 * usual), which bounds how far alternating layers push the memory up.
 */
export function placeBeside(base: number, need: number, regions: readonly [number, number][]): number {
  let lowest = Number.POSITIVE_INFINITY;
  let end = base;
  for (const [off, len] of regions) {
    if (off < 0) continue;
    lowest = Math.min(lowest, off);
    end = Math.max(end, off + len);
  }
  if (base + need <= lowest) return base;
  end = (end + 7) & ~7; // a cache line's start
  return end + need <= base + 4 * need ? end : -1;
}
