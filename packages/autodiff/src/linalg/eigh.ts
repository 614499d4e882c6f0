// Symmetric eigendecomposition A = V·diag(λ)·Vᵀ, batched, and its eigenvalues alone.
//
// The primitive's output packs both results in one tensor (…, n+1, n): row 0 holds λ, rows
// 1…n hold V. Rules (P = Vᵀ·dA·V, F_ij = 1/(λ_j − λ_i) off the diagonal, 0 on it):
//   dλ = diag(P),  dV = V·(F ∘ P);   Ā = V·(diag(λ̄) + F ∘ (Vᵀ·V̄))·Vᵀ.
// F is built from λ with differentiable ops, so the rules differentiate again. Where two
// eigenvalues meet F is infinite: the rules throw LinalgDegeneracyError there (the value is
// still computed). `eigvalsh` has rules that need no F, so eigenvalue-only derivatives work at
// degeneracy too (as the derivative of any function symmetric in the degenerate eigenvalues).
import { bind, type Primitive } from "../core/bind.js";
import { alloc, eye } from "../core/create.js";
import { definePrimitive } from "../core/registry.js";
import { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { eighBlock, eighScratch } from "../kernels/eigh.js";
import { leadingBatch } from "../ops/batching.js";
import { add, div, mul, sub } from "../ops/elementwise.js";
import { matmul, matmulT } from "../ops/matmul.js";
import { checkSquare } from "../ops/matrix-shape.js";
import { sum } from "../ops/reduce.js";
import { concat, expandDims, mT } from "../ops/shape.js";
import { alignT, fitT } from "../ops/util.js";
import { checkGaps, row, rows } from "./common.js";

/** Default relative eigenvalue gap below which eigenvector derivatives are refused. */
export const EIGH_GAP_TOL = 1e-10;

interface EighParams {
  gapTol: number;
}

function eighPacked(x: Tensor, field: string): Tensor {
  const n = x.shape[x.ndim - 1];
  const nb = x.size / (n * n);
  const o = alloc("float64", nb * (n + 1) * n);
  const s = eighScratch(n);
  for (let b = 0; b < nb; b++) {
    const base = b * (n + 1) * n;
    if (!eighBlock(x._data!, b * n * n, s, o, base, o, base + n)) {
      throw new AutodiffInputError(
        field,
        "finite symmetric matrices",
        "a non-finite entry or no convergence",
        `batch entry ${b}`,
      );
    }
  }
  return Tensor._of(o, [...x.shape.slice(0, -2), n + 1, n]);
}

/** F_ij = 1/(λ_j − λ_i) for i ≠ j, 0 on the diagonal (differentiable in λ). */
function gapMatrix(w: Tensor): Tensor {
  const I = eye(w.shape[w.ndim - 1]);
  return sub(div(1, add(sub(expandDims(w, -2), expandDims(w, -1)), I)), I);
}

const P_EIGH: Primitive<EighParams> = definePrimitive({
  name: "eigh",
  impl: ([x]) => eighPacked(x, "eigh.x"),
  jvp([x], [t], out, { gapTol }, nb) {
    const n = x.shape[x.ndim - 1];
    const w = row(out, 0);
    checkGaps(w, gapTol, false, "eigh.x", "distinct eigenvalues to differentiate eigenvectors");
    const V = rows(out, 1, n + 1);
    const P = matmulT(V, matmul(alignT(t!, x.ndim, x.ndim, nb), V), true, false);
    const dw = expandDims(sum(mul(P, eye(n)), -1), -2);
    const dV = matmul(V, mul(gapMatrix(w), P));
    return fitT(concat([dw, dV], -2), out.shape, nb);
  },
  vjp(g, [x], out, { gapTol }) {
    const n = x.shape[x.ndim - 1];
    const w = row(out, 0);
    checkGaps(w, gapTol, false, "eigh.x", "distinct eigenvalues to differentiate eigenvectors");
    const V = rows(out, 1, n + 1);
    const inner = add(
      mul(rows(g, 0, 1), eye(n)),
      mul(gapMatrix(w), matmulT(V, rows(g, 1, n + 1), true, false)),
    );
    return [matmulT(matmul(V, inner), V, false, true)];
  },
  batch: (xs, bds, p, size) => leadingBatch(P_EIGH, xs, bds, p, size),
});

const P_EIGVALSH: Primitive<null> = definePrimitive({
  name: "eigvalsh",
  impl: ([x]) => row(eighPacked(x, "eigvalsh.x"), 0),
  // dλ_j = (Vᵀ dA V)_jj = Σ_k V_kj (dA V)_kj;  Ā = V diag(λ̄) Vᵀ
  jvp([x], [t], out, _p, nb) {
    const V = eigh(x).vectors;
    return fitT(sum(mul(V, matmul(alignT(t!, x.ndim, x.ndim, nb), V)), -2), out.shape, nb);
  },
  vjp(g, [x]) {
    const V = eigh(x).vectors;
    return [matmulT(mul(V, expandDims(g, -2)), V, false, true)];
  },
  batch: (xs, bds, p, size) => leadingBatch(P_EIGVALSH, xs, bds, p, size),
});

/** (A + Aᵀ)/2: exact for symmetric input; makes every derivative that of a symmetric matrix. */
const symmetrize = (x: Tensor) => mul(add(x, mT(x)), 0.5);

/** Result of {@link eigh}. */
export interface Eigh {
  /** Eigenvalues, ascending, shape […, n]. */
  readonly values: Tensor;
  /** Orthonormal eigenvectors as columns, shape […, n, n]: A·V = V·diag(values). */
  readonly vectors: Tensor;
}

export interface EighOptions {
  /**
   * Eigenvector derivatives are refused (LinalgDegeneracyError) when two eigenvalues of a matrix
   * differ by at most gapTol·max|λ|; default {@link EIGH_GAP_TOL}.
   */
  gapTol?: number;
}

/**
 * Eigendecomposition of a batch of real symmetric matrices […, n, n] (any n): ascending
 * eigenvalues and orthonormal eigenvectors (columns), each with its largest-magnitude entry
 * positive. The input is symmetrised as (A + Aᵀ)/2, so a non-symmetric A is treated as its
 * symmetric part. Differentiable to any order in both modes where the eigenvalues are distinct;
 * at (near) degeneracy the derivative rules throw {@link LinalgDegeneracyError} — use
 * {@link eigvalsh} when only eigenvalues are needed.
 *
 * @example
 * const { values, vectors } = eigh(tensor([[2, 1], [1, 2]])); // values [1, 3]
 */
export function eigh(x: Tensor, opts: EighOptions = {}): Eigh {
  const n = checkSquare(x, "eigh.x");
  const gapTol = opts.gapTol ?? EIGH_GAP_TOL;
  if (!(gapTol >= 0)) throw new AutodiffInputError("eigh.gapTol", "a number >= 0", gapTol);
  const out = bind(P_EIGH, [symmetrize(x)], { gapTol });
  return { values: row(out, 0), vectors: rows(out, 1, n + 1) };
}

/**
 * Eigenvalues (ascending, […, n]) of a batch of real symmetric matrices (symmetrised as in
 * {@link eigh}). Its derivative dλ = diag(Vᵀ·dA·V) needs no eigenvalue gap: at a degeneracy it is
 * the derivative of every function symmetric in the degenerate eigenvalues (their sum, Σ f(λ), …).
 */
export function eigvalsh(x: Tensor): Tensor {
  checkSquare(x, "eigvalsh.x");
  return bind(P_EIGVALSH, [symmetrize(x)], null);
}
