// The matrix product through the WebAssembly SIMD kernels of wasm-matmul-code.ts: operands are
// copied into the module's memory (JavaScript arrays cannot be read in place), B is repacked into
// 4-column panels there, and C comes back out. Everything is staged block by block so the copies
// run between cache and the arrays rather than through main memory twice, and the module's memory
// stays small. If the engine lacks WebAssembly SIMD the caller falls back to the JavaScript kernel.
// Large products are split over worker threads sharing the memory (matmul-threads.ts).

import { ensureBytes } from "@physml/wasm-encode";
import type { Data } from "./elementwise.js";
import { matmulThreads, runJob, threadPool } from "./matmul-threads.js";
import { instantiateMatmul, MATMUL_RESERVED_DOUBLES } from "./wasm-matmul-code.js";
import { TANH_T0_BYTE } from "./wasm-tanh.js";

let wasm: ReturnType<typeof instantiateMatmul> | undefined;

/** @internal The module instance (null without SIMD), shared with wasm-dense-backward.ts. */
export function instance(): ReturnType<typeof instantiateMatmul> {
  if (wasm === undefined) wasm = instantiateMatmul();
  return wasm;
}

/** True when the SIMD kernel is available in this engine. */
export function wasmMatmulAvailable(): boolean {
  return instance() !== null;
}

export const KC = 256; // K block when K > KC_SPLIT (op(A) not transposed)
export const KC_SPLIT = 512;
const A_BLOCK_DOUBLES = 16384; // 128 KB of A per row block
export const SLAB_DOUBLES = 32768; // a transposed A is staged in K slabs of ≤ 256 KB
export const BASE = MATMUL_RESERVED_DOUBLES; // the tanh tables sit below
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
    return transA
      ? productTransA(w, a, ao, b, bo, c, co, M, Kd, Nd, transB, pool)
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
 * there is enough work and enough rows of C (a transposed A splits only its M rows, per K slab:
 * below 32 of them the hand-offs cost more than they save, measured).
 */
export function poolFor(w: W, M: number, K: number, N: number, transA: boolean): Pool | null {
  const split = M * K * N >= PARALLEL_MIN_WORK && M >= (transA ? 32 : 8) && w.shared;
  return split ? threadPool(w.module, w.mem, w) : null;
}

/** @internal Rows per claimed block: about `perThread` blocks for each thread, a multiple of 4. */
export function rowsPerBlock(Mp: number, perThread: number): number {
  return Math.max(4, (Math.ceil(Mp / (perThread * matmulThreads())) + 3) & ~3);
}

/** @internal Grows the memory to `doubles` and returns a view of it, or null past 2 GB. */
export function memory(w: W, doubles: number): Float64Array | null {
  if (doubles * 8 >= 2 ** 31) return null;
  ensureBytes(w.mem, doubles * 8);
  return new Float64Array(w.mem.buffer);
}

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
  // layout (doubles, after BASE): packed B [Kd·Np] | raw B [Kd·Nd] | A block [mc·Kd] |
  // C block [mc·Np] | bias [Np]
  const bpOff = BASE;
  const rawOff = bpOff + Kd * Np;
  const aOff = rawOff + Kd * Nd;
  const cOff = aOff + mc * Kd;
  const biasOff = cOff + mc * Np;
  const f = memory(w, biasOff + Np);
  if (f === null) return false;
  f.set(b.subarray(bo, bo + Kd * Nd), rawOff);
  // K block k0 of the packed B sits at k0·Np, as panels [Np/4][kLen][4]
  for (let k0 = 0; k0 < Kd; k0 += kc) {
    const kLen = Math.min(kc, Kd - k0);
    const dst = (bpOff + k0 * Np) * 8;
    if (transB) w.packB((rawOff + k0) * 8, dst, kLen, Nd, 8, Kd * 8);
    else w.packB((rawOff + k0 * Nd) * 8, dst, kLen, Nd, Nd * 8, 8);
  }
  if (epilogue !== null) {
    f.set(epilogue.bias.subarray(0, Nd), biasOff);
    f.fill(0, biasOff + Nd, biasOff + Np);
  }
  for (let i0 = 0; i0 < Mp; i0 += mc) {
    const mPad = Math.min(mc, Mp - i0);
    const rows = Math.min(mPad, M - i0);
    f.set(a.subarray(ao + i0 * Kd, ao + (i0 + rows) * Kd), aOff);
    // padding rows (≤ 3) are zeroed: they only feed C's dropped padding rows, but stale memory
    // could hold subnormals, which are slow
    if (rows < mPad) f.fill(0, aOff + rows * Kd, aOff + mPad * Kd);
    for (let k0 = 0; k0 < Kd; k0 += kc) {
      const kLen = Math.min(kc, Kd - k0);
      w.mm((aOff + k0) * 8, (bpOff + k0 * Np) * 8, cOff * 8, mPad, kLen, Np, Kd * 8, 8, k0 > 0 ? 1 : 0);
    }
    if (epilogue !== null) {
      w.addBias(cOff * 8, mPad, Np, biasOff * 8);
      // mPad·Np/2 pairs: even (Np is a multiple of 4), as the two-pair loop needs
      if (epilogue.tanh) w.tanh(cOff * 8, (mPad * Np) >> 1, TANH_T0_BYTE);
    }
    copyOut(f, cOff, Np, c, co + i0 * Nd, Nd, rows);
  }
  return true;
}

// op(A) = A over several threads: B is packed as in productRows, then the threads claim row blocks
// of C, each applying the epilogue to its own blocks, while this thread copies op(A) in block by
// block ahead of them (the workers cannot read JavaScript arrays) before it joins in; C is copied
// out when every block is done.
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
  // layout (doubles, after BASE): packed B [Kd·Np] | raw B [Kd·Nd] | A [Mp·Kd] | C [Mp·Np] | bias [Np]
  const bpOff = BASE;
  const rawOff = bpOff + Kd * Np;
  const aOff = rawOff + Kd * Nd;
  const cOff = aOff + Mp * Kd;
  const biasOff = cOff + Mp * Np;
  const f = memory(w, biasOff + Np);
  if (f === null) return false;
  f.set(b.subarray(bo, bo + Kd * Nd), rawOff);
  for (let k0 = 0; k0 < Kd; k0 += kc) {
    const kLen = Math.min(kc, Kd - k0);
    const dst = (bpOff + k0 * Np) * 8;
    if (transB) w.packB((rawOff + k0) * 8, dst, kLen, Nd, 8, Kd * 8);
    else w.packB((rawOff + k0 * Nd) * 8, dst, kLen, Nd, Nd * 8, 8);
  }
  if (epilogue !== null) {
    f.set(epilogue.bias.subarray(0, Nd), biasOff);
    f.fill(0, biasOff + Nd, biasOff + Np);
  }
  const rb = rowsPerBlock(Mp, 8);
  // block b's rows of A are copied in while the workers compute the blocks before it; padding
  // rows are zeroed (see productRows)
  const stage = (blk: number) => {
    const i0 = blk * rb;
    const i1 = Math.min(Mp, i0 + rb);
    const real = Math.min(M, i1);
    f.set(a.subarray(ao + i0 * Kd, ao + real * Kd), aOff + i0 * Kd);
    if (real < i1) f.fill(0, aOff + real * Kd, aOff + i1 * Kd);
  };
  runJob(
    pool,
    {
      a: aOff * 8,
      aRow: Kd * 8,
      aK: 8,
      b: bpOff * 8,
      c: cOff * 8,
      rows: Mp,
      K: Kd,
      kc,
      Np,
      rowsPerBlock: rb,
      accumulate: false,
      bias: epilogue !== null ? biasOff * 8 : -1,
      tanhT0: epilogue?.tanh ? TANH_T0_BYTE : -1,
    },
    stage,
    undefined,
    // each block of C is copied out as soon as it is written
    (blk) => {
      const i0 = blk * rb;
      const rows = Math.min(M, i0 + rb) - i0;
      if (rows > 0) copyOut(f, cOff + i0 * Np, Np, c, co + i0 * Nd, Nd, rows);
    },
  );
  return true;
}

// op(A) = Aᵀ with A stored [K, M] (weight gradients XᵀG, K = batch): K slabs of A are contiguous
// rows of its storage, so each slab is one copy; C stays in the module and accumulates over them.
// With threads, two slab buffers alternate: this thread stages slab s + 1 while the workers start
// on slab s (it joins when done), so the copies overlap the products.
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
  pool: Pool | null = null,
): boolean {
  const Mp = (M + 3) & ~3;
  const Np = (Nd + 3) & ~3;
  const kc = Math.min(Kd, Math.max(8, Math.min(KC, Math.floor(SLAB_DOUBLES / Mp))));
  // layout (doubles, after BASE): per slab buffer (one, or two with threads) packed B block [kc·Np]
  // | raw B block [kc·Nd] | A slab [kc·M + 4]; then C [Mp·Np]
  const bufDoubles = kc * Np + kc * Nd + kc * M + 4;
  const cOff = BASE + (pool === null ? 1 : 2) * bufDoubles;
  const f = memory(w, cOff + Mp * Np);
  if (f === null) return false;
  const offsets = (slab: number) => {
    const bpOff = BASE + (pool === null ? 0 : slab & 1) * bufDoubles;
    return { bpOff, rawOff: bpOff + kc * Np, aOff: bpOff + kc * Np + kc * Nd };
  };
  const stageSlab = (slab: number) => {
    const k0 = slab * kc;
    const kLen = Math.min(kc, Kd - k0);
    const { bpOff, rawOff, aOff } = offsets(slab);
    if (transB) {
      for (let j = 0; j < Nd; j++)
        f.set(b.subarray(bo + j * Kd + k0, bo + j * Kd + k0 + kLen), rawOff + j * kLen);
      w.packB(rawOff * 8, bpOff * 8, kLen, Nd, 8, kLen * 8);
    } else {
      f.set(b.subarray(bo + k0 * Nd, bo + (k0 + kLen) * Nd), rawOff);
      w.packB(rawOff * 8, bpOff * 8, kLen, Nd, Nd * 8, 8);
    }
    f.set(a.subarray(ao + k0 * M, ao + (k0 + kLen) * M), aOff);
    // the padding columns of the last k row read past the slab: keep that finite and cheap
    f.fill(0, aOff + kLen * M, aOff + kLen * M + 4);
  };
  const slabs = Math.ceil(Kd / kc);
  if (pool !== null) stageSlab(0);
  for (let s = 0; s < slabs; s++) {
    const kLen = Math.min(kc, Kd - s * kc);
    const { bpOff, aOff } = offsets(s);
    if (pool === null) {
      stageSlab(s);
      w.mm(aOff * 8, bpOff * 8, cOff * 8, Mp, kLen, Np, 8, M * 8, s > 0 ? 1 : 0);
      continue;
    }
    // the threads split the slab's rows of C (whole K, so each entry keeps its k order)
    const job = {
      a: aOff * 8,
      aRow: 8,
      aK: M * 8,
      b: bpOff * 8,
      c: cOff * 8,
      rows: Mp,
      K: kLen,
      kc: kLen,
      Np,
      rowsPerBlock: rowsPerBlock(Mp, 4),
      accumulate: s > 0,
      bias: -1,
      tanhT0: -1,
    };
    runJob(pool, job, undefined, s + 1 < slabs ? () => stageSlab(s + 1) : undefined);
  }
  copyOut(f, cOff, Np, c, co, Nd, M);
  return true;
}
