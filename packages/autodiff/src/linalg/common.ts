// Helpers shared by the decompositions: packing several outputs into one tensor (a primitive has
// one output), triangle masks, the degeneracy check of the spectral rules. Their shape checks are
// ops/matrix-shape.ts's, shared with the LU-based ops.
import { alloc } from "../core/create.js";
import { Tensor } from "../core/tensor.js";
import { LinalgDegeneracyError } from "../errors.js";
import { slice } from "../ops/shape.js";

/** Rows [r0, r1) of the last-but-one axis (a differentiable slice). */
export function rows(x: Tensor, r0: number, r1: number): Tensor {
  const s = x.shape.map(() => 0);
  const e = [...x.shape];
  s[x.ndim - 2] = r0;
  e[x.ndim - 2] = r1;
  return slice(x, s, e);
}

/** Row r of the last-but-one axis with that axis dropped. */
export function row(x: Tensor, r: number): Tensor {
  const y = rows(x, r, r + 1);
  return y.reshape([...y.shape.slice(0, -2), y.shape[y.ndim - 1]]);
}

/** A constant n×n mask: 1 where keep(i, j), else 0. */
export function mask(n: number, keep: (i: number, j: number) => number): Tensor {
  const m = alloc("float64", n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m[i * n + j] = keep(i, j);
  return Tensor._of(m, [n, n]);
}

export const strictLower = (n: number) => mask(n, (i, j) => (j < i ? 1 : 0));
export const lowerTri = (n: number) => mask(n, (i, j) => (j <= i ? 1 : 0));
export const upperTri = (n: number) => mask(n, (i, j) => (j >= i ? 1 : 0));

/**
 * Throws LinalgDegeneracyError when two of the values in a batch of spectra (…, k) — concrete
 * data under all boxes — are closer than `tol` relative to the largest magnitude in their matrix
 * (with `zeroToo`, also when one is that close to zero).
 */
export function checkGaps(vals: Tensor, tol: number, zeroToo: boolean, field: string, what: string): void {
  const d = vals._raw();
  const k = vals.shape[vals.ndim - 1];
  for (let b = 0; b < d.length / k; b++) {
    let scale = 0;
    for (let i = 0; i < k; i++) scale = Math.max(scale, Math.abs(d[b * k + i]));
    let gap = Number.POSITIVE_INFINITY;
    for (let i = 0; i < k; i++) {
      if (zeroToo) gap = Math.min(gap, Math.abs(d[b * k + i]));
      for (let j = i + 1; j < k; j++) gap = Math.min(gap, Math.abs(d[b * k + i] - d[b * k + j]));
    }
    const rel = scale > 0 ? gap / scale : 0;
    if (k > 1 || zeroToo) {
      if (!(rel > tol)) {
        throw new LinalgDegeneracyError(field, `${what} (relative gap > ${tol})`, rel, `batch entry ${b}`);
      }
    }
  }
}
