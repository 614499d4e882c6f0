// A region of the product module's shared memory, below the scratch every product stages into,
// where a grad call's dense layer outputs and input gradients can live: the product's threads
// write them there directly, and the next layer's forward and the backward read them in place,
// where a JavaScript array must be copied in and out. Views of it are handed out by bump allocation and the whole
// region is taken back when the grad call that made them ends having released every array it
// made (core/pool.ts tells, ops/matmul.ts wires it). If a call ends otherwise (an outer transform
// holds its tensors, or it threw), its views may live on: the region is then not used until the
// garbage collector has taken every one of them (a FinalizationRegistry counts them).

/** Doubles of the region (4 MB: a 10→64→64→64→1 MLP's outputs and gx at batch 1024 take 3 MB). */
export const RESIDENT_DOUBLES = 2 ** 19;

let start = -1; // the region's first double, −1 until set
let memoryOf: (() => ArrayBufferLike) | null = null;
let next = 0;
let usable = true;
const views = new WeakSet<ArrayLike<number>>();
// views are counted by the call (epoch) that made them; `waitingFor` is the epoch whose views must
// all be collected before the region is used again (−1: none)
let epoch = 0;
let madeInEpoch = false;
let waitingFor = -1;
const alive = new Map<number, number>();
const registry =
  typeof FinalizationRegistry === "function" ? new FinalizationRegistry<number>(residentCollected) : null;

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
  alive.set(epoch, (alive.get(epoch) ?? 0) + 1);
  madeInEpoch = true;
  registry?.register(d, epoch);
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
 * otherwise (views may outlive the call) it is used again once all of that call's views are
 * collected (never without a FinalizationRegistry).
 */
export function residentCallEnded(releasedAll: boolean): void {
  if (!madeInEpoch) return;
  madeInEpoch = false;
  if (!releasedAll) {
    // without a registry the views are never known to be gone
    usable = false;
    waitingFor = registry !== null ? epoch : -1;
  } else next = 0;
  epoch++;
  if (waitingFor >= 0 && (alive.get(waitingFor) ?? 0) === 0) reopen();
}

/** @internal A view of `of` epoch was garbage collected (the registry's callback; tests call it). */
export function residentCollected(of: number): void {
  const left = (alive.get(of) ?? 1) - 1;
  if (left > 0) alive.set(of, left);
  else alive.delete(of);
  if (of === waitingFor && left <= 0) reopen();
}

function reopen(): void {
  waitingFor = -1;
  next = 0;
  usable = true;
}

/** @internal Whether the region hands out views now (for tests). */
export function residentUsable(): boolean {
  return usable;
}
