// Reduced QR decomposition A = Q·R, batched, with R's diagonal non-negative.
//
// The primitive takes m ≥ n and packs Q (m×n) over R (n×n) in one output (…, m+n, n). Forward
// rule (JAX's; X = dA·R⁻¹, C = Qᵀ·X, Ω = tril(C, −1) − tril(C, −1)ᵀ):
//   dQ = Q·(Ω − C) + X,   dR = (C − Ω)·R.
// Reverse rule, its adjoint (M = R̄·Rᵀ − Qᵀ·Q̄, C̄ = M + tril(Mᵀ − M, −1)):
//   Ā = (Q̄ + Q·C̄)·R⁻ᵀ.
// Both need R invertible (full column rank). A wide A (m < n) is [A₁ A₂] with A₁ square:
// Q, R₁ = qr(A₁) and R = [R₁, Qᵀ·A₂], composed, so its derivatives come for free.
import { bind, type Primitive } from "../core/bind.js";
import { alloc } from "../core/create.js";
import { definePrimitive } from "../core/registry.js";
import { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { qrBlock, qrScratch } from "../kernels/qr.js";
import { leadingBatch } from "../ops/batching.js";
import { add, mul, sub } from "../ops/elementwise.js";
import { matmul, matmulT } from "../ops/matmul.js";
import { checkMatrix } from "../ops/matrix-shape.js";
import { concat, mT, slice } from "../ops/shape.js";
import { alignT, fitT } from "../ops/util.js";
import { rows, strictLower } from "./common.js";
import { solveTriangular } from "./solve-triangular.js";

const P_QR: Primitive<null> = definePrimitive({
  name: "qr",
  impl([x]) {
    const [m, n] = [x.shape[x.ndim - 2], x.shape[x.ndim - 1]];
    const nb = x.size / (m * n);
    const o = alloc("float64", nb * (m + n) * n);
    const s = qrScratch(m, n);
    for (let b = 0; b < nb; b++) {
      const base = b * (m + n) * n;
      if (!qrBlock(x._data!, b * m * n, s, o, base, o, base + m * n)) {
        throw new AutodiffInputError("qr.x", "finite matrices", "a non-finite entry", `batch entry ${b}`);
      }
    }
    return Tensor._of(o, [...x.shape.slice(0, -2), m + n, n]);
  },
  jvp([x], [t], out, _p, nb) {
    const [m, n] = [x.shape[x.ndim - 2], x.shape[x.ndim - 1]];
    const Q = rows(out, 0, m);
    const R = rows(out, m, m + n);
    const X = mT(solveTriangular(mT(R), mT(alignT(t!, x.ndim, x.ndim, nb)), { lower: true }));
    const C = matmulT(Q, X, true, false);
    const L = mul(C, strictLower(n));
    const W = sub(L, mT(L));
    const dQ = add(matmul(Q, sub(W, C)), X);
    const dR = matmul(sub(C, W), R);
    return fitT(concat([dQ, dR], -2), out.shape, nb);
  },
  vjp(g, [x], out) {
    const [m, n] = [x.shape[x.ndim - 2], x.shape[x.ndim - 1]];
    const Q = rows(out, 0, m);
    const R = rows(out, m, m + n);
    const gQ = rows(g, 0, m);
    const M = sub(matmulT(rows(g, m, m + n), R, false, true), matmulT(Q, gQ, true, false));
    const Cb = add(M, mul(sub(mT(M), M), strictLower(n)));
    const Xb = add(gQ, matmul(Q, Cb));
    return [mT(solveTriangular(R, mT(Xb), { lower: false }))];
  },
  batch: (xs, bds, p, size) => leadingBatch(P_QR, xs, bds, p, size),
});

/** Result of {@link qr}. */
export interface QR {
  /** […, m, k] with orthonormal columns, k = min(m, n). */
  readonly q: Tensor;
  /** […, k, n] upper triangular (upper trapezoidal when m < n), non-negative diagonal. */
  readonly r: Tensor;
}

/**
 * Reduced QR decomposition of a batch of m×n matrices (Householder; any size): A = Q·R with
 * Q […, m, k] orthonormal columns, R […, k, n] upper triangular with R_ii ≥ 0, k = min(m, n).
 * Differentiable to any order in both modes where the leading k×k part has full rank (R_ii > 0);
 * the rules solve with R, so a rank-deficient A throws when differentiated.
 *
 * @example
 * const { q, r } = qr(tensor([[3, 1], [4, 2]])); // r[0][0] = 5
 */
export function qr(x: Tensor): QR {
  const [m, n] = checkMatrix(x, "qr.x");
  if (m < n) {
    const lead = x.shape.slice(0, -2);
    const zeros = lead.map(() => 0);
    const a1 = slice(x, [...zeros, 0, 0], [...lead, m, m]);
    const a2 = slice(x, [...zeros, 0, m], [...lead, m, n]);
    const { q, r } = qr(a1);
    return { q, r: concat([r, matmulT(q, a2, true, false)], -1) };
  }
  const out = bind(P_QR, [x], null);
  return { q: rows(out, 0, m), r: rows(out, m, m + n) };
}
