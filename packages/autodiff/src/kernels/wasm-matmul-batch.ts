// Batches of small matrix products (per-sample Hessian terms: 1024 products of 10×64·64×10) with
// the SIMD kernel of wasm-matmul.ts. One product is too small to repay its own staging, so the
// batch goes in chunks of products whose operands, packed B and C fit in about 256 KB: each
// chunk's span of A and of B is copied into the module's memory in one piece, its matrices of B
// are packed into panels there, the mm kernel runs once per product at its offsets, and the
// chunk's C comes back out. A few calls per chunk instead of several per product, and the copies
// stay in cache.

import type { Data } from "./types.js";
import { BASE, instance, memory } from "./wasm-matmul.js";

/** Doubles of operands, packed B and C a chunk aims at (256 KB: in a core's L2). */
const CHUNK_DOUBLES = 32768;

/**
 * C_t = op(A_t)·op(B_t) for t < nOut, each [M, N], C_t at c[t·M·N]; A_t is the matrix of `a` at
 * offset aOffs[t] ([M, K], or [K, M] when `transA`), B_t that of `b` at bOffs[t] ([K, N], or
 * [N, K] when `transB`); offsets are multiples of the matrix size, in any order and repeated as
 * broadcasting needs. Returns false, doing nothing, if WebAssembly SIMD is unavailable or a
 * chunk does not fit its memory. Each entry is the same k-ordered sum as the JavaScript kernel's.
 */
export function wasmMatmulBatch(
  a: Data,
  aOffs: ArrayLike<number>,
  b: Data,
  bOffs: ArrayLike<number>,
  c: Data,
  nOut: number,
  M: number,
  K: number,
  N: number,
  transA: boolean,
  transB: boolean,
): boolean {
  const w = instance();
  if (w === null || M * K * N === 0) return false;
  const Mp = (M + 3) & ~3;
  const Np = (N + 3) & ~3;
  const [aSize, bSize] = [M * K, K * N];
  // the padding rows of the last A (≤ 3) read up to 3 rows of K past it (3 doubles when op(A)
  // reads the storage's columns): zeros there, the neighbours' entries elsewhere; either way
  // finite, and only C's dropped padding rows see them
  const aPad = Math.max(4, 3 * K);
  const [bk, bn] = transB ? [8, K * 8] : [N * 8, 8];
  const [aRow, aK] = transA ? [8, M * 8] : [K * 8, 8];
  const per = aSize + bSize + K * Np + Mp * Np;
  const chunk = Math.max(1, Math.floor(CHUNK_DOUBLES / per));
  for (let t0 = 0; t0 < nOut; t0 += chunk) {
    const t1 = Math.min(nOut, t0 + chunk);
    // the spans of a and b this chunk reads (one matrix when broadcast)
    let [aLo, aHi, bLo, bHi] = [aOffs[t0], aOffs[t0], bOffs[t0], bOffs[t0]];
    for (let t = t0 + 1; t < t1; t++) {
      aLo = Math.min(aLo, aOffs[t]);
      aHi = Math.max(aHi, aOffs[t]);
      bLo = Math.min(bLo, bOffs[t]);
      bHi = Math.max(bHi, bOffs[t]);
    }
    aHi += aSize;
    bHi += bSize;
    const nb = (bHi - bLo) / bSize;
    // layout (doubles, after BASE): A span + aPad | raw B span | packed B [nb·K·Np] | C chunk
    const aOff = BASE;
    const rawOff = aOff + aHi - aLo + aPad;
    const bpOff = rawOff + bHi - bLo;
    const cOff = bpOff + nb * K * Np;
    const f = memory(w, cOff + (t1 - t0) * Mp * Np);
    if (f === null) return false;
    f.set(a.subarray(aLo, aHi), aOff);
    f.fill(0, aOff + aHi - aLo, rawOff);
    f.set(b.subarray(bLo, bHi), rawOff);
    for (let m = 0; m < nb; m++) w.packB((rawOff + m * bSize) * 8, (bpOff + m * K * Np) * 8, K, N, bk, bn);
    for (let t = t0; t < t1; t++) {
      const pb = bpOff + ((bOffs[t] - bLo) / bSize) * K * Np;
      w.mm((aOff + aOffs[t] - aLo) * 8, pb * 8, (cOff + (t - t0) * Mp * Np) * 8, Mp, K, Np, aRow, aK, 0);
    }
    // C out, dropping the padding: an element loop, since rows of a few entries make a set() call
    // per row cost more than the copy
    if (Mp === M && Np === N) c.set(f.subarray(cOff, cOff + (t1 - t0) * M * N), t0 * M * N);
    else
      for (let t = t0, q = t0 * M * N; t < t1; t++)
        for (let i = 0; i < M; i++) {
          const r = cOff + ((t - t0) * Mp + i) * Np;
          for (let j = 0; j < N; j++) c[q++] = f[r + j];
        }
  }
  return true;
}
