// Reuse of large data arrays that provably died inside a backward pass. Training repeats the same
// computation, so kernels ask for arrays of the same few sizes step after step; a fresh large
// Float64Array costs calloc's zeroing or page faults (0.1–0.9 ms for 5 MB, measured), and the
// external memory it adds drives V8 into a full garbage collection every few steps.
//
// Why releasing is safe: while the outermost backward pass runs, every array of ≥ 64 KB that
// `alloc` hands out is recorded. A tensor can outlive the pass only through (a) the gradients it
// returns or (b) a transform that saw it — a tape node or a forward box, and every one of those is
// made by `Tensor._box`. So if no box was made during the pass, every recorded array except those
// sharing an ArrayBuffer with a returned gradient is unreachable, and goes to the pool. If a box
// was made (the pass runs under an outer transform), nothing is released. Pooled arrays are
// dropped after two idle seconds, and the pool never holds more than POOL_CAP_BYTES.
import type { Data } from "../kernels/types.js";
import type { DType, Tensor } from "./tensor.js";

/** Arrays shorter than this are left to V8 (cheap to allocate, not worth tracking). */
export const POOL_MIN_LENGTH = 8192;
const POOL_CAP_BYTES = 256 * 2 ** 20;
const IDLE_MS = 2000;

const free = new Map<number, Data[]>();
/** Arrays sitting in `free` now (so a release never pools one twice). */
const inPool = new WeakSet<Data>();
let pooledBytes = 0;
let lastRelease = 0;
let timer: ReturnType<typeof setTimeout> | null = null;

// arrays on a SharedArrayBuffer (allocShared) are pooled apart: a kernel that asks for one hands it
// to worker threads
const keyOf = (dtype: DType, n: number, shared: boolean) =>
  4 * n + (dtype === "float32" ? 1 : 0) + (shared ? 2 : 0);
const isShared = (d: Data) =>
  typeof SharedArrayBuffer === "function" && d.buffer instanceof SharedArrayBuffer;

/** A pooled array of exactly `n` elements (contents arbitrary), or null. */
export function poolTake(dtype: DType, n: number, shared = false): Data | null {
  if (n < POOL_MIN_LENGTH) return null;
  const list = free.get(keyOf(dtype, n, shared));
  const d = list?.pop();
  if (d === undefined) return null;
  inPool.delete(d);
  pooledBytes -= d.byteLength;
  return d;
}

const releaseListeners: ((d: Data) => void)[] = [];
/** Arrays that are views of memory owned elsewhere (see setViewOwner): never pooled. */
let ownedView: (d: Data) => boolean = () => false;
/** Called when the outermost grad call ends: whether it released every array it made. */
let callEnded: (releasedAll: boolean) => void = () => {};

/**
 * Declares arrays that are views of memory another module hands out and takes back itself
 * (`owns`), told when the outermost grad call ends (`ended`): the pool never keeps such an array,
 * and tells them apart by the array rather than by its buffer, which many of them share.
 */
export function setViewOwner(owns: (d: Data) => boolean, ended: (releasedAll: boolean) => void): void {
  ownedView = owns;
  callEnded = ended;
}

/** What survival and expiry go by: the buffer, or an owned view itself. */
const keyOfArray = (d: Data): object => (ownedView(d) ? d : d.buffer);

/**
 * Registers `f` to hear of every array released to the pool: from then on its contents may change,
 * so anything known about them (a copy kept elsewhere) must be forgotten.
 */
export function onPoolRelease(f: (d: Data) => void): void {
  releaseListeners.push(f);
}

function poolPut(d: Data): void {
  for (const f of releaseListeners) f(d);
  if (ownedView(d)) return;
  if (inPool.has(d) || pooledBytes + d.byteLength > POOL_CAP_BYTES) return;
  const k = keyOf(d instanceof Float32Array ? "float32" : "float64", d.length, isShared(d));
  let list = free.get(k);
  if (!list) free.set(k, (list = []));
  list.push(d);
  inPool.add(d);
  pooledBytes += d.byteLength;
}

/** Bytes held by the pool now (for tests and benchmarks). */
export function pooledByteCount(): number {
  return pooledBytes;
}

/** Empties the pool (the arrays are left to the garbage collector) and cancels the idle timer. */
export function clearPool(): void {
  for (const list of free.values()) for (const d of list) inPool.delete(d);
  free.clear();
  pooledBytes = 0;
  if (timer !== null) clearTimeout(timer);
  timer = null;
}

function scheduleIdleClear(): void {
  lastRelease = Date.now();
  if (timer !== null || typeof setTimeout !== "function") return;
  const check = () => {
    const idle = Date.now() - lastRelease;
    if (idle >= IDLE_MS) {
      timer = null;
      clearPool();
    } else timer = arm(IDLE_MS - idle);
  };
  const arm = (ms: number) => {
    const t = setTimeout(check, ms);
    // never keep a Node process alive for this
    (t as { unref?: () => void }).unref?.();
    return t;
  };
  timer = arm(IDLE_MS);
}

interface Arena {
  arrays: Set<Data>;
  sawBox: boolean;
}
let arena: Arena | null = null;

/** Called by `alloc` for every array it hands out. */
export function arenaRecord(d: Data): void {
  if (d.length < POOL_MIN_LENGTH) return;
  if (arena !== null) arena.arrays.add(d);
  if (call !== null) call.arrays.add(d);
}

/**
 * Called by `Tensor._box` with the box's trace level: some transform can now hold tensors made in
 * the running pass; a box below the running call's level means an outer transform sees the call.
 */
export function noteBox(level: number): void {
  if (arena !== null) arena.sawBox = true;
  if (call !== null && level < call.level) call.sawOuterBox = true;
}

// The outermost valueAndGrad/grad call, its forward pass included. The tape's residuals die when
// the call returns; recycling them with the backward pass's arrays keeps a training step's
// working set in the pool instead of in fresh arrays (page faults, full collections). A tensor
// made inside the call can outlive it only if user code kept it (a closure, a cache): such a
// tensor is expired when its array is recycled (its data set to null), so using it throws
// instead of reading reused memory. Nothing is recycled when a box of an outer transform was
// made during the call: the call then runs under that transform, which holds its tensors.
interface CallArena {
  level: number;
  arrays: Set<Data>;
  tensors: Tensor[];
  sawOuterBox: boolean;
}
let call: CallArena | null = null;

/** True while an outermost grad/valueAndGrad call runs that no outer transform has seen so far. */
export function callRecycling(): boolean {
  return call !== null && !call.sawOuterBox;
}

/**
 * True while a backward pass or an outermost grad/valueAndGrad call runs that no outer transform
 * has seen so far: the arrays allocated now come back to the pool when it ends (unless such a
 * transform sees it later), so arrays whose memory the garbage collector is slow to reclaim
 * (SharedArrayBuffers) are only worth handing out now.
 */
export function recycling(): boolean {
  return (call !== null && !call.sawOuterBox) || (arena !== null && !arena.sawBox);
}

/** The buffers under the arrays a pass returns: those arrays, and views of them, stay out of the pool. */
function buffersOf(survivors: readonly Tensor[]): Set<object> {
  const keep = new Set<object>();
  for (const t of survivors) if (t._data !== null) keep.add(keyOfArray(t._data));
  return keep;
}

/**
 * Moves the returned tensors that sit on a SharedArrayBuffer the pass allocated (a dense layer's
 * input gradient, say) to ordinary memory, and every other tensor in `others` on the same array,
 * so that the shared array goes back to the pool. V8 reclaims garbage SharedArrayBuffers late: a
 * 2 MB input gradient returned by each of 3000 grad calls held 2.6 GB of memory (measured), and
 * postMessage would share such a result with another thread rather than copy it.
 */
function unshare(survivors: readonly Tensor[], allocated: Set<Data>, others: readonly Tensor[]): void {
  const copies = new Map<Data, Data>();
  for (const t of survivors) {
    const d = t._data;
    if (d === null || !allocated.has(d) || !isShared(d) || copies.has(d)) continue;
    copies.set(d, d.slice());
  }
  if (copies.size === 0) return;
  for (const t of [...survivors, ...others]) {
    const copy = t._data !== null ? copies.get(t._data) : undefined;
    if (copy !== undefined) (t as { _data: Data | null })._data = copy;
  }
}

/**
 * Called by the Tensor constructor for every concrete tensor on an array of ≥ POOL_MIN_LENGTH.
 * Enough to find every tensor on a recycled array because no tensor wraps part of one: views
 * (reshape) share the whole array, and every other op writes a new one.
 */
export function noteTensor(t: Tensor): void {
  if (call !== null) call.tensors.push(t);
}

/**
 * Runs the outermost reverse-mode call `f`, whose trace has level `level` (calls inside it join
 * it). Afterwards, unless an outer transform saw the call, moves the returned tensors off the
 * shared arrays it allocated (unshare), recycles every array it allocated except those sharing a
 * buffer with `survivors(result)`, and expires the tensors made on them.
 */
export function withCallArena<T>(level: number, f: () => T, survivors: (result: T) => readonly Tensor[]): T {
  if (call !== null) return f();
  const c: CallArena = { level, arrays: new Set(), tensors: [], sawOuterBox: false };
  call = c;
  let result: T;
  try {
    result = f();
  } catch (e) {
    call = null;
    callEnded(false);
    throw e;
  }
  call = null;
  if (c.sawOuterBox || c.arrays.size === 0) {
    callEnded(!c.sawOuterBox);
    return result;
  }
  const returned = survivors(result);
  unshare(returned, c.arrays, c.tensors);
  const keep = buffersOf(returned);
  const released = new Set<object>();
  let all = true;
  for (const d of c.arrays) {
    if (keep.has(keyOfArray(d))) {
      all &&= !ownedView(d);
      continue;
    }
    released.add(keyOfArray(d));
    poolPut(d);
  }
  for (const t of c.tensors) {
    const d = t._data;
    if (d !== null && released.has(keyOfArray(d))) (t as { _data: Data | null })._data = null;
  }
  callEnded(all);
  scheduleIdleClear();
  return result;
}

/**
 * Releases `d` at once if the running pass allocated it, no box has been made, and no array in
 * `live` (everything the pass can still reach: its pending cotangents) shares its buffer. Lets a
 * backward pass reuse its own dead cotangents, so its working set stays small.
 */
export function arenaRecycle(d: Data | null, live: () => Iterable<Data | null>): void {
  if (arena === null || arena.sawBox || d === null || !arena.arrays.has(d)) return;
  const k = keyOfArray(d);
  for (const x of live()) if (x !== null && keyOfArray(x) === k) return;
  arena.arrays.delete(d);
  poolPut(d);
}

/**
 * Runs a backward pass `f`; afterwards, unless a box was made meanwhile, releases every array it
 * allocated except those sharing a buffer with `survivors(result)`, after moving those off shared
 * arrays when no grad call is running (unshare). Nested calls join the outer arena (only the
 * outermost pass releases).
 */
export function withArena<T>(f: () => T, survivors: (result: T) => readonly Tensor[]): T {
  if (arena !== null) return f();
  const a: Arena = { arrays: new Set(), sawBox: false };
  arena = a;
  let result: T;
  try {
    result = f();
  } finally {
    arena = null;
  }
  if (!a.sawBox && a.arrays.size > 0) {
    const returned = survivors(result);
    // inside a grad call the call's end does this for everything it returns
    if (call === null) unshare(returned, a.arrays, []);
    const keep = buffersOf(returned);
    for (const d of a.arrays) if (!keep.has(keyOfArray(d))) poolPut(d);
    scheduleIdleClear();
  }
  return result;
}
