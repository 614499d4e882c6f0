// Singular value decomposition A = U·diag(s)·Vᴴ of a batch of complex matrices, composed of
// complex `qr` and Hermitian `eigh` (no primitive of its own, so its derivatives of every order
// and mode are those of the two, and every op has a batching rule).
//
// Square A: the Hermitian (Jordan–Wielandt) matrix J = [[0, A], [Aᴴ, 0]] has eigenvalues ±s_i
// with eigenvectors (u_i; ±v_i)/√2, so the n largest eigenvalues, taken in descending order, are
// s and their eigenvectors give U and V. Unlike eigh(AᴴA) this does not square the condition
// number: s is accurate to about ε·‖A‖, as from a bidiagonal SVD. Tall A (m > n): A = Q·R, then R =
// U_R·S·Vᴴ and U = Q·U_R. Wide A: the SVD of Aᴴ, with U and V swapped.
//
// Phase convention: each pair (u_i, v_i) is fixed up to a common phase; eigh makes the
// largest-magnitude entry of the stacked vector (u_i; v_i) of the square core real and positive
// (for tall A the core is R's, before U = Q·U_R). Derivatives need distinct, non-zero singular
// values (J's eigenvalues ±s_i must be distinct), else `LinalgDegeneracyError`.
import type { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { EIGH_GAP_TOL } from "../linalg/eigh.js";
import { gather as rgather } from "../ops/indexing.js";
import { eigh } from "./eigh.js";
import { matmul, mul } from "./ops.js";
import { qr } from "./qr.js";
import { concat, gather, mH, rowsOf } from "./shape.js";
import { type ComplexLike, type ComplexTensor, toComplex } from "./tensor.js";

/** Result of the complex {@link svd}: A = U·diag(s)·Vᴴ. */
export interface ComplexSVD {
  /** […, m, k] orthonormal columns, k = min(m, n). */
  readonly u: ComplexTensor;
  /** […, k] real, descending, ≥ 0. */
  readonly s: Tensor;
  /** […, n, k] orthonormal columns (V, not Vᴴ). */
  readonly v: ComplexTensor;
}

function squareSvd(a: ComplexTensor, gapTol: number): ComplexSVD {
  const n = a.shape[a.ndim - 1];
  const zero = mul(a, 0);
  const J = concat([concat([zero, a], -1), concat([mH(a), zero], -1)], -2);
  const { values, vectors } = eigh(J, { gapTol });
  // eigenvalues ascend: the last n, reversed, are s descending
  const top = Array.from({ length: n }, (_, i) => 2 * n - 1 - i);
  const W = gather(vectors, top, vectors.ndim - 1);
  return {
    u: mul(rowsOf(W, 0, n), Math.SQRT2),
    s: rgather(values, top, values.ndim - 1),
    v: mul(rowsOf(W, n, 2 * n), Math.SQRT2),
  };
}

/**
 * Reduced SVD of a batch of complex m×n matrices: A = U·diag(s)·Vᴴ with s descending, U […, m, k],
 * V […, n, k], k = min(m, n). Composed of `qr` and `eigh` (see the file's header), so
 * differentiable to any order in both modes where the singular values are distinct and non-zero
 * (within `gapTol`, relative, default 1e-10; else `LinalgDegeneracyError`).
 */
export function svd(a: ComplexLike, opts: { gapTol?: number } = {}): ComplexSVD {
  const z = toComplex(a, "svd.z");
  if (z.ndim < 2 || z.shape.some((d) => d < 1))
    throw new AutodiffInputError("svd.z", "a batch of m×n matrices […, m, n] with m, n >= 1", [...z.shape]);
  const gapTol = opts.gapTol ?? EIGH_GAP_TOL;
  const [m, n] = [z.shape[z.ndim - 2], z.shape[z.ndim - 1]];
  if (m < n) {
    const t = svd(mH(z), opts);
    return { u: t.v, s: t.s, v: t.u };
  }
  if (m === n) return squareSvd(z, gapTol);
  const { q, r } = qr(z);
  const core = squareSvd(r, gapTol);
  return { u: matmul(q, core.u), s: core.s, v: core.v };
}
