// The weighted Gram product H = J·diag(c)·Jᵀ per sample, as one primitive: the term of each hidden
// layer in mlpInputHessian. Written with matmul and mul it stores J ⊙ c ([B, d, n]) for the reverse
// pass, and its reverse pass runs two batched products and three passes over [B, d, n]; here H
// sums only its upper triangle, and the reverse rule forms (Ḡ + Ḡᵀ)·J once and takes both
// cotangents from it in the same pass (kernels/gram.ts).
import { bind, type Primitive } from "../core/bind.js";
import { allocUninit } from "../core/create.js";
import { definePrimitive } from "../core/registry.js";
import { sameShape, sizeOf } from "../core/shape.js";
import { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { gramKernel, gramVjpKernel } from "../kernels/gram.js";
import { leadingBatch } from "../ops/batching.js";
import { add, mul } from "../ops/elementwise.js";
import { matmulT } from "../ops/matmul.js";
import { sum } from "../ops/reduce.js";
import { mT, reshape } from "../ops/shape.js";
import { addT, resultDtype } from "../ops/util.js";

/** [..., n] → [..., 1, n], to scale the columns of a [..., d, n] batch. */
const asRow = (c: Tensor): Tensor => reshape(c, [...c.shape.slice(0, -1), 1, c.shape[c.ndim - 1]]);

/** The sizes of a J [..., d, n]: samples (leading dims flattened), d, n. */
function dims(j: Tensor): [number, number, number] {
  const [d, n] = j.shape.slice(-2);
  return [sizeOf(j.shape.slice(0, -2)), d, n];
}

const P_GRAM: Primitive<Record<string, never>> = definePrimitive({
  name: "weightedGram",
  impl([j, c]) {
    const [B, d, n] = dims(j);
    const h = allocUninit(resultDtype([j, c]), B * d * d);
    gramKernel(j._data!, c._data!, h, B, d, n);
    return Tensor._of(h, [...j.shape.slice(0, -1), d]);
  },
  jvp([j, c], [tj, tc]) {
    // d(J·C·Jᵀ) = J̇·C·Jᵀ + (J̇·C·Jᵀ)ᵀ + J·Ċ·Jᵀ (C = diag c); tangents lead with their batch dims,
    // which the products broadcast over
    let x: Tensor | null = null;
    if (tj) {
      const a = matmulT(mul(tj, asRow(c)), j, false, true);
      x = add(a, mT(a));
    }
    return addT(x, tc ? matmulT(mul(j, asRow(tc)), j, false, true) : null);
  },
  vjp(g, [j, c]) {
    if (g._trace === null && j._trace === null && c._trace === null) {
      const [B, d, n] = dims(j);
      const dt = resultDtype([g, j, c]);
      const dj = allocUninit(dt, j.size);
      const dc = allocUninit(dt, c.size);
      gramVjpKernel(j._data!, c._data!, g._data!, dj, dc, B, d, n);
      return [Tensor._of(dj, j.shape), Tensor._of(dc, c.shape)];
    }
    // watched by an outer transform: the same arithmetic in differentiable ops
    const p = matmulT(add(g, mT(g)), j);
    return [mul(p, asRow(c)), mul(sum(mul(j, p), -2), 0.5)];
  },
  batch: (xs, bds, p, size) => leadingBatch(P_GRAM, xs, bds, p, size),
});

/**
 * H = J·diag(c)·Jᵀ for every sample: J [..., d, n], c [..., n] with the same leading dims, H
 * [..., d, d] (exactly symmetric). Differentiable in both arguments to any order.
 *
 * @throws AutodiffInputError when J is not at least 2-D or c's shape is not J's without its
 *   second-to-last axis.
 */
export function weightedGram(j: Tensor, c: Tensor): Tensor {
  if (!(j instanceof Tensor) || j.ndim < 2)
    throw new AutodiffInputError(
      "weightedGram.j",
      "a Tensor of shape [..., d, n]",
      j instanceof Tensor ? [...j.shape] : typeof j,
    );
  const want = [...j.shape.slice(0, -2), j.shape[j.ndim - 1]];
  if (!(c instanceof Tensor) || !sameShape(c.shape, want))
    throw new AutodiffInputError(
      "weightedGram.c",
      `a Tensor of shape [${want.join(",")}]`,
      c instanceof Tensor ? [...c.shape] : typeof c,
    );
  return bind(P_GRAM, [j, c], {});
}
