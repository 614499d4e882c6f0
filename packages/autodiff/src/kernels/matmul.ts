// C[M,N] = A[M,K]·B[K,N] on row-major blocks of flat arrays. The B column panel (4 wide) is
// packed contiguously once per panel and reused by every 4-row block of A; a 4×4 register tile
// of accumulators gives 16 multiply-adds per 8 loads.
import { BINARY_EXPR, naryKernel, unaryKernel } from "./elementwise.js";
import type { Data } from "./types.js";
import { type MatmulEpilogue, wasmMatmul } from "./wasm-matmul.js";
import { wasmMatmulBatch } from "./wasm-matmul-batch.js";

let panel = new Float64Array(1024);

/** Multiply-add count of every product computed so far (2·M·K·N each), for benchmarks. */
export const matmulStats = { flops: 0 };

/** Products at least this large (M·K·N) go to the WebAssembly SIMD kernel when available. */
const WASM_MIN_WORK = 8192;

/**
 * C = op(A)·op(B) for one block, op = transpose when the flag is set (A stored [K,M], B stored
 * [N,K]), then the optional dense-layer epilogue C ← act(C + bias). Non-trivial sizes go to the
 * SIMD kernel, which reads transposed operands while copying them in.
 */
export function matmulKernel(
  a: Data,
  ao: number,
  b: Data,
  bo: number,
  c: Data,
  co: number,
  M: number,
  K: number,
  N: number,
  transA = false,
  transB = false,
  epilogue: MatmulEpilogue | null = null,
): void {
  matmulStats.flops += 2 * M * K * N;
  if (M * K * N >= WASM_MIN_WORK && wasmMatmul(a, ao, b, bo, c, co, M, K, N, transA, transB, epilogue))
    return;
  matmulPlain(a, ao, b, bo, c, co, M, K, N, transA, transB);
  if (epilogue !== null) {
    // the same kernels as the add and tanh ops, in place on the block
    const blk = c.subarray(co, co + M * N);
    naryKernel(
      "add",
      BINARY_EXPR.add,
      [blk, epilogue.bias],
      [
        [N, 1],
        [0, 1],
      ],
      [M, N],
      blk,
    );
    if (epilogue.tanh) unaryKernel("tanh", blk, blk);
  }
}

/**
 * A batch of products C_t = op(A_t)·op(B_t), C_t at c[t·M·N], A_t and B_t the [M, K] and [K, N]
 * blocks (stored transposed when the flag is set) at aOffs[t] of `a` and bOffs[t] of `b`.
 * Products too small for the SIMD kernel on their own go to it together when the batch's total
 * work is large; the result is the same as one {@link matmulKernel} per product.
 */
export function matmulBatchKernel(
  a: Data,
  aOffs: ArrayLike<number>,
  b: Data,
  bOffs: ArrayLike<number>,
  c: Data,
  M: number,
  K: number,
  N: number,
  transA = false,
  transB = false,
): void {
  const n = aOffs.length;
  const work = M * K * N;
  if (work < WASM_MIN_WORK && n * work >= WASM_MIN_WORK) {
    if (wasmMatmulBatch(a, aOffs, b, bOffs, c, n, M, K, N, transA, transB)) {
      matmulStats.flops += 2 * n * work;
      return;
    }
  }
  for (let t = 0; t < n; t++) matmulKernel(a, aOffs[t], b, bOffs[t], c, t * M * N, M, K, N, transA, transB);
}

function matmulPlain(
  a: Data,
  ao: number,
  b: Data,
  bo: number,
  c: Data,
  co: number,
  M: number,
  K: number,
  N: number,
  transA: boolean,
  transB: boolean,
): void {
  if (transA) {
    a = transposeBlock(a, ao, K, M);
    ao = 0;
  }
  if (transB) {
    b = transposeBlock(b, bo, N, K);
    bo = 0;
  }
  matmulJs(a, ao, b, bo, c, co, M, K, N);
}

/** Row-major [cols, rows] copy of the [rows, cols] block at `off`. */
function transposeBlock(x: Data, off: number, rows: number, cols: number): Float64Array {
  const t = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let q = 0; q < cols; q++) t[q * rows + r] = x[off + r * cols + q];
  return t;
}

/** The plain JavaScript kernel (reference and fallback). */
export function matmulJs(
  a: Data,
  ao: number,
  b: Data,
  bo: number,
  c: Data,
  co: number,
  M: number,
  K: number,
  N: number,
): void {
  if (panel.length < 4 * K) panel = new Float64Array(4 * K);
  const p = panel;
  let j = 0;
  for (; j + 4 <= N; j += 4) {
    for (let k = 0, q = bo + j; k < K; k++, q += N) {
      p[4 * k] = b[q];
      p[4 * k + 1] = b[q + 1];
      p[4 * k + 2] = b[q + 2];
      p[4 * k + 3] = b[q + 3];
    }
    let i = 0;
    for (; i + 4 <= M; i += 4) {
      const r0 = ao + i * K;
      const r1 = r0 + K;
      const r2 = r1 + K;
      const r3 = r2 + K;
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0;
      let c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0;
      let c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      for (let k = 0; k < K; k++) {
        const b0 = p[4 * k];
        const b1 = p[4 * k + 1];
        const b2 = p[4 * k + 2];
        const b3 = p[4 * k + 3];
        const x0 = a[r0 + k];
        const x1 = a[r1 + k];
        const x2 = a[r2 + k];
        const x3 = a[r3 + k];
        c00 += x0 * b0;
        c01 += x0 * b1;
        c02 += x0 * b2;
        c03 += x0 * b3;
        c10 += x1 * b0;
        c11 += x1 * b1;
        c12 += x1 * b2;
        c13 += x1 * b3;
        c20 += x2 * b0;
        c21 += x2 * b1;
        c22 += x2 * b2;
        c23 += x2 * b3;
        c30 += x3 * b0;
        c31 += x3 * b1;
        c32 += x3 * b2;
        c33 += x3 * b3;
      }
      let q = co + i * N + j;
      c[q] = c00;
      c[q + 1] = c01;
      c[q + 2] = c02;
      c[q + 3] = c03;
      q += N;
      c[q] = c10;
      c[q + 1] = c11;
      c[q + 2] = c12;
      c[q + 3] = c13;
      q += N;
      c[q] = c20;
      c[q + 1] = c21;
      c[q + 2] = c22;
      c[q + 3] = c23;
      q += N;
      c[q] = c30;
      c[q + 1] = c31;
      c[q + 2] = c32;
      c[q + 3] = c33;
    }
    for (; i < M; i++) {
      const r = ao + i * K;
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      for (let k = 0; k < K; k++) {
        const x = a[r + k];
        s0 += x * p[4 * k];
        s1 += x * p[4 * k + 1];
        s2 += x * p[4 * k + 2];
        s3 += x * p[4 * k + 3];
      }
      const q = co + i * N + j;
      c[q] = s0;
      c[q + 1] = s1;
      c[q + 2] = s2;
      c[q + 3] = s3;
    }
  }
  // remaining columns (N mod 4): one column at a time, 4 rows of A per pass
  for (; j < N; j++) {
    for (let k = 0, q = bo + j; k < K; k++, q += N) p[k] = b[q];
    let i = 0;
    for (; i + 4 <= M; i += 4) {
      const r0 = ao + i * K;
      const r1 = r0 + K;
      const r2 = r1 + K;
      const r3 = r2 + K;
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      for (let k = 0; k < K; k++) {
        const bk = p[k];
        s0 += a[r0 + k] * bk;
        s1 += a[r1 + k] * bk;
        s2 += a[r2 + k] * bk;
        s3 += a[r3 + k] * bk;
      }
      c[co + i * N + j] = s0;
      c[co + (i + 1) * N + j] = s1;
      c[co + (i + 2) * N + j] = s2;
      c[co + (i + 3) * N + j] = s3;
    }
    for (; i < M; i++) {
      let s = 0;
      const r = ao + i * K;
      for (let k = 0; k < K; k++) s += a[r + k] * p[k];
      c[co + i * N + j] = s;
    }
  }
}
