// A region of the product module's shared memory, below the scratch every product stages into,
// where a grad call's dense layer outputs can live: the product's threads write C there directly
// and the next layer's forward, and the layer's backward, read it in place, where a JavaScript
// array must be copied in and out. Views of it are handed out by bump allocation and the whole
// region is taken back when the grad call that made them ends having released every array it
// made (core/pool.ts tells, ops/matmul.ts wires it); if a call ends otherwise (an outer transform
// holds its tensors, or it threw), its views may live on, so the region is not used again.

/** Doubles of the region (4 MB: a 10→64→64→64→1 MLP's outputs at batch 1024 take 1.5 MB). */
export const RESIDENT_DOUBLES = 2 ** 19;

let start = -1; // the region's first double, −1 until set
let memoryOf: (() => ArrayBufferLike) | null = null;
let next = 0;
let usable = true;
const views = new WeakSet<ArrayLike<number>>();

/** @internal Where the region sits (double offset) and how to read the memory's current buffer. */
export function setResidentRegion(at: number, buffer: () => ArrayBufferLike): void {
  start = at;
  memoryOf = buffer;
}

/** @internal A view of `n` doubles in the region, or null when it is full or not usable. */
export function residentAlloc(n: number): Float64Array | null {
  if (!usable || memoryOf === null || next + n > RESIDENT_DOUBLES) return null;
  const d = new Float64Array(memoryOf(), (start + next) * 8, n);
  next += (n + 7) & ~7; // each view from a cache line's start
  views.add(d);
  return d;
}

/** @internal The double offset in the module's memory of a view from residentAlloc, else −1. */
export function residentOffset(d: ArrayLike<number> | null): number {
  return d !== null && views.has(d) ? (d as Float64Array).byteOffset / 8 : -1;
}

/** @internal Whether `d` is a view of the region. */
export function isResident(d: ArrayLike<number>): boolean {
  return views.has(d);
}

/**
 * @internal A grad call ended: with every array it made released, the region is free again;
 * otherwise (views may outlive the call) it is not used again.
 */
export function residentCallEnded(releasedAll: boolean): void {
  if (next === 0) return;
  if (releasedAll) next = 0;
  else usable = false;
}
