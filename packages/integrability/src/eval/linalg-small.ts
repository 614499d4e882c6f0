// Small dense helpers on row-major Float64Arrays for the evaluation (never differentiated).
import { PhysmlInputError } from "@physml/lattice-core";

/** C = A·B for n×n matrices. */
export function matmulSmall(a: ArrayLike<number>, b: ArrayLike<number>, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      for (let j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
    }
  return c;
}

/** tr Aᵏ for k = 1…kmax. */
export function tracePowers(a: ArrayLike<number>, n: number, kmax: number): number[] {
  const out: number[] = [];
  let p: Float64Array = Float64Array.from(a);
  for (let k = 1; k <= kmax; k++) {
    if (k > 1) p = matmulSmall(p, a, n);
    let t = 0;
    for (let i = 0; i < n; i++) t += p[i * n + i];
    out.push(t);
  }
  return out;
}

/**
 * Least squares y ≈ X·c (X is [m, p] row-major) by the normal equations with a tiny ridge for
 * rank-deficient dictionaries; returns c and R² = 1 − SS_res/SS_tot.
 */
export function leastSquares(
  X: Float64Array,
  y: ArrayLike<number>,
  m: number,
  p: number,
): { coef: Float64Array; r2: number } {
  if (X.length !== m * p) throw new PhysmlInputError("X", `${m}×${p} numbers`, X.length);
  const A = new Float64Array(p * p);
  const b = new Float64Array(p);
  for (let r = 0; r < m; r++)
    for (let i = 0; i < p; i++) {
      const xi = X[r * p + i];
      b[i] += xi * y[r];
      for (let j = 0; j < p; j++) A[i * p + j] += xi * X[r * p + j];
    }
  let tr = 0;
  for (let i = 0; i < p; i++) tr += A[i * p + i];
  for (let i = 0; i < p; i++) A[i * p + i] += 1e-12 * (tr / p + 1e-300);
  const coef = solveSpd(A, b, p);
  let mean = 0;
  for (let r = 0; r < m; r++) mean += y[r] / m;
  let ssr = 0;
  let sst = 0;
  for (let r = 0; r < m; r++) {
    let f = 0;
    for (let i = 0; i < p; i++) f += X[r * p + i] * coef[i];
    ssr += (y[r] - f) ** 2;
    sst += (y[r] - mean) ** 2;
  }
  return { coef, r2: sst > 0 ? 1 - ssr / sst : ssr === 0 ? 1 : 0 };
}

/** Solves A c = b for symmetric positive definite A by Cholesky. */
export function solveSpd(A: Float64Array, b: Float64Array, p: number): Float64Array {
  const Lc = new Float64Array(p * p);
  for (let i = 0; i < p; i++)
    for (let j = 0; j <= i; j++) {
      let s = A[i * p + j];
      for (let k = 0; k < j; k++) s -= Lc[i * p + k] * Lc[j * p + k];
      Lc[i * p + j] = i === j ? Math.sqrt(Math.max(s, 1e-300)) : s / Lc[j * p + j];
    }
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= Lc[i * p + k] * z[k];
    z[i] = s / Lc[i * p + i];
  }
  const c = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < p; k++) s -= Lc[k * p + i] * c[k];
    c[i] = s / Lc[i * p + i];
  }
  return c;
}
