// Triangular solve T·X = B, batched with broadcasting, any size. Only T's triangle is read, so
// its derivative is that of the triangle: dX = T⁻¹(dB − tri(dT)·X);  B̄ = T⁻ᵀX̄, T̄ = −tri(B̄·Xᵀ).
import { bind, type Primitive } from "../core/bind.js";
import { alloc } from "../core/create.js";
import { definePrimitive } from "../core/registry.js";
import { broadcastShapes, forBroadcast, sizeOf } from "../core/shape.js";
import { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { triSolveBlock } from "../kernels/qr.js";
import { broadcastBatch } from "../ops/batching.js";
import { mul, neg, sub } from "../ops/elementwise.js";
import { matmul, matmulT } from "../ops/matmul.js";
import { checkSquare } from "../ops/matrix-shape.js";
import { expandDims, mT } from "../ops/shape.js";
import { alignT, fitT, sumTo } from "../ops/util.js";
import { lowerTri, upperTri } from "./common.js";

interface TriParams {
  lower: boolean;
}

const tri = (x: Tensor, n: number, lower: boolean) => mul(x, lower ? lowerTri(n) : upperTri(n));

const P_SOLVE_TRI: Primitive<TriParams> = definePrimitive({
  name: "solveTriangular",
  impl([t, b], { lower }) {
    const n = t.shape[t.ndim - 1];
    const k = b.shape[b.ndim - 1];
    const tB = t.shape.slice(0, -2);
    const bB = b.shape.slice(0, -2);
    const o = alloc("float64", sizeOf(broadcastShapes(tB, bB, "solveTriangular batch dims")) * n * k);
    const shape = forBroadcast(tB, bB, "solveTriangular batch dims", (i, ia, ib) => {
      if (!triSolveBlock(t._data!, ia * n * n, lower, b._data!, ib * n * k, k, o, i * n * k, n)) {
        throw new AutodiffInputError(
          "solveTriangular.t",
          "a non-zero diagonal",
          "a zero on the diagonal",
          `batch entry ${i}`,
        );
      }
    });
    return Tensor._of(o, [...shape, n, k]);
  },
  jvp([t, b], [tt, tb], out, { lower }, nb) {
    const n = t.shape[t.ndim - 1];
    const r = out.ndim;
    const fromB = tb ? alignT(tb, b.ndim, r, nb) : null;
    const fromT = tt ? matmul(tri(alignT(tt, t.ndim, r, nb), n, lower), out) : null;
    const rhs = fromB && fromT ? sub(fromB, fromT) : (fromB ?? neg(fromT!));
    return fitT(solveTriangular(t, rhs, { lower }), out.shape, nb);
  },
  vjp(g, [t, b], out, { lower }, need) {
    const n = t.shape[t.ndim - 1];
    const gb = solveTriangular(mT(t), g, { lower: !lower });
    return [
      need[0] ? sumTo(neg(tri(matmulT(gb, out, false, true), n, lower)), t.shape) : null,
      need[1] ? sumTo(gb, b.shape) : null,
    ];
  },
  batch: (xs, bds, p) => broadcastBatch(P_SOLVE_TRI, xs, bds, p),
});

export interface SolveTriangularOptions {
  /** Read the lower triangle of T (default) or the upper one. */
  lower?: boolean;
}

/**
 * Solves T·X = B for a batch of triangular n×n matrices T (any n; only the chosen triangle is
 * read) and right-hand sides B of shape […, n, k] or […, n]. Batch dims broadcast. A zero on the
 * diagonal is an AutodiffInputError.
 *
 * @example
 * solveTriangular(tensor([[2, 0], [1, 1]]), tensor([2, 3])); // [1, 2]
 */
export function solveTriangular(t: Tensor, b: Tensor, opts: SolveTriangularOptions = {}): Tensor {
  const n = checkSquare(t, "solveTriangular.t");
  const vec = b.ndim === t.ndim - 1 || b.ndim === 1;
  const b2 = vec ? expandDims(b, -1) : b;
  if (b2.ndim < 2 || b2.shape[b2.ndim - 2] !== n) {
    throw new AutodiffInputError("solveTriangular.b", `shape […, ${n}, k] or […, ${n}]`, [...b.shape]);
  }
  const x = bind(P_SOLVE_TRI, [t, b2], { lower: opts.lower ?? true });
  return vec ? x.reshape(x.shape.slice(0, -1)) : x;
}
