// Singular value decomposition of one m×n row-major block by one-sided Jacobi (Hestenes): plane
// rotations from the right orthogonalise the columns of the tall orientation (Aᵀ when m < n) until
// every pair is orthogonal to working precision; the column norms are the singular values, the
// normalised columns the left vectors, the accumulated rotations the right ones. It is accurate to
// high relative precision even for small singular values. Output is sorted descending, each left
// vector with its largest-magnitude entry positive (locally constant, so differentiable).

import { pow2Scale } from "./scale.js";
import type { Data } from "./types.js";

/** Scratch for one shape. */
export interface SvdScratch {
  readonly m: number;
  readonly n: number;
  /** the tall working copy p×q (p = max, q = min of m, n) and the q×q rotations */
  readonly w: Float64Array;
  readonly j: Float64Array;
  readonly sv: Float64Array;
  readonly order: Int32Array;
}

export function svdScratch(m: number, n: number): SvdScratch {
  const q = Math.min(m, n);
  return {
    m,
    n,
    w: new Float64Array(m * n),
    j: new Float64Array(q * q),
    sv: new Float64Array(q),
    order: new Int32Array(q),
  };
}

const TOL = 4 * 2 ** -52;
const MAX_SWEEPS = 80;
/**
 * A column whose sum of squares is below this (after the block's scaling puts its largest entry in
 * [1, 2)) is zero: it carries no direction to orthogonalise. Without it a rank-deficient block
 * never converges: rounding leaves ~ε of a parallel column, each rotation shrinks it by ~ε but keeps
 * it parallel (cosine 1), down to subnormals, where the rotation angle rounds to 0 and the pair
 * never passes the cosine test (measured on [[0, 0], [−0.3736, 1.2347]]).
 */
const ZERO_COLUMN = 2 ** -1000;

/**
 * Writes U (m×k) at `o[oo…]`, then s (k), then V (n×k), k = min(m, n), for the block of `a` at
 * `ao`. Returns false on non-finite input or no convergence.
 */
export function svdBlock(a: Data, ao: number, s: SvdScratch, o: Data, oo: number): boolean {
  const { m, n, w: W, j: J, sv, order } = s;
  const tall = m >= n;
  const p = tall ? m : n;
  const q = tall ? n : m;
  const unit = pow2Scale(a, ao, m * n); // the column sums of squares must not overflow
  if (unit === 0) return false;
  for (let r = 0; r < m; r++) {
    for (let c = 0; c < n; c++) {
      const x = a[ao + r * n + c] / unit;
      if (tall) W[r * q + c] = x;
      else W[c * q + r] = x;
    }
  }
  J.fill(0);
  for (let i = 0; i < q; i++) J[i * q + i] = 1;
  let converged = false;
  for (let sweep = 0; sweep < MAX_SWEEPS && !converged; sweep++) {
    converged = true;
    for (let i = 0; i < q - 1; i++) {
      for (let k = i + 1; k < q; k++) {
        let al = 0;
        let be = 0;
        let ga = 0;
        for (let r = 0; r < p; r++) {
          const x = W[r * q + i];
          const y = W[r * q + k];
          al += x * x;
          be += y * y;
          ga += x * y;
        }
        if (ga === 0 || al < ZERO_COLUMN || be < ZERO_COLUMN) continue;
        if (Math.abs(ga) <= TOL * Math.sqrt(al * be)) continue;
        converged = false;
        const zeta = (be - al) / (2 * ga);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const sn = c * t;
        for (let r = 0; r < p; r++) {
          const x = W[r * q + i];
          const y = W[r * q + k];
          W[r * q + i] = c * x - sn * y;
          W[r * q + k] = sn * x + c * y;
        }
        for (let r = 0; r < q; r++) {
          const x = J[r * q + i];
          const y = J[r * q + k];
          J[r * q + i] = c * x - sn * y;
          J[r * q + k] = sn * x + c * y;
        }
      }
    }
  }
  if (!converged) return false;
  let big = 0;
  for (let i = 0; i < q; i++) {
    let t = 0;
    for (let r = 0; r < p; r++) t = Math.hypot(t, W[r * q + i]);
    sv[i] = t;
    order[i] = i;
    big = Math.max(big, t);
  }
  const ord = Array.from(order).sort((x, y) => sv[y] - sv[x] || x - y);
  // column i of the tall left factor (normalised W), columns of the right factor (J)
  const uOff = oo + (tall ? 0 : m * q + q); // where the tall side's vectors go
  const uRows = p;
  const vOff = oo + (tall ? m * q + q : 0);
  const vRows = q;
  for (let c = 0; c < q; c++) {
    const i = ord[c];
    o[oo + m * q + c] = sv[i] * unit;
    const inv = sv[i] > 0 ? 1 / sv[i] : 0;
    for (let r = 0; r < uRows; r++) o[uOff + r * q + c] = W[r * q + i] * inv;
    for (let r = 0; r < vRows; r++) o[vOff + r * q + c] = J[r * q + i];
  }
  completeBasis(o, uOff, uRows, q, sv, ord, big);
  // sign rule on the left vectors (U), flipping the matching right vector (V)
  const U = oo;
  const V = oo + m * q + q;
  for (let c = 0; c < q; c++) {
    let top = 0;
    for (let r = 0; r < m; r++) if (Math.abs(o[U + r * q + c]) > Math.abs(top)) top = o[U + r * q + c];
    if (top < 0) {
      for (let r = 0; r < m; r++) o[U + r * q + c] = -o[U + r * q + c];
      for (let r = 0; r < n; r++) o[V + r * q + c] = -o[V + r * q + c];
    }
  }
  return true;
}

/**
 * Columns of the tall factor whose singular value is (numerically) zero carry no direction:
 * replace them by unit vectors orthogonal to all the others (Gram–Schmidt on the standard basis).
 */
function completeBasis(
  o: Data,
  off: number,
  rows: number,
  q: number,
  sv: Float64Array,
  ord: number[],
  big: number,
): void {
  const tiny = big * rows * 2 ** -52;
  const v = new Float64Array(rows);
  for (let c = 0; c < q; c++) {
    if (sv[ord[c]] > tiny && big > 0) continue;
    let best = -1;
    for (let e = 0; e < rows && best < 0.5; e++) {
      v.fill(0);
      v[e] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (let d = 0; d < q; d++) {
          if (d === c) continue;
          let dot = 0;
          for (let r = 0; r < rows; r++) dot += o[off + r * q + d] * v[r];
          for (let r = 0; r < rows; r++) v[r] -= dot * o[off + r * q + d];
        }
      }
      const nrm = Math.hypot(...v);
      if (nrm > best) {
        best = nrm;
        for (let r = 0; r < rows; r++) o[off + r * q + c] = v[r] / nrm;
      }
    }
  }
}
