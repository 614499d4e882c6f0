// sign and log|det| of a batch of matrices. log|det| is `logdet` itself (the same primitive, so
// the same bits and rules); the sign is piecewise constant, a primitive without derivative rules
// (a constant to every transform, like the comparisons).
import { bind, type Primitive } from "../core/bind.js";
import { alloc } from "../core/create.js";
import { definePrimitive } from "../core/registry.js";
import { Tensor } from "../core/tensor.js";
import { slogdetBatch } from "../kernels/linalg.js";
import { leadingBatch } from "../ops/batching.js";
import { logdet } from "../ops/linalg.js";

const P_DET_SIGN: Primitive<null> = definePrimitive({
  name: "detSign",
  impl([x]) {
    const n = x.shape[x.ndim - 1];
    const o = alloc("float64", x.size / (n * n));
    slogdetBatch(x._data!, n, o.length, new Float64Array(o.length), o);
    return Tensor._of(o, x.shape.slice(0, -2));
  },
  batch: (xs, bds, p, size) => leadingBatch(P_DET_SIGN, xs, bds, p, size),
});

/** Result of {@link slogdet}. */
export interface Slogdet {
  /** sign of det A: +1, −1, or 0 for a singular matrix; […]. Not differentiated (a constant). */
  readonly sign: Tensor;
  /** log|det A| (−∞ for a singular matrix), […]: exactly `logdet(A)`, with its derivatives. */
  readonly logabsdet: Tensor;
}

/**
 * Sign and log|det| of a batch of n×n matrices (LU with partial pivoting), so that
 * det A = sign·exp(logabsdet) without overflow.
 *
 * @example
 * slogdet(tensor([[0, 2], [3, 0]])); // sign −1, logabsdet log 6
 */
export function slogdet(x: Tensor): Slogdet {
  const logabsdet = logdet(x); // validates the shape
  return { sign: bind(P_DET_SIGN, [x], null), logabsdet };
}
