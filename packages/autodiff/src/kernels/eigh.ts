// Symmetric eigendecomposition of one n×n row-major block: Householder reduction to tridiagonal
// form and the implicit QL iteration with Wilkinson-type shifts (tred2/tql2 of EISPACK, in the
// public-domain JAMA formulation). Eigenvalues come out ascending; each eigenvector (a column of
// V) is normalised so that its entry of largest magnitude (the first such) is positive, a choice
// that is locally constant, so V is a differentiable function of A wherever the spectrum is simple.

import { pow2Scale } from "./scale.js";
import type { Data } from "./types.js";

/** Scratch for one size n: V (n×n, row-major), d, e. Reused across the blocks of a batch. */
export interface EighScratch {
  readonly n: number;
  readonly v: Float64Array;
  readonly d: Float64Array;
  readonly e: Float64Array;
}

export function eighScratch(n: number): EighScratch {
  return { n, v: new Float64Array(n * n), d: new Float64Array(n), e: new Float64Array(n) };
}

const EPS = 2 ** -52;
const MAX_ITER = 64;

/**
 * Eigenvalues (ascending) into `w` at `wo` and eigenvectors as the columns of the n×n block of
 * `vo` at `vOff`, for the symmetric n×n block of `a` at `ao` (the lower triangle is read).
 * Returns false when the input has a non-finite entry or QL fails to converge.
 */
export function eighBlock(
  a: Data,
  ao: number,
  s: EighScratch,
  w: Data,
  wo: number,
  vo: Data,
  vOff: number,
): boolean {
  const { n, v: V, d, e } = s;
  // QL forms products of two off-diagonal entries, which overflow beyond about 1e±154: scale
  const unit = pow2Scale(a, ao, n * n);
  if (unit === 0) return false;
  for (let i = 0; i < n * n; i++) V[i] = a[ao + i] / unit;
  tred2(n, V, d, e);
  if (!tql2(n, V, d, e)) return false;
  for (let j = 0; j < n; j++) {
    let big = 0;
    let sg = 1;
    for (let i = 0; i < n; i++) {
      const x = V[i * n + j];
      if (Math.abs(x) > big) {
        big = Math.abs(x);
        sg = x < 0 ? -1 : 1;
      }
    }
    w[wo + j] = d[j] * unit;
    for (let i = 0; i < n; i++) vo[vOff + i * n + j] = sg * V[i * n + j];
  }
  return true;
}

function tred2(n: number, V: Float64Array, d: Float64Array, e: Float64Array): void {
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        V[j * n + i] = f;
        g = e[j] + V[j * n + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[k * n + j] * d[k];
          e[k] += V[k * n + j] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) V[k * n + j] -= f * e[k] + g * d[k];
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  // accumulate the transformations
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i];
    V[i * n + i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k * n + i + 1] * V[k * n + j];
        for (let k = 0; k <= i; k++) V[k * n + j] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[(n - 1) * n + j];
    V[(n - 1) * n + j] = 0;
  }
  V[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

function tql2(n: number, V: Float64Array, d: Float64Array, e: Float64Array): boolean {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && !(Math.abs(e[m]) <= EPS * tst1)) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > MAX_ITER) return false;
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          for (let k = 0; k < n; k++) {
            h = V[k * n + i + 1];
            V[k * n + i + 1] = s * V[k * n + i] + c * h;
            V[k * n + i] = c * V[k * n + i] - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > EPS * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
  // sort ascending (selection sort keeps the pairing with the columns of V)
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i];
    for (let j = i + 1; j < n; j++) {
      if (d[j] < p) {
        k = j;
        p = d[j];
      }
    }
    if (k !== i) {
      d[k] = d[i];
      d[i] = p;
      for (let j = 0; j < n; j++) {
        const t = V[j * n + i];
        V[j * n + i] = V[j * n + k];
        V[j * n + k] = t;
      }
    }
  }
  return true;
}
