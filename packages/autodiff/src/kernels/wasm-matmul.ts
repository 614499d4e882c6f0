// The matrix product through the WebAssembly SIMD kernels of wasm-matmul-code.ts: operands are
// copied into the module's memory (JavaScript arrays cannot be read in place), B is repacked into
// 4-column panels there, and C comes back out. Everything is staged block by block so the copies
// run between cache and the arrays rather than through main memory twice, and the module's memory
// stays small. If the engine lacks WebAssembly SIMD the caller falls back to the JavaScript kernel.
// Large products are split over worker threads sharing the memory (matmul-threads.ts).

import { ensureBytes } from "@physml/wasm-encode";
import {
  type ArrayRows,
  type BlockJob,
  matmulThreads,
  runJob,
  threadArray,
  threadPool,
} from "./matmul-threads.js";
import type { Data } from "./types.js";
import { bumpKeptGeneration, keep, keptAt, placeBeside } from "./wasm-kept.js";
import { instantiateMatmul, MATMUL_RESERVED_DOUBLES } from "./wasm-matmul-code.js";
import { RESIDENT_DOUBLES, residentAlloc, residentOffset, setResidentRegion } from "./wasm-resident.js";
import { TANH_T0_BYTE } from "./wasm-tanh.js";

let wasm: ReturnType<typeof instantiateMatmul> | undefined;

/** @internal The module instance (null without SIMD), shared with wasm-dense-backward.ts. */
export function instance(): ReturnType<typeof instantiateMatmul> {
  if (wasm === undefined) wasm = instantiateMatmul();
  return wasm;
}

/**
 * @internal `n` doubles in the module's resident region (wasm-resident.ts), or null: without
 * threads' shared memory (an unshared memory's buffer is replaced when it grows), or when full.
 */
export function residentArray(n: number): Float64Array | null {
  const w = instance();
  if (w === null || !w.shared) return null;
  setResidentRegion(MATMUL_RESERVED_DOUBLES, () => w.mem.buffer);
  ensureBytes(w.mem, BASE * 8);
  return residentAlloc(n);
}

/** True when the SIMD kernel is available in this engine. */
export function wasmMatmulAvailable(): boolean {
  return instance() !== null;
}

export const KC = 256; // K block when K > KC_SPLIT (op(A) not transposed)
export const KC_SPLIT = 512;
const A_BLOCK_DOUBLES = 16384; // 128 KB of A per row block
const SMALL_A_DOUBLES = 16384; // a threaded product's op(A) staged before the job: ≤ 128 KB
export const SLAB_DOUBLES = 32768; // a transposed A is staged in K slabs of ≤ 256 KB
// the tanh tables sit below, then the region of resident arrays (wasm-resident.ts)
export const BASE = MATMUL_RESERVED_DOUBLES + RESIDENT_DOUBLES;
/** Multiply-adds from which a product is split over threads (~50 µs of work on one core). */
const PARALLEL_MIN_WORK = 2 ** 19;

/**
 * A dense layer's epilogue, C ← act(C + bias) with bias [N], applied to each block of C in the
 * module before it is copied out (the same IEEE operations as the add and tanh ops).
 */
export interface MatmulEpilogue {
  bias: Data;
  tanh: boolean;
}

/**
 * C[M,N] = op(A)·op(B) (row-major blocks at the given offsets; op(A) = Aᵀ with A stored [K,M]
 * when `transA`, likewise B stored [N,K] when `transB`) with the SIMD kernel, then the optional
 * epilogue (not with `transA`). Returns false, doing nothing, if WebAssembly SIMD is unavailable
 * or the operands do not fit its memory.
 */
export function wasmMatmul(
  a: Data,
  ao: number,
  b: Data,
  bo: number,
  c: Data,
  co: number,
  M: number,
  Kd: number,
  Nd: number,
  transA = false,
  transB = false,
  epilogue: MatmulEpilogue | null = null,
): boolean {
  const w = instance();
  if (w === null || (epilogue !== null && transA)) return false;
  const pool = poolFor(w, M, Kd, Nd, transA);
  if (pool !== null) {
    // a transposed A too large to stage whole still fits the one-thread slab path
    return transA
      ? productTransAParallel(w, pool, a, ao, b, bo, c, co, M, Kd, Nd, transB) ||
          productTransA(w, a, ao, b, bo, c, co, M, Kd, Nd, transB)
      : productRowsParallel(w, pool, a, ao, b, bo, c, co, M, Kd, Nd, transB, epilogue);
  }
  return transA
    ? productTransA(w, a, ao, b, bo, c, co, M, Kd, Nd, transB)
    : productRows(w, a, ao, b, bo, c, co, M, Kd, Nd, transB, epilogue);
}

type W = NonNullable<ReturnType<typeof instantiateMatmul>>;
type Pool = NonNullable<ReturnType<typeof threadPool>>;

/**
 * @internal The thread pool for an M×K·K×N product, or null to keep it on this thread: split when
 * there is enough work and at least `minRows` rows of C (a transposed A splits only its M rows,
 * per K slab: below 32 of them the hand-offs cost more than they save, measured; a caller whose
 * job has the threads do more than the product may ask for fewer).
 */
export function poolFor(
  w: W,
  M: number,
  K: number,
  N: number,
  transA: boolean,
  minRows = transA ? 32 : 8,
): Pool | null {
  const split = M * K * N >= PARALLEL_MIN_WORK && M >= minRows && w.shared;
  return split ? threadPool(w.module, w.mem, w) : null;
}

/** K block of a transposed-A product: an A block of ≤ 256 KB, ≤ KC rows of its storage. */
function transAKc(Kd: number, Mp: number): number {
  return Math.min(Kd, Math.max(8, Math.min(KC, Math.floor(SLAB_DOUBLES / Mp))));
}

/** Rows per claimed block: about `perThread` blocks for each thread, a multiple of 4. */
function rowsPerBlock(Mp: number, perThread: number): number {
  return Math.max(4, (Math.ceil(Mp / (perThread * matmulThreads())) + 3) & ~3);
}

/** @internal Grows the memory to `doubles` and returns a view of it, or null past 2 GB. */
export function memory(w: W, doubles: number): Float64Array | null {
  // whatever the caller writes may overwrite the copies earlier calls left (wasm-kept.ts)
  bumpKeptGeneration();
  if (doubles * 8 >= 2 ** 31) return null;
  ensureBytes(w.mem, doubles * 8);
  return new Float64Array(w.mem.buffer);
}

/**
 * @internal Packs op(B) (Kd×Nd, staged raw at `rawOff`: [Kd, Nd], or [Nd, Kd] when `transB`) into
 * 4-column panels at `bpOff`, K block after K block of kc: block k0 sits at bpOff + k0·Np.
 */
export function packBlocks(
  w: W,
  rawOff: number,
  bpOff: number,
  Kd: number,
  Nd: number,
  Np: number,
  kc: number,
  transB: boolean,
): void {
  for (let k0 = 0; k0 < Kd; k0 += kc) {
    const kLen = Math.min(kc, Kd - k0);
    const dst = (bpOff + k0 * Np) * 8;
    if (transB) w.packB((rawOff + k0) * 8, dst, kLen, Nd, 8, Kd * 8);
    else w.packB((rawOff + k0 * Nd) * 8, dst, kLen, Nd, Nd * 8, 8);
  }
}

/** Stages a dense layer's bias [Nd] at `off`, zero-padded to Np. */
function stageBias(f: Float64Array, bias: Data, off: number, Nd: number, Np: number): void {
  f.set(bias.subarray(0, Nd), off);
  f.fill(0, off + Nd, off + Np);
}

/** @internal Where a row-block product finds its operands in memory (offsets in doubles). */
export interface RowsLayout {
  a: number; // op(A) [rows, K], row stride K
  b: number; // packed B, K blocks of kc (packBlocks)
  c: number; // C [rows, Np]
  rows: number; // a multiple of 4
  K: number;
  kc: number;
  Np: number;
  bias: number; // −1 for none
  tanh: boolean;
  /** With a pool: op(A)'s rows read by each thread from a shared array instead of `stage`. */
  inA?: ArrayRows;
  /** With `inA`: the dense backward's y, each thread forming A·(1 − y²) (BlockJob.inY). */
  inY?: ArrayRows & { at: number };
  /** With a pool: C's rows written by each thread to a shared array instead of `out`. */
  outC?: ArrayRows;
  /** op(A) already sits at `a` (a kept copy, wasm-kept.ts): nothing to stage. */
  inPlace?: boolean;
}

/**
 * @internal C = op(A)·B (+ epilogue) over row blocks, with op(A) staged by `stage(r0, r1)` (rows
 * [r0, r1), multiples of 4) and C handed to `out(r0, r1)` as it is written. With a pool, blocks
 * are staged ahead of the workers and handed over as they finish, or, with `L.inA` / `L.outC`,
 * each thread copies its own blocks in / out; without, all of op(A) is staged, multiplied in one
 * sweep and handed over at once. Each entry is the same k-ordered sum either way.
 */
export function rowsProduct(
  w: W,
  pool: Pool | null,
  L: RowsLayout,
  stage: (r0: number, r1: number) => void,
  out: (r0: number, r1: number) => void,
): void {
  if (pool === null) {
    if (!L.inPlace) stage(0, L.rows);
    for (let k0 = 0; k0 < L.K; k0 += L.kc) {
      const kLen = Math.min(L.kc, L.K - k0);
      w.mm((L.a + k0) * 8, (L.b + k0 * L.Np) * 8, L.c * 8, L.rows, kLen, L.Np, L.K * 8, 8, k0 > 0 ? 1 : 0);
    }
    if (L.bias >= 0) w.addBias(L.c * 8, L.rows, L.Np, L.bias * 8);
    if (L.tanh) w.tanh(L.c * 8, (L.rows * L.Np) >> 1, TANH_T0_BYTE);
    out(0, L.rows);
    return;
  }
  const rb = rowsPerBlock(L.rows, 8);
  const span = (blk: number): [number, number] => [blk * rb, Math.min(L.rows, (blk + 1) * rb)];
  // a small op(A) is staged whole before the job goes out: the workers then never wait for rows
  // (nor sleep and need waking) for a copy of a few µs
  const upfront = !L.inA && !L.inPlace && L.rows * L.K <= SMALL_A_DOUBLES;
  if (upfront) stage(0, L.rows);
  runJob(
    pool,
    {
      a: L.a * 8,
      aRow: L.K * 8,
      aK: 8,
      b: L.b * 8,
      c: L.c * 8,
      rows: L.rows,
      K: L.K,
      kc: L.kc,
      Np: L.Np,
      rowsPerBlock: rb,
      accumulate: false,
      bias: L.bias >= 0 ? L.bias * 8 : -1,
      tanhT0: L.tanh ? TANH_T0_BYTE : -1,
      inA: L.inA,
      inY: L.inY,
      outC: L.outC,
    },
    L.inA || L.inPlace || upfront ? undefined : (blk) => stage(...span(blk)),
    undefined,
    L.outC ? undefined : (blk) => out(...span(blk)),
  );
}

/**
 * @internal `d` from element `off` as `rows` rows of `width` for the pool's threads to copy
 * themselves, or undefined when they cannot read it (not on a SharedArrayBuffer).
 */
export function sharedRows(
  pool: Pool,
  d: Data,
  off: number,
  rows: number,
  width: number,
): ArrayRows | undefined {
  const id = threadArray(pool, d);
  return id < 0 ? undefined : { id, off: d.byteOffset / 8 + off, rows, width };
}

/** @internal Where one K slab of a transposed-A product sits (offsets in doubles). */
export interface Slab {
  a: number; // A slab [kLen, M] (op(A) = its transpose), 4 readable doubles after it
  b: number; // packed B slab [Np/4][kLen][4]
  kLen: number;
}

/**
 * @internal C [Mp, Np] at `c` = Σ over `slabs` K slabs of (slab A)ᵀ·(slab B), accumulated in k
 * order; `stage(s)` copies slab s in and returns where it sits. With a pool, two slab buffers
 * alternate (the caller's `stage` picks by s & 1): slab s + 1 is staged while the workers start on
 * slab s. Without, one buffer suffices.
 */
export function slabProduct(
  w: W,
  pool: Pool | null,
  slabs: number,
  stage: (s: number) => Slab,
  c: number,
  M: number,
  Mp: number,
  Np: number,
): void {
  let next = pool !== null ? stage(0) : null;
  for (let s = 0; s < slabs; s++) {
    const cur = next ?? stage(s);
    if (pool === null) {
      w.mm(cur.a * 8, cur.b * 8, c * 8, Mp, cur.kLen, Np, 8, M * 8, s > 0 ? 1 : 0);
      continue;
    }
    // the threads split the slab's rows of C (whole K, so each entry keeps its k order)
    const job = {
      a: cur.a * 8,
      aRow: 8,
      aK: M * 8,
      b: cur.b * 8,
      c: c * 8,
      rows: Mp,
      K: cur.kLen,
      kc: cur.kLen,
      Np,
      rowsPerBlock: rowsPerBlock(Mp, 4),
      accumulate: s > 0,
      bias: -1,
      tanhT0: -1,
    };
    next = null;
    runJob(pool, job, undefined, s + 1 < slabs ? () => void (next = stage(s + 1)) : undefined);
  }
}

/** Rows narrower than this are copied value by value rather than through a view per row. */
const NARROW = 16;

/** @internal Copies `len` rows of the module's C block (row stride Np) to c. */
export function copyOut(
  f: Float64Array,
  cOff: number,
  Np: number,
  c: Data,
  co: number,
  Nd: number,
  len: number,
) {
  if (Np === Nd) c.set(f.subarray(cOff, cOff + len * Nd), co);
  else if (Nd < NARROW)
    // a view per row costs more than copying a few values (a [R, 1] output: one value per row)
    for (let i = 0; i < len; i++) for (let j = 0; j < Nd; j++) c[co + i * Nd + j] = f[cOff + i * Np + j];
  else for (let i = 0; i < len; i++) c.set(f.subarray(cOff + i * Np, cOff + i * Np + Nd), co + i * Nd);
}

// op(A) = A: B is staged whole and packed once (K block after K block), then C is computed in row
// blocks of A; each block's rows of A are copied in just before and its rows of C out just after.
function productRows(
  w: W,
  a: Data,
  ao: number,
  b: Data,
  bo: number,
  c: Data,
  co: number,
  M: number,
  Kd: number,
  Nd: number,
  transB: boolean,
  epilogue: MatmulEpilogue | null,
): boolean {
  const Mp = (M + 3) & ~3;
  const Np = (Nd + 3) & ~3;
  const kc = Kd > KC_SPLIT ? KC : Kd;
  const mc = Math.max(4, Math.min(Mp, Math.floor(A_BLOCK_DOUBLES / kc) & ~3));
  // A read in place where it is resident, or where the layer below left it; C written in place
  // where it is resident
  const cRes = co === 0 && Np === Nd && Mp === M ? residentOffset(c) : -1;
  const { aAt, start } = inputInPlace(a, ao, M, Kd, epilogue, Kd * Np + Kd * Nd + mc * Np + Np);
  const inPlace = aAt >= 0;
  // layout (doubles, after BASE or beside the kept input): packed B [Kd·Np] | raw B [Kd·Nd] |
  // A block [mc·Kd] (unless in place) | C block [mc·Np] | bias [Np]
  const bpOff = start;
  const rawOff = bpOff + Kd * Np;
  const aOff = rawOff + Kd * Nd;
  const cOff = aOff + (inPlace ? 0 : mc * Kd);
  const biasOff = cOff + mc * Np;
  const f = memory(w, biasOff + Np);
  if (f === null) return false;
  f.set(b.subarray(bo, bo + Kd * Nd), rawOff);
  packBlocks(w, rawOff, bpOff, Kd, Nd, Np, kc, transB);
  if (epilogue !== null) stageBias(f, epilogue.bias, biasOff, Nd, Np);
  for (let i0 = 0; i0 < Mp; i0 += mc) {
    const mPad = Math.min(mc, Mp - i0);
    const rows = Math.min(mPad, M - i0);
    const at = inPlace ? aAt + i0 * Kd : aOff;
    const cAt = cRes >= 0 ? cRes + i0 * Np : cOff;
    if (!inPlace) f.set(a.subarray(ao + i0 * Kd, ao + (i0 + rows) * Kd), aOff);
    // padding rows (≤ 3) are zeroed: they only feed C's dropped padding rows, but stale memory
    // could hold subnormals, which are slow
    if (rows < mPad) f.fill(0, aOff + rows * Kd, aOff + mPad * Kd);
    for (let k0 = 0; k0 < Kd; k0 += kc) {
      const kLen = Math.min(kc, Kd - k0);
      w.mm((at + k0) * 8, (bpOff + k0 * Np) * 8, cAt * 8, mPad, kLen, Np, Kd * 8, 8, k0 > 0 ? 1 : 0);
    }
    if (epilogue !== null) {
      w.addBias(cAt * 8, mPad, Np, biasOff * 8);
      // mPad·Np/2 pairs: even (Np is a multiple of 4), as the two-pair loop needs
      if (epilogue.tanh) w.tanh(cAt * 8, (mPad * Np) >> 1, TANH_T0_BYTE);
    }
    if (cRes < 0) copyOut(f, cOff, Np, c, co + i0 * Nd, Nd, rows);
  }
  return true;
}

// op(A) = A over several threads: B is packed as in productRows, then the threads claim row blocks
// of C, each applying the epilogue to its own blocks. A and C on a SharedArrayBuffer are copied
// in and out by whichever thread takes the block; otherwise this thread copies op(A) in block by
// block ahead of the workers (they cannot read other JavaScript arrays) before it joins in, and C
// out as blocks finish.
function productRowsParallel(
  w: W,
  pool: Pool,
  a: Data,
  ao: number,
  b: Data,
  bo: number,
  c: Data,
  co: number,
  M: number,
  Kd: number,
  Nd: number,
  transB: boolean,
  epilogue: MatmulEpilogue | null,
): boolean {
  const Mp = (M + 3) & ~3;
  const Np = (Nd + 3) & ~3;
  const kc = Kd > KC_SPLIT ? KC : Kd;
  // A read in place where it is resident, or where the layer below left it; C written in place
  // where it is resident
  const cRes = co === 0 && Np === Nd && Mp === M ? residentOffset(c) : -1;
  const cLen = cRes >= 0 ? 0 : Mp * Np;
  const { aAt, start } = inputInPlace(a, ao, M, Kd, epilogue, Kd * Np + Kd * Nd + cLen + Np);
  const inPlace = aAt >= 0;
  // layout (doubles, after BASE or beside the kept input): packed B [Kd·Np] | raw B [Kd·Nd] |
  // A [Mp·Kd] (unless in place) | C [Mp·Np] (unless resident) | bias [Np]
  const bpOff = start;
  const rawOff = bpOff + Kd * Np;
  const aOff = inPlace ? aAt : rawOff + Kd * Nd;
  const cOwn = inPlace ? rawOff + Kd * Nd : aOff + Mp * Kd;
  const cOff = cRes >= 0 ? cRes : cOwn;
  const biasOff = cOwn + cLen;
  const f = memory(w, biasOff + Np);
  if (f === null) return false;
  f.set(b.subarray(bo, bo + Kd * Nd), rawOff);
  packBlocks(w, rawOff, bpOff, Kd, Nd, Np, kc, transB);
  if (epilogue !== null) stageBias(f, epilogue.bias, biasOff, Nd, Np);
  const bias = epilogue !== null ? biasOff : -1;
  rowsProduct(
    w,
    pool,
    {
      a: aOff,
      b: bpOff,
      c: cOff,
      rows: Mp,
      K: Kd,
      kc,
      Np,
      bias,
      tanh: epilogue?.tanh ?? false,
      inPlace,
      // arrays on a SharedArrayBuffer: every thread copies its own rows in and its block of C out
      inA: inPlace ? undefined : sharedRows(pool, a, ao, M, Kd),
      outC: cRes >= 0 ? undefined : sharedRows(pool, c, co, M, Nd),
    },
    // rows of A are copied in while the workers compute the blocks before them; padding rows are
    // zeroed (see productRows)
    (r0, r1) => {
      const real = Math.min(M, r1);
      f.set(a.subarray(ao + r0 * Kd, ao + real * Kd), aOff + r0 * Kd);
      if (real < r1) f.fill(0, aOff + real * Kd, aOff + r1 * Kd);
    },
    // each block of C is copied out as soon as it is written
    (r0, r1) => {
      const rows = Math.min(M, r1) - r0;
      if (rows > 0 && cRes < 0) copyOut(f, cOff + r0 * Np, Np, c, co + r0 * Nd, Nd, rows);
    },
  );
  // C, whole and unpadded, is the next layer's input
  if (epilogue !== null && cRes < 0 && c instanceof Float64Array && co === 0 && Np === Nd && Mp === M)
    keep(c, "out", cOff, M, Nd);
  return true;
}

/**
 * A dense layer's input `a` (from element `ao`, [M, Kd]) as a kept copy of the layer below's
 * output (wasm-kept.ts): its double offset, or −1. Whole unpadded rows only (M a multiple of 4:
 * no padding rows to zero).
 */
function keptInput(a: Data, ao: number, M: number, Kd: number, epilogue: MatmulEpilogue | null): number {
  return epilogue !== null && ao === 0 && M % 4 === 0 ? keptAt(a, "out", M, Kd) : -1;
}

/**
 * Where op(A) ([M, Kd] from element `ao` of `a`) can be read in place: its resident view, or a
 * kept copy with the call's own `need` doubles placed beside it (`start`); aAt −1 and start BASE
 * when it is to be staged.
 */
function inputInPlace(
  a: Data,
  ao: number,
  M: number,
  Kd: number,
  epilogue: MatmulEpilogue | null,
  need: number,
): { aAt: number; start: number } {
  const res = M % 4 === 0 ? residentOffset(a) : -1;
  if (res >= 0) return { aAt: res + ao, start: BASE };
  const kept = keptInput(a, ao, M, Kd, epilogue);
  const start = kept < 0 ? -1 : placeBeside(BASE, need, [[kept, M * Kd]]);
  return start < 0 ? { aAt: -1, start: BASE } : { aAt: kept, start };
}

// K rows [k0, k0 + kLen) of a transposed-A product into the module: B's rows (read across its
// storage when transB) copied raw and packed into 4-column panels at `at.packed`, and A's rows,
// contiguous in its [K, M] storage, at `at.a` (offsets in doubles). Both transposed-A paths stage
// through this, so they multiply the same bits.
function stageTransAK(
  w: W,
  f: Float64Array,
  a: Data,
  ao: number,
  b: Data,
  bo: number,
  M: number,
  Kd: number,
  Nd: number,
  transB: boolean,
  k0: number,
  kLen: number,
  at: { raw: number; packed: number; a: number },
): void {
  if (transB) {
    for (let j = 0; j < Nd; j++)
      f.set(b.subarray(bo + j * Kd + k0, bo + j * Kd + k0 + kLen), at.raw + j * kLen);
    w.packB(at.raw * 8, at.packed * 8, kLen, Nd, 8, kLen * 8);
  } else {
    f.set(b.subarray(bo + k0 * Nd, bo + (k0 + kLen) * Nd), at.raw);
    w.packB(at.raw * 8, at.packed * 8, kLen, Nd, Nd * 8, 8);
  }
  f.set(a.subarray(ao + k0 * M, ao + (k0 + kLen) * M), at.a);
}

// op(A) = Aᵀ with A stored [K, M] (weight gradients XᵀG, K = batch) on this thread: K slabs of A
// are contiguous rows of its storage, so each slab is one copy; C stays in the module and
// accumulates over them. One slab buffer suffices (threads: productTransAParallel).
function productTransA(
  w: W,
  a: Data,
  ao: number,
  b: Data,
  bo: number,
  c: Data,
  co: number,
  M: number,
  Kd: number,
  Nd: number,
  transB: boolean,
): boolean {
  const Mp = (M + 3) & ~3;
  const Np = (Nd + 3) & ~3;
  const kc = transAKc(Kd, Mp);
  // layout (doubles, after BASE): packed B block [kc·Np] | raw B block [kc·Nd] | A slab [kc·M + 4]
  // | C [Mp·Np]
  const bpOff = BASE;
  const rawOff = bpOff + kc * Np;
  const aOff = rawOff + kc * Nd;
  const cOff = aOff + kc * M + 4;
  const f = memory(w, cOff + Mp * Np);
  if (f === null) return false;
  const stageSlab = (slab: number): Slab => {
    const k0 = slab * kc;
    const kLen = Math.min(kc, Kd - k0);
    stageTransAK(w, f, a, ao, b, bo, M, Kd, Nd, transB, k0, kLen, { raw: rawOff, packed: bpOff, a: aOff });
    // the padding columns of the last k row read past the slab: keep that finite and cheap
    f.fill(0, aOff + kLen * M, aOff + kLen * M + 4);
    return { a: aOff, b: bpOff, kLen };
  };
  slabProduct(w, null, Math.ceil(Kd / kc), stageSlab, cOff, M, Mp, Np);
  copyOut(f, cOff, Np, c, co, Nd, M);
  return true;
}

// op(A) = Aᵀ over several threads, as one job: this thread stages A (K rows of its storage at a
// time) and packs B, K block after K block of kc, into whole-K regions, while the threads that
// claimed a row block of C follow it K block by K block (runJob's stageK). One hand-off per
// product (the slab pipeline of productTransA needed one per K slab: 40 for K = 10240), and each
// entry of C is the same k-ordered sum as on one thread.
function productTransAParallel(
  w: W,
  pool: Pool,
  a: Data,
  ao: number,
  b: Data,
  bo: number,
  c: Data,
  co: number,
  M: number,
  Kd: number,
  Nd: number,
  transB: boolean,
): boolean {
  const Mp = (M + 3) & ~3;
  const Np = (Nd + 3) & ~3;
  const kc = transAKc(Kd, Mp);
  // layout (doubles, after BASE): packed B [Kd·Np] | raw B block [kc·Nd] | A [Kd·M + 4] | C [Mp·Np]
  const bpOff = BASE;
  const rawOff = bpOff + Kd * Np;
  const aOff = rawOff + kc * Nd;
  const cOff = aOff + Kd * M + 4;
  const f = memory(w, cOff + Mp * Np);
  if (f === null) return false;
  // the padding columns of the last k row read past A: keep that finite and cheap
  f.fill(0, aOff + Kd * M, aOff + Kd * M + 4);
  const stage = (blk: number) => {
    const k0 = blk * kc;
    const kLen = Math.min(kc, Kd - k0);
    stageTransAK(w, f, a, ao, b, bo, M, Kd, Nd, transB, k0, kLen, {
      raw: rawOff,
      packed: bpOff + k0 * Np,
      a: aOff + k0 * M,
    });
  };
  transAStagedK(pool, { a: aOff, b: bpOff, c: cOff, M, Mp, Np, K: Kd, kc }, stage);
  copyOut(f, cOff, Np, c, co, Nd, M);
  return true;
}

/** @internal Where a transposed-A product staged K block by K block sits (offsets in doubles). */
export interface TransALayout {
  a: number; // A [K, M] whole, 4 readable doubles after it
  b: number; // packed B, K block k0 (a [Np/4][kLen][4] panel) at b + k0·Np
  c: number; // C [Mp, Np]
  M: number;
  Mp: number;
  Np: number;
  K: number;
  kc: number;
}

/**
 * @internal C = Aᵀ·B as one thread job: `stage(blk)` stages K block blk (of kc) of A and packed B
 * while the threads that claimed a row block of C follow, K block by K block. Each entry of C is
 * the same k-ordered sum, in the same mm calls, as slabProduct's with slabs of kc. With `self`
 * instead of `stage`, the threads stage the K blocks themselves: A's rows from a shared array and
 * B packed from its rows in the module (BlockJob.inA, packFrom).
 */
export function transAStagedK(
  pool: Pool,
  L: TransALayout,
  stage: ((blk: number) => void) | undefined,
  self?: Pick<BlockJob, "inA" | "packFrom" | "inG" | "inY">,
): void {
  const job = {
    a: L.a * 8,
    aRow: 8,
    aK: L.M * 8,
    b: L.b * 8,
    c: L.c * 8,
    rows: L.Mp,
    K: L.K,
    kc: L.kc,
    Np: L.Np,
    rowsPerBlock: rowsPerBlock(L.Mp, 4),
    accumulate: false,
    bias: -1,
    tanhT0: -1,
    stageK: true,
    ...self,
  };
  runJob(pool, job, stage);
}
