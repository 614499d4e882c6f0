// Householder QR of one m×n row-major block (m ≥ n), reduced: Q is m×n with orthonormal columns,
// R is n×n upper triangular with a non-negative diagonal (the sign convention that makes the
// factorisation unique for full column rank, and so differentiable). Also triangular solves.

import { pow2Scale } from "./scale.js";
import type { Data } from "./types.js";

/** Scratch for one shape: the working copy W (m×n) and the Householder vectors (m×n, column k from row k). */
export interface QrScratch {
  readonly m: number;
  readonly n: number;
  readonly w: Float64Array;
  readonly hv: Float64Array;
}

export function qrScratch(m: number, n: number): QrScratch {
  return { m, n, w: new Float64Array(m * n), hv: new Float64Array(m * n) };
}

/**
 * Writes Q (m×n) at `q[qo…]` and R (n×n) at `r[ro…]` for the block of `a` at `ao`. Returns false
 * for non-finite input.
 */
export function qrBlock(
  a: Data,
  ao: number,
  s: QrScratch,
  q: Data,
  qo: number,
  r: Data,
  ro: number,
): boolean {
  const { m, n, w: W, hv: H } = s;
  const unit = pow2Scale(a, ao, m * n); // the Householder sums of squares must not overflow
  if (unit === 0) return false;
  for (let i = 0; i < m * n; i++) W[i] = a[ao + i] / unit;
  H.fill(0);
  for (let k = 0; k < n; k++) {
    let nrm = 0;
    for (let i = k; i < m; i++) nrm = Math.hypot(nrm, W[i * n + k]);
    if (nrm === 0) continue; // column already zero below the diagonal: H_k = I
    const alpha = W[k * n + k] > 0 ? -nrm : nrm;
    let vv = 0;
    for (let i = k; i < m; i++) {
      const x = i === k ? W[i * n + k] - alpha : W[i * n + k];
      H[i * n + k] = x;
      vv += x * x;
    }
    if (vv === 0) continue;
    const beta = 2 / vv;
    for (let j = k; j < n; j++) {
      let t = 0;
      for (let i = k; i < m; i++) t += H[i * n + k] * W[i * n + j];
      t *= beta;
      for (let i = k; i < m; i++) W[i * n + j] -= t * H[i * n + k];
    }
  }
  // Q = H_0 … H_{n−1} [I; 0], applied right to left
  for (let i = 0; i < m * n; i++) q[qo + i] = 0;
  for (let i = 0; i < n; i++) q[qo + i * n + i] = 1;
  for (let k = n - 1; k >= 0; k--) {
    let vv = 0;
    for (let i = k; i < m; i++) vv += H[i * n + k] * H[i * n + k];
    if (vv === 0) continue;
    const beta = 2 / vv;
    for (let j = 0; j < n; j++) {
      let t = 0;
      for (let i = k; i < m; i++) t += H[i * n + k] * q[qo + i * n + j];
      t *= beta;
      for (let i = k; i < m; i++) q[qo + i * n + j] -= t * H[i * n + k];
    }
  }
  for (let i = 0; i < n; i++) {
    const sg = W[i * n + i] < 0 ? -1 : 1;
    for (let j = 0; j < n; j++) r[ro + i * n + j] = j < i ? 0 : sg * W[i * n + j] * unit;
    if (sg < 0) for (let k = 0; k < m; k++) q[qo + k * n + i] = -q[qo + k * n + i];
  }
  return true;
}

/**
 * X = T⁻¹·B for the n×n triangular block of `t` at `to` (only its lower or upper triangle is read)
 * and the n×k block of `b`; writes X into `o`. Returns false if a diagonal entry is zero.
 */
export function triSolveBlock(
  t: Data,
  to: number,
  lower: boolean,
  b: Data,
  bo: number,
  k: number,
  o: Data,
  oo: number,
  n: number,
): boolean {
  for (let i = 0; i < n; i++) if (t[to + i * n + i] === 0) return false;
  for (let c = 0; c < k; c++) {
    if (lower) {
      for (let i = 0; i < n; i++) {
        let s = b[bo + i * k + c];
        for (let j = 0; j < i; j++) s -= t[to + i * n + j] * o[oo + j * k + c];
        o[oo + i * k + c] = s / t[to + i * n + i];
      }
    } else {
      for (let i = n - 1; i >= 0; i--) {
        let s = b[bo + i * k + c];
        for (let j = i + 1; j < n; j++) s -= t[to + i * n + j] * o[oo + j * k + c];
        o[oo + i * k + c] = s / t[to + i * n + i];
      }
    }
  }
  return true;
}
