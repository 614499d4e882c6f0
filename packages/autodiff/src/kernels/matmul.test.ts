// The two matrix-product kernels (JavaScript 4×4 register tile and WebAssembly SIMD) against a
// textbook triple loop, including sizes that are not multiples of the tile and nonzero offsets.
// Every kernel forms each entry as 0 + a₀b₀ + a₁b₁ + … in k order (K blocks resume from the
// partial sum), so all of them must agree with the loop bit for bit.

import { seededUniform } from "@physml/lattice-core/testing";
import { describe, expect, it } from "vitest";
import { matmulJs, matmulKernel } from "./matmul.js";
import { fastTanh } from "./tanh.js";
import { wasmMatmul, wasmMatmulAvailable } from "./wasm-matmul.js";

function naive(
  a: Float64Array,
  ao: number,
  b: Float64Array,
  bo: number,
  M: number,
  K: number,
  N: number,
): Float64Array {
  const c = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[ao + i * K + k] * b[bo + k * N + j];
      c[i * N + j] = s;
    }
  }
  return c;
}

const rnd = seededUniform(12345, -0.5, 0.5);

const sizes: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 2],
  [4, 4, 4],
  [7, 9, 13],
  [33, 17, 5],
  [64, 64, 64],
  [130, 10, 1],
  [5, 200, 66],
  // blocked paths of the SIMD kernel: K split into 256-blocks (accumulating in place), M split
  // into row blocks, both at once, with ragged last blocks
  [9, 1100, 7],
  [700, 40, 6],
  [70, 600, 5],
  // inner dims below the tile: outer products and thin products also go to the SIMD kernel
  [1024, 1, 64],
  [301, 2, 37],
  [100, 3, 100],
];

describe("matmul kernels", () => {
  it("the SIMD kernel is available in this Node", () => {
    expect(wasmMatmulAvailable()).toBe(true);
  });

  for (const [M, K, N] of sizes) {
    it(`${M}×${K}·${K}×${N} with offsets`, () => {
      const ao = 3;
      const bo = 5;
      const co = 2;
      const a = Float64Array.from({ length: ao + M * K }, rnd);
      const b = Float64Array.from({ length: bo + K * N }, rnd);
      const ref = naive(a, ao, b, bo, M, K, N);
      for (const kernel of [matmulJs, wasmMatmul, matmulKernel]) {
        const c = new Float64Array(co + M * N + 3).fill(Number.NaN);
        kernel(a, ao, b, bo, c, co, M, K, N);
        let bad = -1;
        for (let i = 0; i < M * N && bad < 0; i++) if (!Object.is(c[co + i], ref[i])) bad = i;
        expect(bad).toBe(-1);
        // nothing written outside the target block
        expect(Number.isNaN(c[0]) && Number.isNaN(c[co + M * N])).toBe(true);
      }
    });
  }

  it("transposed operand layouts (op(A)·op(B)) in every kernel path", () => {
    for (const [M, K, N] of [
      [5, 3, 7],
      [33, 40, 9],
      [70, 600, 5],
      [530, 37, 6],
      // one row block with K split: B and a transposed A are staged one K block at a time
      [9, 1100, 7],
      // several row blocks, K split, ragged last blocks
      [130, 700, 6],
      // a transposed A staged in several K slabs (SLAB_DOUBLES / M rows each), M not a multiple of 4
      [1030, 90, 8],
      // weight-gradient shape: K = batch, one slab per 256 rows
      [64, 1024, 64],
      // large enough for threads (when there are): a transposed A staged K block by K block for
      // the threads, ragged M, N and last K block
      [37, 1500, 13],
    ]) {
      const a = Float64Array.from({ length: M * K }, rnd);
      const b = Float64Array.from({ length: K * N }, rnd);
      const ref = naive(a, 0, b, 0, M, K, N);
      const aT = new Float64Array(M * K);
      const bT = new Float64Array(K * N);
      for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) aT[k * M + i] = a[i * K + k];
      for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) bT[j * K + k] = b[k * N + j];
      for (const kernel of [wasmMatmul, matmulKernel]) {
        for (const [ta, tb] of [
          [true, false],
          [false, true],
          [true, true],
        ]) {
          const c = new Float64Array(M * N);
          kernel(ta ? aT : a, 0, tb ? bT : b, 0, c, 0, M, K, N, ta, tb);
          let bad = -1;
          for (let i = 0; i < M * N && bad < 0; i++) if (!Object.is(c[i], ref[i])) bad = i;
          expect(bad).toBe(-1);
        }
      }
    }
  });

  it("Float32 operands go through the same kernels", () => {
    const a = Float32Array.from({ length: 40 * 30 }, rnd);
    const b = Float32Array.from({ length: 30 * 20 }, rnd);
    const c = new Float32Array(40 * 20);
    matmulKernel(a, 0, b, 0, c, 0, 40, 30, 20);
    const ref = naive(Float64Array.from(a), 0, Float64Array.from(b), 0, 40, 30, 20);
    for (let i = 0; i < c.length; i++) expect(Math.abs(c[i] - ref[i])).toBeLessThan(1e-5);
  });
});

describe("dense-layer epilogue C ← tanh(C + bias)", () => {
  // small products take the JavaScript kernel and the separate add/tanh kernels, large ones the
  // module's addBias and tanh on each block of C: both must equal the steps done one by one
  for (const [M, K, N] of [
    [5, 3, 7],
    [300, 20, 48],
    [1030, 64, 6],
  ]) {
    it(`${M}×${K}·${K}×${N}`, () => {
      const a = Float64Array.from({ length: M * K }, rnd);
      const b = Float64Array.from({ length: K * N }, rnd);
      const bias = Float64Array.from({ length: N }, rnd);
      const plain = naive(a, 0, b, 0, M, K, N).map((v, i) => v + bias[i % N]);
      for (const tanh of [true, false]) {
        const c = new Float64Array(M * N + 2).fill(Number.NaN);
        matmulKernel(a, 0, b, 0, c, 1, M, K, N, false, false, { bias, tanh });
        let bad = -1;
        for (let i = 0; i < M * N && bad < 0; i++) {
          const want = tanh ? fastTanh(plain[i]) : plain[i];
          if (!Object.is(c[1 + i], want)) bad = i;
        }
        expect(bad).toBe(-1);
        expect(Number.isNaN(c[0]) && Number.isNaN(c[M * N + 1])).toBe(true);
      }
    });
  }
});
