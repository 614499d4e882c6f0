// Matrix exponential, batched. The value comes from the scaling-and-squaring Padé kernel. The
// derivative is the Fréchet derivative L(A, E), read off the block identity
//   expm([[A, E], [0, A]]) = [[e^A, L(A, E)], [0, e^A]]
// (Najfeld & Havel 1995; Higham, Functions of Matrices, §3.2), so the rules call expm itself on a
// 2n×2n matrix and differentiate again to any order (a k-th derivative works on 2ᵏn × 2ᵏn).
// Reverse mode uses L(A, ·)* = L(Aᵀ, ·): Ā = L(Aᵀ, Ḡ). E is rescaled to A's size first (L is
// linear in E) so that its norm does not raise the number of squarings for the block matrix.
// Composing expm from matmul/solve instead would tie the degree and squarings of every batch
// entry together (one choice per tensor), and record ~30 products on the tape.
import { bind, type Primitive } from "../core/bind.js";
import { alloc, zeros } from "../core/create.js";
import { definePrimitive } from "../core/registry.js";
import { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { expmBlock, expmScratch } from "../kernels/expm.js";
import { leadingBatch } from "../ops/batching.js";
import { mul } from "../ops/elementwise.js";
import { checkSquare } from "../ops/matrix-shape.js";
import { broadcastTo, concat, mT, slice } from "../ops/shape.js";
import { alignT, fitT } from "../ops/util.js";

const maxAbs = (t: Tensor) => {
  let m = 0;
  for (const v of t._raw()) m = Math.max(m, Math.abs(v));
  return m;
};

/** L(A, E): the upper-right block of expm([[A, E], [0, A]]); A broadcast against E's batch. */
function frechet(a: Tensor, e: Tensor): Tensor {
  const n = a.shape[a.ndim - 1];
  const ea = maxAbs(e);
  const c = ea > 0 ? Math.max(maxAbs(a), 1) / ea : 1;
  const A = broadcastTo(a, e.shape);
  const lead = e.shape.slice(0, -2);
  const big = concat([concat([A, mul(e, c)], -1), concat([zeros([...lead, n, n]), A], -1)], -2);
  const z = lead.map(() => 0);
  return mul(slice(expm(big), [...z, 0, n], [...lead, n, 2 * n]), 1 / c);
}

const P_EXPM: Primitive<null> = definePrimitive({
  name: "expm",
  impl([x]) {
    const n = x.shape[x.ndim - 1];
    const o = alloc("float64", x.size);
    const s = expmScratch(n);
    for (let b = 0; b < x.size / (n * n); b++) {
      if (!expmBlock(x._data!, b * n * n, s, o, b * n * n)) {
        throw new AutodiffInputError("expm.x", "finite matrices", "a non-finite entry", `batch entry ${b}`);
      }
    }
    return Tensor._of(o, x.shape);
  },
  jvp: ([x], [t], out, _p, nb) => fitT(frechet(x, alignT(t!, x.ndim, x.ndim, nb)), out.shape, nb),
  vjp: (g, [x]) => [frechet(mT(x), g)],
  batch: (xs, bds, p, size) => leadingBatch(P_EXPM, xs, bds, p, size),
});

/**
 * Matrix exponential e^A of a batch of n×n matrices (any n), by scaling and squaring with Padé
 * approximants of degree 3…13 chosen per matrix (Higham 2005). Differentiable to any order in both
 * modes through the exact Fréchet derivative.
 *
 * @example
 * expm(tensor([[0, -1], [1, 0]]).mul(Math.PI / 2)); // ≈ [[0, -1], [1, 0]], a quarter turn
 */
export function expm(x: Tensor): Tensor {
  checkSquare(x, "expm.x");
  return bind(P_EXPM, [x], null);
}
