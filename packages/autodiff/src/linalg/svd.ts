// Singular value decomposition A = U·diag(s)·Vᵀ (reduced, k = min(m, n)), batched, and the
// singular values alone.
//
// The primitive packs U (m×k), s (one row) and V (n×k) into one output (…, m+1+n, k). Rules
// (JAX's forward rule; the reverse rule is its adjoint, as in Townsend 2016): with
// dP = Uᵀ·dA·V, F_ij = 1/(s_j² − s_i²) off the diagonal (0 on it), S = diag(s),
//   ds = diag(dP)
//   dU = U·(F ∘ (dP·S + S·dPᵀ)) + [m > n] (I − UUᵀ)·dA·V·S⁻¹
//   dV = V·(F ∘ (S·dP + dPᵀ·S)) + [n > m] (I − VVᵀ)·dAᵀ·U·S⁻¹
//   Ā = U·[(F ∘ (M − Mᵀ))·S + diag(s̄) + S·(F ∘ (N − Nᵀ))]·Vᵀ
//       + [m > n] (Ū − U·M)·S⁻¹·Vᵀ + [n > m] U·S⁻¹·(V̄ − V·N)ᵀ,   M = UᵀŪ, N = VᵀV̄.
// F and S⁻¹ are built from s with differentiable ops, so the rules differentiate again. Equal
// singular values (and, for non-square A, a zero one) make them infinite: the rules throw
// LinalgDegeneracyError there. `svdvals` needs neither (ds = diag(Uᵀ·dA·V), Ā = U·diag(s̄)·Vᵀ).
import { bind, type Primitive } from "../core/bind.js";
import { alloc, eye } from "../core/create.js";
import { definePrimitive } from "../core/registry.js";
import { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { svdBlock, svdScratch } from "../kernels/svd.js";
import { leadingBatch } from "../ops/batching.js";
import { add, div, mul, sub } from "../ops/elementwise.js";
import { matmul, matmulT } from "../ops/matmul.js";
import { checkMatrix } from "../ops/matrix-shape.js";
import { sum } from "../ops/reduce.js";
import { concat, expandDims, mT } from "../ops/shape.js";
import { alignT, fitT } from "../ops/util.js";
import { checkGaps, row, rows } from "./common.js";
import { EIGH_GAP_TOL } from "./eigh.js";

interface SvdParams {
  gapTol: number;
}

function svdPacked(x: Tensor, field: string): Tensor {
  const [m, n] = [x.shape[x.ndim - 2], x.shape[x.ndim - 1]];
  const k = Math.min(m, n);
  const nb = x.size / (m * n);
  const size = (m + 1 + n) * k;
  const o = alloc("float64", nb * size);
  const s = svdScratch(m, n);
  for (let b = 0; b < nb; b++) {
    if (!svdBlock(x._data!, b * m * n, s, o, b * size)) {
      throw new AutodiffInputError(
        field,
        "finite matrices",
        "a non-finite entry or no convergence",
        `batch entry ${b}`,
      );
    }
  }
  return Tensor._of(o, [...x.shape.slice(0, -2), m + 1 + n, k]);
}

interface Parts {
  m: number;
  n: number;
  k: number;
  U: Tensor;
  s: Tensor;
  V: Tensor;
  /** F_ij = 1/(s_j² − s_i²), 0 on the diagonal */
  F: Tensor;
}

function parts(x: Tensor, out: Tensor, gapTol: number): Parts {
  const [m, n] = [x.shape[x.ndim - 2], x.shape[x.ndim - 1]];
  const k = Math.min(m, n);
  const s = row(out, m);
  checkGaps(
    s,
    gapTol,
    m !== n,
    "svd.x",
    `distinct${m !== n ? ", non-zero" : ""} singular values to differentiate singular vectors`,
  );
  const s2 = mul(s, s);
  const I = eye(k);
  const F = sub(div(1, add(sub(expandDims(s2, -2), expandDims(s2, -1)), I)), I);
  return { m, n, k, U: rows(out, 0, m), s, V: rows(out, m + 1, m + 1 + n), F };
}

const P_SVD: Primitive<SvdParams> = definePrimitive({
  name: "svd",
  impl: ([x]) => svdPacked(x, "svd.x"),
  jvp([x], [t], out, { gapTol }, nb) {
    const { m, n, k, U, s, V, F } = parts(x, out, gapTol);
    const dA = alignT(t!, x.ndim, x.ndim, nb);
    const sRow = expandDims(s, -2); // s_j along columns
    const sCol = expandDims(s, -1); // s_i along rows
    const dP = matmulT(U, matmul(dA, V), true, false);
    const ds = expandDims(sum(mul(dP, eye(k)), -1), -2);
    const dPS = mul(dP, sRow);
    const SdP = mul(sCol, dP);
    let dU = matmul(U, mul(F, add(dPS, mT(dPS))));
    let dV = matmul(V, mul(F, add(SdP, mT(SdP))));
    if (m > n) {
      const dAV = matmul(dA, V);
      dU = add(dU, div(sub(dAV, matmul(U, matmulT(U, dAV, true, false))), sRow));
    }
    if (n > m) {
      const dAtU = matmulT(dA, U, true, false);
      dV = add(dV, div(sub(dAtU, matmul(V, matmulT(V, dAtU, true, false))), sRow));
    }
    return fitT(concat([dU, ds, dV], -2), out.shape, nb);
  },
  vjp(g, [x], out, { gapTol }) {
    const { m, n, k, U, s, V, F } = parts(x, out, gapTol);
    const gU = rows(g, 0, m);
    const gs = rows(g, m, m + 1);
    const gV = rows(g, m + 1, m + 1 + n);
    const sRow = expandDims(s, -2);
    const sCol = expandDims(s, -1);
    const M = matmulT(U, gU, true, false);
    const N = matmulT(V, gV, true, false);
    const core = add(
      add(mul(mul(F, sub(M, mT(M))), sRow), mul(gs, eye(k))),
      mul(sCol, mul(F, sub(N, mT(N)))),
    );
    let gA = matmulT(matmul(U, core), V, false, true);
    if (m > n) gA = add(gA, matmulT(div(sub(gU, matmul(U, M)), sRow), V, false, true));
    if (n > m) gA = add(gA, matmulT(div(U, sRow), sub(gV, matmul(V, N)), false, true));
    return [gA];
  },
  batch: (xs, bds, p, size) => leadingBatch(P_SVD, xs, bds, p, size),
});

const P_SVDVALS: Primitive<null> = definePrimitive({
  name: "svdvals",
  impl: ([x]) => row(svdPacked(x, "svdvals.x"), x.shape[x.ndim - 2]),
  jvp([x], [t], out, _p, nb) {
    const { u, v } = svd(x);
    return fitT(sum(mul(u, matmul(alignT(t!, x.ndim, x.ndim, nb), v)), -2), out.shape, nb);
  },
  vjp(g, [x]) {
    const { u, v } = svd(x);
    return [matmulT(mul(u, expandDims(g, -2)), v, false, true)];
  },
  batch: (xs, bds, p, size) => leadingBatch(P_SVDVALS, xs, bds, p, size),
});

/** Result of {@link svd}; k = min(m, n). */
export interface Svd {
  /** Left singular vectors as columns, […, m, k], orthonormal. */
  readonly u: Tensor;
  /** Singular values, descending, ≥ 0, […, k]. */
  readonly s: Tensor;
  /** Right singular vectors as columns, […, n, k], orthonormal: A = U·diag(s)·Vᵀ. */
  readonly v: Tensor;
}

export interface SvdOptions {
  /**
   * Singular-vector derivatives are refused (LinalgDegeneracyError) when two singular values
   * differ by at most gapTol·max s (or, for non-square A, one is that close to 0); default 1e-10.
   */
  gapTol?: number;
}

/**
 * Reduced SVD of a batch of real m×n matrices (any size; one-sided Jacobi): A = U·diag(s)·Vᵀ with
 * s descending, U […, m, k] and V […, n, k] with orthonormal columns, k = min(m, n); each left
 * vector has its largest-magnitude entry positive. Note V, not Vᵀ, is returned. Differentiable to
 * any order in both modes where the singular values are distinct (and non-zero when m ≠ n); at
 * (near) degeneracy the rules throw {@link LinalgDegeneracyError} — use {@link svdvals} when only
 * the singular values are needed.
 *
 * @example
 * const { u, s, v } = svd(tensor([[3, 0], [0, -2]])); // s = [3, 2]
 */
export function svd(x: Tensor, opts: SvdOptions = {}): Svd {
  const [m, n] = checkMatrix(x, "svd.x");
  const gapTol = opts.gapTol ?? EIGH_GAP_TOL;
  if (!(gapTol >= 0)) throw new AutodiffInputError("svd.gapTol", "a number >= 0", gapTol);
  const out = bind(P_SVD, [x], { gapTol });
  return { u: rows(out, 0, m), s: row(out, m), v: rows(out, m + 1, m + 1 + n) };
}

/**
 * Singular values (descending, […, min(m, n)]) of a batch of m×n matrices. Their derivative
 * ds = diag(Uᵀ·dA·V) needs no gap between singular values; it is valid where they are non-zero
 * (at a degeneracy, for functions symmetric in the degenerate values, e.g. the nuclear norm Σs).
 */
export function svdvals(x: Tensor): Tensor {
  checkMatrix(x, "svdvals.x");
  return bind(P_SVDVALS, [x], null);
}
