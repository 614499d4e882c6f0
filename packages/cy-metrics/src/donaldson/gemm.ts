// Real matrix products for the Donaldson hot loops, through @physml/autodiff's blocked SIMD
// kernels (threads for large products). Operands are row-major Float64Arrays.
import { matmulT, tensor } from "@physml/autodiff";
import type { SplitMatrix } from "../complex.js";

/** op(A) · op(B) with op = transpose when the flag is set; A is aRows × aCols as stored. */
export function gemm(
  a: Float64Array,
  aRows: number,
  aCols: number,
  b: Float64Array,
  bRows: number,
  bCols: number,
  transA = false,
  transB = false,
): Float64Array {
  const ta = tensor(a.length === aRows * aCols ? a : a.subarray(0, aRows * aCols), [aRows, aCols]);
  const tb = tensor(b.length === bRows * bCols ? b : b.subarray(0, bRows * bCols), [bRows, bCols]);
  return matmulT(ta, tb, transA, transB).toFloat64Array();
}

/**
 * The real 2N × 2N block form [[Re G, Im G], [−Im G, Re G]] of a complex N × N matrix G, so that
 * [Re S | Im S] · block = [Re(SG) | Im(SG)] for complex row vectors S.
 */
export function complexBlock(re: Float64Array, im: Float64Array, n: number): Float64Array {
  const m = 2 * n;
  const out = new Float64Array(m * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      out[i * m + j] = re[i * n + j];
      out[(i + n) * m + j + n] = re[i * n + j];
      out[i * m + j + n] = im[i * n + j];
      out[(i + n) * m + j] = -im[i * n + j];
    }
  }
  return out;
}

/**
 * The complex N × N product X†Y, times `scale`, from the real 2N × 2N product T = Xᵀ·Y of the
 * row blocks X = [Re x | Im x] and Y = [Re y | Im y]: Re = T₁₁ + T₂₂, Im = T₁₂ − T₂₁.
 */
export function complexFromBlockProduct(t: Float64Array, n: number, scale = 1): SplitMatrix {
  const m = 2 * n;
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      re[a * n + b] = scale * (t[a * m + b] + t[(a + n) * m + b + n]);
      im[a * n + b] = scale * (t[a * m + b + n] - t[(a + n) * m + b]);
    }
  }
  return { n, re, im };
}
