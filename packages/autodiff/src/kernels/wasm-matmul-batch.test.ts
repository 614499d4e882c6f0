// Batches of small products through the SIMD kernel against the JavaScript kernel one product at
// a time. Both form each entry as 0 + a₀b₀ + a₁b₁ + … in k order, so they must agree bit for bit.

import { seededUniform } from "@physml/lattice-core/testing";
import { describe, expect, it } from "vitest";
import { matmulBatchKernel, matmulJs, matmulStats } from "./matmul.js";
import { wasmMatmulBatch } from "./wasm-matmul-batch.js";

const rnd = seededUniform(777, -0.5, 0.5);
const fill = (n: number) => Float64Array.from({ length: n }, rnd);

/** Row-major transpose of each [rows, cols] block of x. */
function transposeBlocks(x: Float64Array, count: number, rows: number, cols: number): Float64Array {
  const t = new Float64Array(x.length);
  for (let m = 0; m < count; m++)
    for (let r = 0; r < rows; r++)
      for (let q = 0; q < cols; q++) t[m * rows * cols + q * rows + r] = x[m * rows * cols + r * cols + q];
  return t;
}

/** First index where x and y differ (Object.is: −0 and NaN count), −1 for none; far faster than
 * toEqual on the large batches. */
function firstDiff(x: Float64Array, y: Float64Array): number {
  if (x.length !== y.length) return -2;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return i;
  return -1;
}

/** The reference: matmulJs per product on op(A_t), op(B_t) materialised. */
function reference(
  a: Float64Array,
  nA: number,
  aOffs: number[],
  b: Float64Array,
  nB: number,
  bOffs: number[],
  M: number,
  K: number,
  N: number,
  tA: boolean,
  tB: boolean,
): Float64Array {
  const opA = tA ? transposeBlocks(a, nA, K, M) : a;
  const opB = tB ? transposeBlocks(b, nB, N, K) : b;
  const c = new Float64Array(aOffs.length * M * N);
  for (let t = 0; t < aOffs.length; t++) matmulJs(opA, aOffs[t], opB, bOffs[t], c, t * M * N, M, K, N);
  return c;
}

// [batch, M, K, N]: odd sizes (padding rows and columns), the Hessian workload's three shapes,
// a single product and tile-exact sizes
const cases: [number, number, number, number][] = [
  [1, 3, 5, 7],
  [1, 10, 64, 10],
  [37, 5, 9, 3],
  [200, 1, 13, 6],
  [64, 4, 8, 4],
  [1024, 10, 64, 10],
  [1024, 10, 10, 64],
  [1000, 3, 3, 3],
];

describe("wasmMatmulBatch", () => {
  for (const [n, M, K, N] of cases)
    for (const tA of [false, true])
      for (const tB of [false, true])
        it(`${n} × [${M},${K}]·[${K},${N}] tA=${tA} tB=${tB}: bit-identical to the JS kernel`, () => {
          const a = fill(n * M * K);
          const b = fill(n * K * N);
          const offs = (sz: number) => Array.from({ length: n }, (_, t) => t * sz);
          const [aOffs, bOffs] = [offs(M * K), offs(K * N)];
          const c = new Float64Array(n * M * N).fill(Number.NaN);
          expect(wasmMatmulBatch(a, aOffs, b, bOffs, c, n, M, K, N, tA, tB)).toBe(true);
          expect(firstDiff(c, reference(a, n, aOffs, b, n, bOffs, M, K, N, tA, tB))).toBe(-1);
        });

  it("broadcast operands: one B for every A, and A repeated over B", () => {
    const [n, M, K, N] = [50, 6, 11, 5];
    const a = fill(n * M * K);
    const b = fill(K * N);
    const aOffs = Array.from({ length: n }, (_, t) => t * M * K);
    const zeros = new Array<number>(n).fill(0);
    const c = new Float64Array(n * M * N);
    expect(wasmMatmulBatch(a, aOffs, b, zeros, c, n, M, K, N, false, true)).toBe(true);
    expect(firstDiff(c, reference(a, n, aOffs, b, 1, zeros, M, K, N, false, true))).toBe(-1);
    // A fixed, B over three matrices visited out of order and repeated
    const b3 = fill(3 * K * N);
    const bOffs = Array.from({ length: n }, (_, t) => ((t * 2) % 3) * K * N);
    const c2 = new Float64Array(n * M * N);
    expect(wasmMatmulBatch(a, zeros, b3, bOffs, c2, n, M, K, N, true, false)).toBe(true);
    expect(firstDiff(c2, reference(a, 1, zeros, b3, 3, bOffs, M, K, N, true, false))).toBe(-1);
  });
});

describe("matmulBatchKernel", () => {
  it("sends a large batch of small products to the SIMD path and a small one to JS, same result", () => {
    for (const n of [1, 1024]) {
      const [M, K, N] = [10, 64, 10];
      const a = fill(n * M * K);
      const b = fill(n * K * N);
      const aOffs = Array.from({ length: n }, (_, t) => t * M * K);
      const bOffs = Array.from({ length: n }, (_, t) => t * K * N);
      const c = new Float64Array(n * M * N);
      const f0 = matmulStats.flops;
      matmulBatchKernel(a, aOffs, b, bOffs, c, M, K, N, false, true);
      expect(matmulStats.flops - f0).toBe(2 * n * M * K * N);
      expect(firstDiff(c, reference(a, n, aOffs, b, n, bOffs, M, K, N, false, true))).toBe(-1);
    }
  });
});
