// Large matrix products split over worker threads that share the kernel module's memory. The
// library's API is synchronous, so the hand-off is too: the main thread stages the operands in the
// shared memory, posts the job's parameters in a small shared control array, wakes the workers
// (Atomics.notify) and then works on the job itself; every thread claims blocks of C rows from a
// shared claim word until none are left, so a worker that wakes late simply takes fewer blocks,
// and one that wakes after the job is over finds the word moved on and takes none. Each
// block is computed by the same kernel calls in the same order whichever thread takes it, so the
// result is bit-identical to the single-threaded product.
//
// Arrays on a SharedArrayBuffer (core/create.ts's allocShared) can be read and written by the
// workers too: such a buffer is posted to each worker once (threadArray), and a job may then ask
// every thread to copy its own rows of A in and its own block of C out, instead of this thread
// copying all of them while the workers wait.
//
// Node only (worker_threads, via process.getBuiltinModule); elsewhere, or with PHYSML_THREADS=1,
// products stay on the calling thread. Workers are unref'd: they never keep a process alive.
import { defaultThreads, threadsFromEnvironment } from "@physml/lattice-core";
import { AutodiffInputError } from "../errors.js";
import type { ConvFwdFn, ConvWGFn } from "./wasm-conv-code.js";
import type { AddBiasFn, MmFn, PackBFn, TanhGradFn, TanhGradToFn } from "./wasm-matmul-code.js";
import type { TanhFn } from "./wasm-tanh.js";

/** The kernels one thread runs a job with (its own instance of the shared-memory module). */
export interface BlockKernels {
  packB: PackBFn;
  mm: MmFn;
  addBias: AddBiasFn;
  tanh: TanhFn;
  tanhGrad: TanhGradFn;
  tanhGradTo: TanhGradToFn;
  convFwd: ConvFwdFn;
  convWG: ConvWGFn;
}

/**
 * One product over the staged operands, as runBlocks reads it (byte offsets into the memory).
 * Row block b covers C rows [b·rowsPerBlock, …) and A entry (i, k) sits at a + i·aRow + k·aK;
 * K is walked in blocks of kc with the packed B block k0 at b + k0·Np·8.
 */
export interface BlockJob {
  a: number;
  aRow: number;
  aK: number;
  b: number;
  c: number;
  rows: number; // Mp, a multiple of 4
  K: number;
  kc: number;
  Np: number;
  rowsPerBlock: number; // a multiple of 4
  accumulate: boolean; // the first K block adds to C
  bias: number; // byte offset of the bias row, or −1
  tanhT0: number; // byte offset of tanh's T_0, or −1 for no tanh
  /**
   * Staged K block by K block rather than row block by row block: `stage(s)` of runJob stages K
   * block s (of kc) for every row, and a thread waits for each K block before it multiplies it.
   */
  stageK?: boolean;
  /**
   * Each thread copies its own block's rows of A in from this shared array (see `ArrayRows`; A's
   * rows are K doubles apart, aK = 8), zero rows past `rows`, instead of runJob's `stage`. With
   * `stageK` (A stored [K, M], aK = M·8): the threads stage the K blocks themselves, as the job's
   * first ⌈K/kc⌉ blocks, each copying K block s's rows of A (`width` = M) and packing its rows of B
   * from `packFrom`; the row blocks of C follow.
   */
  inA?: ArrayRows;
  /**
   * With `stageK`: B [K, N] in the module, packed K block by K block by the threads (the packB
   * kernel), as the job's first ⌈K/kc⌉ units; A is then staged whole before the job unless `inA`
   * names it.
   */
  packFrom?: { raw: number; N: number; rowStride: number; colStride: number };
  /**
   * With `packFrom` (rows N·8 bytes apart): the dense layer's backward prologue in the K units —
   * each copies its K block's rows of g from this shared array to the raw B, and with `inY`
   * (its rows to `inY.at`) forms B ← g·(1 − y²) there before packing it.
   */
  inG?: ArrayRows;
  /**
   * With `inA`, the dense layer's backward prologue: each thread also copies its rows of y (K
   * wide) to byte offset `at` + i0·K·8 and forms A ← A·(1 − y²) there (the tanhGrad kernel).
   * With `inG` instead, the K units copy y's rows of their K block (N wide) there.
   */
  inY?: ArrayRows & { at: number };
  /** Each thread copies its own block of C out to this shared array (`width` = N ≤ Np). */
  outC?: ArrayRows;
}

/**
 * Rows [0, rows) of a row-major [rows, width] array on a SharedArrayBuffer, from element `off` of
 * the buffer; `id` from threadArray, or −2 for rows already where the job reads them (a copy the
 * module kept, kernels/wasm-kept.ts: nothing to copy), or −3 for rows in the module's own memory
 * from double `off` (a resident array, wasm-resident.ts), read where they are: with y, the dense
 * backward's ga is formed from them into the job's A (or raw B) by tanhGradTo, else copied there.
 */
export interface ArrayRows {
  id: number;
  off: number;
  rows: number;
  width: number;
}

/**
 * One direct convolution over staged samples (wasm-conv.ts; byte offsets and strides): block b
 * covers samples [b·perBlock, …). Kind 1 writes y (`out`, sample stride `ys`) from the packed
 * weights `wg`, with the layer's bias and tanh when asked; kind 2 stores block b's weight gradient at out + b·outBlock from the cotangent
 * `wg` (sample stride `ys`). The other fields are the kernels' parameters (wasm-conv-code.ts).
 */
export interface ConvJob {
  kind: 1 | 2;
  xc: number;
  offs: number;
  wg: number;
  out: number;
  M: number;
  K: number;
  H: number;
  W: number;
  PW: number;
  perBlock: number;
  xs: number;
  ys: number;
  samples: number;
  outBlock: number;
  /** Kind 1: byte offset of the bias [M], or −1 for none. */
  bias: number;
  /** Kind 1: byte offset of tanh's T_0 to apply tanh to y, or −1 for none. */
  tanhT0: number;
}

// control array (Int32): the claim word, blocks finished, a failure flag, how many row blocks of A
// are staged in memory (a thread that claims a block not yet staged waits for it), the job's
// parameters (36 slots), a finished flag per block (so the main thread can copy finished
// blocks out while the workers compute the rest), and how many workers take part in jobs (a pool
// keeps its workers when fewer threads are asked for; those past the count sit jobs out).
// The claim word packs the job's sequence number (11 bits), its block count n and the next block
// (10 bits each); a thread claims block k of job s by moving the word from (s, n, k) to
// (s, n, k + 1), and reads the parameters only after a successful claim, when the job cannot have
// ended (it ends when every claimed block is done).
const CLAIM = 0;
const DONE = 1;
const FAILED = 2;
const STAGED = 3;
const PARAMS = 4;
const FINISHED = PARAMS + 36; // one flag per row block: 1 once the block of C is written
const MAX_BLOCKS = 1023;
const ACTIVE = FINISHED + MAX_BLOCKS;
const CTL_INTS = ACTIVE + 1;
const MAX_WORKERS = 32;
/** Polls (~10–20 µs) before a waiting thread sleeps: the main thread for DONE, a worker for its staged rows. */
const WAIT_AFTER_POLLS = 2048;
/** How long (µs) a worker keeps polling for the next job before it sleeps in Atomics.wait. */
const SPIN_US = 100;

/** How a thread reaches memory: the module's (grown to ≥ `bytes`) and the shared arrays by id. */
export interface ThreadIo {
  heap(bytes: number): Float64Array;
  array(id: number): Float64Array;
}

/**
 * Claims and computes row blocks of job `seq` until none are left, or `max` of them; returns how
 * many it computed. It runs on the main thread and, as source text, in every worker, so it refers
 * to nothing outside itself: the control indices are literals (CLAIM = 0, DONE = 1, STAGED = 3,
 * PARAMS = 4, FINISHED = 40); ctl[18] is the job's kind (0 a product, with inA, inY, inY.at,
 * outC, packFrom and inG in ctl[19…39]; else a ConvJob's kind: its fields sit in ctl[4…19]).
 */
function runBlocks(x: BlockKernels, ctl: Int32Array, seq: number, max: number, io: ThreadIo): number {
  for (let done = 0; done < max; ) {
    const w = Atomics.load(ctl, 0);
    const unit = w & 1023;
    if (w >>> 20 !== seq || unit >= ((w >>> 10) & 1023)) return done;
    if (Atomics.compareExchange(ctl, 0, w, w + 1) !== w) continue;
    const kind = ctl[18];
    // ctl[17] ≠ 0: a product staged K block by K block (waited for below, block by block); 2: by
    // the threads, the job's first ⌈K/kc⌉ units staging one K block each (their FINISHED flags
    // tell the row blocks that it is there)
    const stageK = kind === 0 && ctl[17] !== 0;
    const nK = kind === 0 && ctl[17] === 2 ? Math.ceil(ctl[10] / ctl[11]) : 0;
    if (unit < nK) {
      const k0 = unit * ctl[11];
      const kLen = Math.min(ctl[11], ctl[10] - k0);
      if (ctl[19] >= 0) {
        // K block s's rows of A (else A was staged whole before the job)
        const M = ctl[22];
        const h = io.heap(ctl[4] + (k0 + kLen) * M * 8);
        h.set(io.array(ctl[19]).subarray(ctl[20] + k0 * M, ctl[20] + (k0 + kLen) * M), ctl[4] / 8 + k0 * M);
      }
      if (ctl[36] !== -1) {
        // the dense backward's ga for these rows of B: g's rows copied to the raw B (id −2: they
        // are there already; −3: read in the module at ctl[37]), and with y (ctl[23] ≠ −1; −2: in
        // place at ctl[27] already) ga ← g·(1 − y²) there (tanhGrad, or tanhGradTo from g's
        // own place; kLen·N is even)
        const N = ctl[33];
        const raw = ctl[32] / 8 + k0 * N;
        const yAt = ctl[27] / 8 + k0 * N;
        const gAt = ctl[37] + k0 * N;
        const h = io.heap(Math.max(ctl[32], ctl[23] >= 0 ? ctl[27] : 0) + (k0 + kLen) * N * 8);
        if (ctl[36] >= 0) h.set(io.array(ctl[36]).subarray(gAt, ctl[37] + (k0 + kLen) * N), raw);
        if (ctl[23] >= 0) h.set(io.array(ctl[23]).subarray(ctl[24] + k0 * N, ctl[24] + (k0 + kLen) * N), yAt);
        if (ctl[36] === -3 && ctl[23] !== -1) x.tanhGradTo(raw * 8, gAt * 8, yAt * 8, (kLen * N) >> 1);
        else if (ctl[36] === -3) h.copyWithin(raw, gAt, gAt + kLen * N);
        else if (ctl[23] !== -1) x.tanhGrad(raw * 8, yAt * 8, (kLen * N) >> 1);
      }
      x.packB(ctl[32] + k0 * ctl[34], ctl[7] + k0 * ctl[12] * 8, kLen, ctl[33], ctl[34], ctl[35]);
      Atomics.store(ctl, 40 + unit, 1); // FINISHED
      Atomics.notify(ctl, 40 + unit);
      Atomics.add(ctl, 1, 1); // DONE
      Atomics.notify(ctl, 1);
      done++;
      continue;
    }
    const blk = unit - nK;
    // the main thread is copying this block's rows of A in: poll, then sleep until it reports
    for (let i = 0, st = Atomics.load(ctl, 3); !stageK && st <= blk; i++, st = Atomics.load(ctl, 3))
      if (i >= WAIT_AFTER_POLLS) Atomics.wait(ctl, 3, st, 1);
    if (kind !== 0) {
      // a convolution job (ConvJob's fields in order from ctl[4]): block blk is a run of samples
      const s0 = blk * ctl[13];
      const ns = Math.min(ctl[13], ctl[16] - s0);
      const xc = ctl[4] + s0 * ctl[14];
      if (kind === 1) {
        const cb = ctl[7] + s0 * ctl[15];
        x.convFwd(
          xc,
          ctl[5],
          ctl[6],
          cb,
          ctl[8],
          ctl[9],
          ctl[10],
          ctl[11],
          ctl[12],
          ns,
          ctl[14],
          ctl[15],
          ctl[17],
        );
        // the layer's tanh on the block's C (an even number of pairs: M is a multiple of 4)
        if (ctl[19] >= 0) x.tanh(cb, (ns * ctl[8] * ctl[10] * ctl[11]) >> 1, ctl[19]);
      } else
        x.convWG(
          xc,
          ctl[5],
          ctl[6] + s0 * ctl[15],
          ctl[7] + blk * ctl[17],
          ctl[8],
          ctl[9],
          ctl[10],
          ctl[11],
          ctl[12],
          ns,
          ctl[14],
          ctl[15],
        );
      Atomics.store(ctl, 40 + unit, 1); // FINISHED
      Atomics.add(ctl, 1, 1); // DONE
      Atomics.notify(ctl, 1);
      done++;
      continue;
    }
    const a = ctl[4];
    const aRow = ctl[5];
    const aK = ctl[6];
    const b = ctl[7];
    const c = ctl[8];
    const rows = ctl[9];
    const K = ctl[10];
    const kc = ctl[11];
    const Np = ctl[12];
    const rb = ctl[13];
    const acc = ctl[14];
    const bias = ctl[15];
    const t0 = ctl[16];
    const i0 = blk * rb;
    const m = Math.min(rb, rows - i0);
    const cb = c + i0 * Np * 8;
    if (ctl[19] !== -1 && !stageK) {
      // this block's rows of A from a shared array (K wide), the rows past its end zero (id −2:
      // they are in place already; −3: read in the module from ctl[20], see ArrayRows); with
      // ctl[23] ≠ −1 also y's rows (−2: in place at ctl[27]), then A ← A·(1 − y²) (the dense
      // backward's ga; from the −3 rows by tanhGradTo)
      const h = io.heap(Math.max(a + (i0 + m) * aRow, ctl[23] >= 0 ? ctl[27] + (i0 + m) * K * 8 : 0));
      const real = Math.max(i0, Math.min(i0 + m, ctl[21]));
      const at = (a + i0 * aRow) / 8;
      const gAt = ctl[20] + i0 * K; // A's rows in the module (id −3: whole rows, no padding)
      if (ctl[19] >= 0) {
        h.set(io.array(ctl[19]).subarray(gAt, ctl[20] + real * K), at);
        h.fill(0, at + (real - i0) * K, at + m * K);
      }
      if (ctl[23] !== -1) {
        const yAt = ctl[27] / 8 + i0 * K;
        if (ctl[23] >= 0) {
          h.set(io.array(ctl[23]).subarray(ctl[24] + i0 * K, ctl[24] + real * K), yAt);
          h.fill(0, yAt + (real - i0) * K, yAt + m * K);
        }
        if (ctl[19] === -3) x.tanhGradTo(at * 8, gAt * 8, yAt * 8, (m * K) >> 1);
        else x.tanhGrad(at * 8, yAt * 8, (m * K) >> 1);
      } else if (ctl[19] === -3) h.copyWithin(at, gAt, gAt + m * K);
    }
    for (let k0 = 0, kb = 0; k0 < K; k0 += kc, kb++) {
      const kLen = Math.min(kc, K - k0);
      if (nK > 0) {
        for (let i = 0; Atomics.load(ctl, 40 + kb) === 0; i++)
          if (i >= WAIT_AFTER_POLLS) Atomics.wait(ctl, 40 + kb, 0, 1);
      } else if (stageK) {
        for (let i = 0, st = Atomics.load(ctl, 3); st <= kb; i++, st = Atomics.load(ctl, 3))
          if (i >= WAIT_AFTER_POLLS) Atomics.wait(ctl, 3, st, 1);
      }
      x.mm(a + i0 * aRow + k0 * aK, b + k0 * Np * 8, cb, m, kLen, Np, aRow, aK, acc !== 0 || k0 > 0 ? 1 : 0);
    }
    if (bias >= 0) x.addBias(cb, m, Np, bias);
    // m·Np/2 f64x2 pairs: even, as tanh's two-pair loop needs (m and Np are multiples of 4)
    if (t0 >= 0) x.tanh(cb, (m * Np) >> 1, t0);
    if (ctl[28] >= 0) {
      // the block's real rows of C (N = ctl[31] of each Np) out to a shared array
      const h = io.heap(cb + m * Np * 8);
      const dst = io.array(ctl[28]);
      const N = ctl[31];
      const real = Math.max(0, Math.min(m, ctl[30] - i0));
      const at = cb / 8;
      if (N === Np) dst.set(h.subarray(at, at + real * N), ctl[29] + i0 * N);
      else
        for (let i = 0; i < real; i++)
          dst.set(h.subarray(at + i * Np, at + i * Np + N), ctl[29] + (i0 + i) * N);
    }
    Atomics.store(ctl, 40 + unit, 1); // FINISHED
    Atomics.add(ctl, 1, 1); // DONE
    Atomics.notify(ctl, 1); // a main thread waiting for DONE (cheap when none waits)
    done++;
  }
  return max;
}

// The worker: instantiate the module on the shared memory, report ready (FAILED = 0), then take
// part in every job it sees. After a job it polls for SPIN_US before sleeping: the products of a
// training step come tens to hundreds of µs apart, and waking a sleeping thread costs 25–45 µs on
// the 2-core VM (measured), noticing a new job while polling well under 1 µs.
//
// Shared arrays arrive on `port` as { id, buffer } (before any job that uses them) and leave as
// { forget: id } (see threadArray); the worker reads its port when a job names an id it does not
// hold, which is the moment the main thread has posted something.
const WORKER_SOURCE = `
const { workerData, receiveMessageOnPort } = require("node:worker_threads");
const __name = (f) => f; // tsx's keep-names helper, should the source below carry it
const { module, mem, ctl: sab, port, id: me } = workerData;
const ctl = new Int32Array(sab);
const x = new WebAssembly.Instance(module, { env: { mem } }).exports;
const WAIT_AFTER_POLLS = ${WAIT_AFTER_POLLS};
const runBlocks = (${runBlocks.toString()});
const arrays = new Map();
let heap = new Float64Array(mem.buffer);
const io = {
  heap(bytes) {
    if (heap.byteLength < bytes) heap = new Float64Array(mem.buffer);
    return heap;
  },
  array(id) {
    for (;;) {
      const a = arrays.get(id);
      if (a !== undefined) return a;
      const m = receiveMessageOnPort(port);
      if (m === undefined) throw new Error("autodiff: a shared array did not reach the worker");
      take(m.message);
    }
  },
};
function take(message) {
  if (message.forget !== undefined) arrays.delete(message.forget);
  else arrays.set(message.id, new Float64Array(message.buffer));
}
Atomics.sub(ctl, ${FAILED}, 1);
Atomics.notify(ctl, ${FAILED});
let last = Atomics.load(ctl, ${CLAIM}) >>> 20;
for (;;) {
  let w = Atomics.load(ctl, ${CLAIM});
  // poll, reading the clock every 256 polls (each reading allocates a number: garbage)
  const t = performance.now();
  for (let i = 1; w >>> 20 === last; i++) {
    if ((i & 255) === 0 && performance.now() - t > ${SPIN_US / 1000}) break;
    w = Atomics.load(ctl, ${CLAIM});
  }
  while (w >>> 20 === last) {
    Atomics.wait(ctl, ${CLAIM}, w);
    w = Atomics.load(ctl, ${CLAIM});
  }
  last = w >>> 20;
  if (me >= Atomics.load(ctl, ${ACTIVE})) {
    // sitting the job out: still read the port, so the buffers posted meanwhile (and those the
    // main thread told it to forget) are not held by queued messages
    for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) take(m.message);
    continue;
  }
  try {
    runBlocks(x, ctl, last, 1e9, io);
  } catch (e) {
    Atomics.store(ctl, ${FAILED}, 1);
    throw e;
  }
}
`;

interface Pool {
  ctl: Int32Array;
  workers: number;
  main: BlockKernels;
  /** This thread's ThreadIo: the module's memory, and the arrays of the running job. */
  io: ThreadIo;
  /** The arrays the running job names, by id (this thread holds them already). */
  jobArrays: Map<number, Float64Array>;
  /** One port per worker, for the shared arrays (see threadArray). */
  ports: PortLike[];
  /** The workers, to end them when a larger pool replaces this one. */
  threads: WorkerLike[];
  /** Each buffer's id while the workers hold it. */
  ids: WeakMap<SharedArrayBuffer, number>;
  /** The ids the workers hold, least recently used first, with their sizes in bytes. */
  held: Map<number, number>;
  heldBytes: number;
  nextId: number;
}

/**
 * Bytes of shared arrays the workers may hold between jobs. They hold a buffer until told to
 * forget it, and its memory is freed only when they do, so the main thread bounds what they hold
 * (least recently used out first) instead of waiting for its own garbage collector, which does
 * not count these buffers as pressure.
 */
const HELD_BYTES = 64 * 2 ** 20;

/** The thread count asked for; read from the environment on first use (a bad value then throws there). */
let wanted: number | undefined;
const wantedThreads = (): number => {
  wanted ??= defaultMatmulThreads();
  return wanted;
};
let pool: Pool | null | undefined;
let seq = 0;
let alive = 0;

/** @internal Worker threads started and not yet exited (for tests). */
export function matmulWorkersAlive(): number {
  return alive;
}

/**
 * The process's thread budget (`PHYSML_THREADS`, see @physml/lattice-core's `defaultThreads`) when
 * the variable is set, else the cores, at most 4: past four threads these products stop gaining.
 */
function defaultMatmulThreads(): number {
  const set = threadsFromEnvironment();
  return set !== undefined ? Math.min(set, MAX_WORKERS + 1) : Math.min(4, defaultThreads());
}

function builtin<T>(name: string): T | undefined {
  const p = (globalThis as { process?: { getBuiltinModule?: (n: string) => unknown } }).process;
  return p?.getBuiltinModule?.(name) as T | undefined;
}

/**
 * Sets how many threads (the calling one included) a large matrix product may use: 1 keeps every
 * product on the calling thread, n > 1 adds up to n − 1 worker threads (Node only; started on the
 * first large product, ~50 ms once). The default is the environment variable `PHYSML_THREADS`,
 * else the number of cores, at most 4. Results are bit-identical whatever the thread count: each
 * entry of C is the same sum in the same order. Raising the count past the running workers starts
 * a new set (the old workers end); lowering it keeps the workers, and those past the count sit
 * the jobs out.
 *
 * @throws AutodiffInputError unless `n` is an integer in [1, 33].
 */
export function setMatmulThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_WORKERS + 1) {
    throw new AutodiffInputError("setMatmulThreads.n", `an integer in [1, ${MAX_WORKERS + 1}]`, n);
  }
  wanted = n;
}

/** The thread count large matrix products use (see setMatmulThreads). */
export function matmulThreads(): number {
  return wantedThreads();
}

interface WorkerLike {
  unref(): void;
  terminate(): unknown;
  once(event: "exit", listener: () => void): unknown;
}
interface PortLike {
  postMessage(m: unknown): void;
  unref(): void;
}
type WorkerCtor = new (
  src: string,
  o: { eval: true; workerData: unknown; transferList: unknown[] },
) => WorkerLike;
type ChannelCtor = new () => { port1: PortLike; port2: PortLike };

/**
 * Starts the workers for the module `module` on the shared memory `mem` the first time a product
 * wants them (blocking until they are ready, ~20–50 ms once); null when threads are off or
 * unavailable. `main` is the calling thread's own instance.
 */
export function threadPool(
  module: object,
  mem: { buffer: ArrayBufferLike },
  main: BlockKernels,
): Pool | null {
  const n = wantedThreads();
  if (n < 2) return null;
  if (pool === null || (pool !== undefined && pool.workers >= n - 1)) return pool;
  // more threads than the pool has: a new pool, and the old one's workers end (they would
  // otherwise sleep for the process's life, holding the shared arrays posted to them)
  if (pool !== undefined) for (const t of pool.threads) t.terminate();
  pool = startPool(module, mem, main, n - 1);
  return pool;
}

function startPool(
  module: object,
  mem: { buffer: ArrayBufferLike },
  main: BlockKernels,
  workers: number,
): Pool | null {
  const wt = builtin<{ Worker?: WorkerCtor; MessageChannel?: ChannelCtor }>("node:worker_threads");
  if (wt?.Worker === undefined || wt.MessageChannel === undefined || typeof SharedArrayBuffer !== "function")
    return null;
  const ctl = new Int32Array(new SharedArrayBuffer(CTL_INTS * 4));
  ctl[CLAIM] = seq << 20;
  // FAILED counts the workers still starting, then becomes the failure flag
  ctl[FAILED] = workers;
  ctl[ACTIVE] = workers;
  const ports: PortLike[] = [];
  const threads: WorkerLike[] = [];
  try {
    for (let id = 0; id < workers; id++) {
      const { port1, port2 } = new wt.MessageChannel();
      port1.unref();
      ports.push(port1);
      const w = new wt.Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module, mem, ctl: ctl.buffer, port: port2, id },
        transferList: [port2],
      });
      w.unref();
      alive++;
      w.once("exit", () => void alive--);
      threads.push(w);
    }
  } catch {
    for (const t of threads) t.terminate();
    return null;
  }
  // wait (≤ 5 s) until every worker has its instance; give up on threads otherwise
  const deadline = Date.now() + 5000;
  for (let left = Atomics.load(ctl, FAILED); left > 0; left = Atomics.load(ctl, FAILED)) {
    if (Date.now() > deadline) {
      for (const t of threads) t.terminate();
      return null;
    }
    Atomics.wait(ctl, FAILED, left, 50);
  }
  const jobArrays = new Map<number, Float64Array>();
  let heap = new Float64Array(mem.buffer);
  const io: ThreadIo = {
    heap(bytes) {
      if (heap.byteLength < bytes) heap = new Float64Array(mem.buffer);
      return heap;
    },
    array: (id) => jobArrays.get(id)!,
  };
  return {
    ctl,
    workers,
    main,
    io,
    jobArrays,
    ports,
    threads,
    ids: new WeakMap(),
    held: new Map(),
    heldBytes: 0,
    nextId: 0,
  };
}

/** Whether the pool's workers can read and write `d`: a Float64Array on a SharedArrayBuffer. */
export function threadReadable(d: unknown): d is Float64Array & { buffer: SharedArrayBuffer } {
  return (
    d instanceof Float64Array &&
    typeof SharedArrayBuffer === "function" &&
    d.buffer instanceof SharedArrayBuffer
  );
}

/**
 * The id under which the pool's workers can read and write `d` in the next job (posting its buffer
 * to them unless they hold it), or −1 when `d` is not on a SharedArrayBuffer. Past HELD_BYTES the
 * workers are told to forget the least recently used buffers the next job does not name.
 */
export function threadArray(p: Pool, d: ArrayLike<number> & { buffer: ArrayBufferLike }): number {
  if (!threadReadable(d)) return -1;
  const buf = d.buffer;
  let id = p.ids.get(buf);
  if (id !== undefined && p.held.has(id)) {
    p.held.delete(id); // most recently used: to the end
    p.held.set(id, buf.byteLength);
  } else {
    for (const [old, bytes] of p.held) {
      if (p.heldBytes + buf.byteLength <= HELD_BYTES) break;
      if (p.jobArrays.has(old)) continue;
      p.held.delete(old);
      p.heldBytes -= bytes;
      for (const port of p.ports) port.postMessage({ forget: old });
    }
    id = p.nextId++;
    p.ids.set(buf, id);
    p.held.set(id, buf.byteLength);
    p.heldBytes += buf.byteLength;
    for (const port of p.ports) port.postMessage({ id, buffer: buf });
  }
  p.jobArrays.set(id, new Float64Array(buf));
  return id;
}

/**
 * Runs `job` on the pool's threads and this one; returns when every block of C is written.
 * - `stage(b)` stages row block b's operands here, block after block, while the workers already
 *   compute the blocks staged before (the copy overlaps the product); with `job.stageK`, K block
 *   b of every row instead.
 * - `overlap()` runs here once the job is out, before this thread joins it: work for the next job
 *   that touches none of this one's memory (the workers take more blocks meanwhile).
 * - `finished(b)` is called here for every block, in order, once it is written (to copy it out):
 *   this thread alternates between computing a block and handing over the finished ones, so the
 *   copies overlap the workers' products.
 */
export function runJob(
  p: Pool,
  job: BlockJob | ConvJob,
  stage?: (block: number) => void,
  overlap?: () => void,
  finished?: (block: number) => void,
): void {
  const { ctl } = p;
  // K blocks staged by the threads come first, as units of their own
  const selfK = !("kind" in job) && job.stageK === true && job.packFrom !== undefined;
  const nK = selfK ? Math.ceil(job.K / job.kc) : 0;
  const n =
    "kind" in job ? Math.ceil(job.samples / job.perBlock) : nK + Math.ceil(job.rows / job.rowsPerBlock);
  if (n > MAX_BLOCKS) throw new Error(`autodiff: ${n} row blocks exceed the claim word's ${MAX_BLOCKS}`);
  if ("kind" in job) {
    const j = job;
    ctl.set(
      [
        j.xc,
        j.offs,
        j.wg,
        j.out,
        j.M,
        j.K,
        j.H,
        j.W,
        j.PW,
        j.perBlock,
        j.xs,
        j.ys,
        j.samples,
        j.kind === 1 ? j.bias : j.outBlock,
        j.kind,
        j.tanhT0,
      ],
      PARAMS,
    );
  } else
    ctl.set(
      [
        job.a,
        job.aRow,
        job.aK,
        job.b,
        job.c,
        job.rows,
        job.K,
        job.kc,
        job.Np,
        job.rowsPerBlock,
        job.accumulate ? 1 : 0,
        job.bias,
        job.tanhT0,
        selfK ? 2 : job.stageK ? 1 : 0,
        0,
        ...rowsParams(job.inA),
        ...rowsParams(job.inY),
        job.inY?.at ?? 0,
        ...rowsParams(job.outC),
        job.packFrom?.raw ?? -1,
        job.packFrom?.N ?? 0,
        job.packFrom?.rowStride ?? 0,
        job.packFrom?.colStride ?? 0,
        ...rowsParams(job.inG),
      ],
      PARAMS,
    );
  // what `stage` is called for: row blocks, or K blocks of a job staged by K
  const staged = !("kind" in job) && job.stageK ? Math.ceil(job.K / job.kc) : n;
  if (selfK && stage) throw new Error("autodiff: a job staged by its threads takes no stage callback");
  Atomics.store(ctl, DONE, 0);
  Atomics.store(ctl, STAGED, stage ? 0 : staged);
  Atomics.store(ctl, ACTIVE, Math.min(p.workers, wantedThreads() - 1));
  ctl.fill(0, FINISHED, FINISHED + n);
  seq = (seq + 1) & 2047;
  Atomics.store(ctl, CLAIM, (seq << 20) | (n << 10));
  Atomics.notify(ctl, CLAIM);
  if (stage) {
    for (let b = 0; b < staged; b++) {
      stage(b);
      Atomics.store(ctl, STAGED, b + 1);
      Atomics.notify(ctl, STAGED);
    }
  }
  overlap?.();
  let handed = 0; // blocks passed to `finished`, in order
  const handOver = () => {
    if (finished) for (; handed < n && Atomics.load(ctl, FINISHED + handed) === 1; handed++) finished(handed);
  };
  if (finished) while (runBlocks(p.main, ctl, seq, 1, p.io) === 1) handOver();
  else runBlocks(p.main, ctl, seq, 1e9, p.io);
  // workers are finishing their last blocks (one block at most each): poll briefly, then sleep
  // until a worker reports a block. On a busy machine a worker may hold a claimed block while
  // descheduled; spinning here would then take the core it needs to finish.
  const t0 = Date.now();
  for (let i = 1, d = Atomics.load(ctl, DONE); d < n; i++, d = Atomics.load(ctl, DONE)) {
    handOver();
    if (i >= WAIT_AFTER_POLLS) Atomics.wait(ctl, DONE, d, 1);
    if ((i & 4095) === 0 || i >= WAIT_AFTER_POLLS) {
      if (Atomics.load(ctl, FAILED) !== 0) throw new Error("autodiff: a matrix-product worker thread failed");
      if (Date.now() - t0 > 60_000)
        throw new Error("autodiff: a matrix-product worker thread stopped responding");
    }
  }
  handOver();
  p.jobArrays.clear();
}

/** An ArrayRows's four control slots (id −1: none). */
const rowsParams = (r: ArrayRows | undefined): number[] =>
  r === undefined ? [-1, 0, 0, 0] : [r.id, r.off, r.rows, r.width];
