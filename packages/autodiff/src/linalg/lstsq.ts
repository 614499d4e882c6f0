// Linear least squares through the QR decomposition, composed of differentiable ops (qr,
// solveTriangular, matmul), so its derivatives in both modes and to any order come from theirs.
//   m ≥ n:  A = Q·R,   X = R⁻¹·Qᵀ·B           (minimises ‖A·X − B‖)
//   m < n:  Aᵀ = Q·R,  X = Q·R⁻ᵀ·B            (the minimum-norm solution of A·X = B)
// Full rank is required (min(m, n) independent columns or rows); QR without pivoting cannot
// rank-reveal reliably, so a near-zero diagonal of R is reported as an error rather than guessed.
import type { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { matmul, matmulT } from "../ops/matmul.js";
import { checkMatrix } from "../ops/matrix-shape.js";
import { expandDims, mT } from "../ops/shape.js";
import { qr } from "./qr.js";
import { solveTriangular } from "./solve-triangular.js";

export interface LstsqOptions {
  /**
   * A diagonal entry of R at most rcond·max|R_jj| means A is (numerically) rank deficient, an
   * AutodiffInputError. Default max(m, n)·2⁻⁵².
   */
  rcond?: number;
}

function checkRank(r: Tensor, rcond: number): void {
  const d = r._raw();
  const [k, n] = [r.shape[r.ndim - 2], r.shape[r.ndim - 1]];
  for (let b = 0; b < d.length / (k * n); b++) {
    let big = 0;
    let small = Number.POSITIVE_INFINITY;
    for (let i = 0; i < k; i++) {
      const v = Math.abs(d[b * k * n + i * n + i]);
      big = Math.max(big, v);
      small = Math.min(small, v);
    }
    if (!(small > rcond * big)) {
      throw new AutodiffInputError(
        "lstsq.a",
        "a matrix of full rank",
        `a rank-deficient matrix`,
        `batch entry ${b}, min|R_ii|/max|R_ii| = ${big > 0 ? small / big : 0}`,
      );
    }
  }
}

/**
 * Least-squares solution X of A·X ≈ B for a batch of m×n matrices A and right-hand sides B of
 * shape […, m, k] (as many dims as A; batch dims broadcast, so one B for a batch of A is
 * [1, m, k]) or […, m] (one dim fewer than A: a vector per matrix), the convention of `solve`. Tall or square A gives
 * the minimiser of ‖A·X − B‖ (Frobenius), wide A the minimum-norm exact solution. A must have full
 * rank. Differentiable in A and B, both modes, any order.
 *
 * @example
 * // fit y = a + b·t through (0, 1), (1, 3), (2, 5): [a, b] = [1, 2]
 * lstsq(tensor([[1, 0], [1, 1], [1, 2]]), tensor([1, 3, 5]));
 */
export function lstsq(a: Tensor, b: Tensor, opts: LstsqOptions = {}): Tensor {
  const [m, n] = checkMatrix(a, "lstsq.a");
  const vec = b.ndim === a.ndim - 1;
  const b2 = vec ? expandDims(b, -1) : b;
  if (b2.ndim < 2 || b2.shape[b2.ndim - 2] !== m) {
    throw new AutodiffInputError("lstsq.b", `shape […, ${m}, k] or […, ${m}]`, [...b.shape]);
  }
  const rcond = opts.rcond ?? Math.max(m, n) * 2 ** -52;
  if (!(rcond >= 0 && rcond < 1)) throw new AutodiffInputError("lstsq.rcond", "a number in [0, 1)", rcond);
  let x: Tensor;
  if (m >= n) {
    const { q, r } = qr(a);
    checkRank(r, rcond);
    x = solveTriangular(r, matmulT(q, b2, true, false), { lower: false });
  } else {
    const { q, r } = qr(mT(a));
    checkRank(r, rcond);
    x = matmul(q, solveTriangular(mT(r), b2, { lower: true }));
  }
  return vec ? x.reshape(x.shape.slice(0, -1)) : x;
}
