// Batches of small matrix products (per-sample Hessian terms: 1024 products of 10×64·64×10) with
// the SIMD kernel of wasm-matmul.ts. One product is too small to repay its own staging, so both
// operand arrays are copied into the module's memory once, every matrix of B is packed into
// panels there, the mm kernel runs once per product at its offsets, and C comes back out at the
// end: a handful of copies for the whole batch instead of several per product.

import type { Data } from "./elementwise.js";
import { BASE, instance, memory } from "./wasm-matmul.js";

/**
 * C_t = op(A_t)·op(B_t) for t < nOut, each [M, N], C_t at c[t·M·N]; A_t is the matrix of `a` at
 * offset aOffs[t] ([M, K], or [K, M] when `transA`), B_t that of `b` at bOffs[t] ([K, N], or
 * [N, K] when `transB`). `a` holds nA matrices and `b` nB (offsets are multiples of the matrix
 * size; broadcasting repeats them). Returns false, doing nothing, if WebAssembly SIMD is
 * unavailable or the batch does not fit its memory. Each entry is the same k-ordered sum as the
 * JavaScript kernel's.
 */
export function wasmMatmulBatch(
  a: Data,
  nA: number,
  aOffs: ArrayLike<number>,
  b: Data,
  nB: number,
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
  const aLen = nA * M * K;
  const bLen = nB * K * N;
  // the padding rows of the last A (≤ 3) read up to 3 rows of K past it (3 doubles when op(A)
  // reads the storage's columns): zeros there, the neighbours' entries elsewhere; either way
  // finite, and only C's dropped padding rows see them
  const aPad = Math.max(4, 3 * K);
  // layout (doubles, after BASE): A [aLen + aPad] | raw B [bLen] | packed B [nB·K·Np] | C [nOut·Mp·Np]
  const aOff = BASE;
  const rawOff = aOff + aLen + aPad;
  const bpOff = rawOff + bLen;
  const cOff = bpOff + nB * K * Np;
  const f = memory(w, cOff + nOut * Mp * Np);
  if (f === null) return false;
  f.set(a.subarray(0, aLen), aOff);
  f.fill(0, aOff + aLen, aOff + aLen + aPad);
  f.set(b.subarray(0, bLen), rawOff);
  const [bk, bn] = transB ? [8, K * 8] : [N * 8, 8];
  for (let m = 0; m < nB; m++) w.packB((rawOff + m * K * N) * 8, (bpOff + m * K * Np) * 8, K, N, bk, bn);
  const [aRow, aK] = transA ? [8, M * 8] : [K * 8, 8];
  for (let t = 0; t < nOut; t++) {
    const pb = bpOff + (bOffs[t] / (K * N)) * K * Np;
    w.mm((aOff + aOffs[t]) * 8, pb * 8, (cOff + t * Mp * Np) * 8, Mp, K, Np, aRow, aK, 0);
  }
  // C out, dropping the padding: an element loop, since rows of a few entries make a set() call
  // per row cost more than the copy
  if (Mp === M && Np === N) c.set(f.subarray(cOff, cOff + nOut * M * N));
  else
    for (let t = 0, q = 0; t < nOut; t++)
      for (let i = 0; i < M; i++) {
        const r = cOff + (t * Mp + i) * Np;
        for (let j = 0; j < N; j++) c[q++] = f[r + j];
      }
  return true;
}
