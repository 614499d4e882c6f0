// Newton's method with a backtracking (Armijo) line search on the convex pseudo-likelihood
// objective: quadratic convergence near the optimum, monotone decrease far from it.
import { PhysmlInputError } from "@physml/lattice-core";
import { pseudoLikelihoodObjective } from "./objective.js";

/** Largest change of any coupling in one Newton step. */
const MAX_STEP = 1;

/** Options of {@link newtonFit}. */
export interface NewtonOptions {
  /**
   * Stop when the Newton decrement λ² = ∇Fᵀ(∇²F)⁻¹∇F (≈ 2(F − min F)) falls below this times
   * max(1, |F|) (default 1e-15: the rounding level of F), or when a full Newton step moves no
   * coupling by more than 1e-12.
   */
  tolerance?: number;
  /** Newton steps at most (default 100). */
  maxIterations?: number;
  /**
   * Give up (not converged) once any |c_t| exceeds this (default 50): the data are then
   * (nearly) separable — e.g. every sample fully ordered — and the maximum lies at infinity.
   */
  maxCoupling?: number;
}

/** Outcome of one Newton fit. */
export interface NewtonResult {
  couplings: Float64Array;
  iterations: number;
  converged: boolean;
  /** Mean negative log pseudo-likelihood per (sample, site) at the result. */
  value: number;
  /** max_t |∂F/∂c_t| at the result. */
  gradientNorm: number;
  /** The Hessian at the result (row-major). */
  hessian: Float64Array;
}

/**
 * Cholesky factor (lower, row-major) of a symmetric matrix, or null when a pivot is not
 * positive relative to the diagonal's scale (the matrix is singular to working precision).
 */
export function cholesky(A: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(A[i * n + i]));
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 1e-13 * scale)) return null;
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  return L;
}

/** Solves L Lᵀ x = b. */
export function choleskySolve(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * y[k];
    y[i] = s / L[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * y[k];
    y[i] = s / L[i * n + i];
  }
  return y;
}

/**
 * Minimises the mean negative log pseudo-likelihood of patterns `D` (P × n) with weights `w`
 * from `start`. Throws a PhysmlInputError naming `terms` when the Hessian is singular at the
 * start (two terms with proportional local fields on these data: the couplings are not
 * identifiable).
 */
export function newtonFit(
  D: Float64Array,
  w: ArrayLike<number>,
  start: ArrayLike<number>,
  names: readonly string[],
  opts: NewtonOptions = {},
): NewtonResult {
  const n = start.length;
  const tol = opts.tolerance ?? 1e-15;
  const maxIt = opts.maxIterations ?? 100;
  const maxC = opts.maxCoupling ?? 50;
  let c = Float64Array.from(start);
  let f = pseudoLikelihoodObjective(D, w, c);
  let it = 0;
  let converged = false;
  for (; it < maxIt; it++) {
    const L = cholesky(f.hess, n);
    if (L === null) {
      if (it === 0) {
        throw new PhysmlInputError(
          "terms",
          "terms whose local fields are linearly independent on these samples (else the couplings are not identifiable)",
          names.join(","),
          "the pseudo-likelihood Hessian is singular",
        );
      }
      break; // curvature vanished along the way: separable data, the optimum is at infinity
    }
    const step = choleskySolve(L, n, f.grad);
    // Far from the optimum the curvature σ(1 − σ) is tiny and the Newton step huge: cap it
    // (a damped Newton step; near the optimum the cap is inactive and convergence quadratic).
    const longest = step.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
    if (longest > MAX_STEP) for (let j = 0; j < n; j++) step[j] *= MAX_STEP / longest;
    let decrement = 0;
    for (let t = 0; t < n; t++) decrement += f.grad[t] * step[t];
    if (decrement < tol * Math.max(1, Math.abs(f.value))) {
      // At the rounding level of F (λ²/2 ≈ F − min F): one last full step polishes c, if F allows.
      const last = Float64Array.from(c, (v, j) => v - step[j]);
      const fl = pseudoLikelihoodObjective(D, w, last);
      if (fl.value <= f.value) {
        c = last;
        f = fl;
      }
      converged = true;
      break;
    }
    // Backtracking along −step: accept the first t with F(c − t·step) ≤ F(c) − 1e-4·t·λ².
    let t = 1;
    let next = c;
    let fn = f;
    let accepted = false;
    for (let k = 0; k < 60 && !accepted; k++) {
      if (k > 0) t /= 2;
      next = Float64Array.from(c, (v, j) => v - t * step[j]);
      fn = pseudoLikelihoodObjective(D, w, next);
      accepted = fn.value <= f.value - 1e-4 * t * decrement;
    }
    if (!accepted) {
      // No sufficient decrease even for tiny steps: the decrement is at the rounding level of F.
      converged = decrement < 1e-12;
      break;
    }
    c = next;
    f = fn;
    // A full step this small changes no printed digit: rounding now dominates the decrement.
    if (t === 1 && step.every((v) => Math.abs(v) < 1e-12)) {
      it++;
      converged = true;
      break;
    }
    if (c.some((v) => Math.abs(v) > maxC)) {
      it++;
      break;
    }
  }
  let gmax = 0;
  for (const g of f.grad) gmax = Math.max(gmax, Math.abs(g));
  return { couplings: c, iterations: it, converged, value: f.value, gradientNorm: gmax, hessian: f.hess };
}
