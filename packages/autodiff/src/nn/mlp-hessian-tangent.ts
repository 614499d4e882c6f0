// The forward tangents of a tanh layer's output, T = J ⊙ tanh'(z) = J ⊙ (1 − y²), as one primitive:
// mlpInputHessian's step from J_{l−1} to J_l = T·W_l. Its value is tanhGrad's, in one pass without
// broadcast strides; its reverse rule forms both cotangents in one pass over Ḡ
// (kernels/tanh-tangent.ts), where tanhGrad's rules on y viewed as [B, 1, n] write two [B, d, n]
// products and reduce one over the middle axis — the same arithmetic, so the same bits.
import { bind, type Primitive } from "../core/bind.js";
import { allocUninit } from "../core/create.js";
import { definePrimitive } from "../core/registry.js";
import { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { tanhTangentKernel, tanhTangentVjpKernel } from "../kernels/tanh-tangent.js";
import { materialize } from "../ops/batching.js";
import { mul, tanhGrad } from "../ops/elementwise.js";
import { broadcastTo, reshape } from "../ops/shape.js";
import { addT, alignT, fitT, mulTo, resultDtype, sumTo } from "../ops/util.js";

/** y [B, n] as [B, 1, n]: one row of factors for every row of J. */
const asRows = (y: Tensor): Tensor => reshape(y, [y.shape[0], 1, y.shape[1]]);

const P_TANH_TANGENT: Primitive<Record<string, never>> = definePrimitive({
  name: "tanhTangent",
  impl([y, j]) {
    const [B, n] = y.shape;
    const d = j.shape[j.ndim - 2];
    const o = allocUninit(resultDtype([y, j]), B * d * n);
    tanhTangentKernel(y._data!, j._data!, o, B, d, n, j.ndim === 2);
    return Tensor._of(o, [B, d, n]);
  },
  jvp([y, j], [ty, tj], out, _p, nb) {
    // d[J ⊙ (1 − y²)] = J̇ ⊙ (1 − y²) + ẏ ⊙ (−2·y·J)
    const yr = asRows(y);
    const a = tj ? tanhGrad(yr, alignT(tj, j.ndim, out.ndim, nb)) : null;
    const b = ty ? mul(reshape(ty, [...ty.shape.slice(0, -1), 1, y.shape[1]]), mul(mul(yr, j), -2)) : null;
    return fitT(addT(a, b), out.shape, nb);
  },
  vjp(g, [y, j]) {
    if (g._trace === null && y._trace === null && j._trace === null) {
      const [B, n] = y.shape;
      const d = g.shape[1];
      const dt = resultDtype([g, y, j]);
      const dy = allocUninit(dt, y.size);
      const dj = allocUninit(dt, j.size);
      tanhTangentVjpKernel(g._data!, y._data!, j._data!, dy, dj, B, d, n, j.ndim === 2);
      return [Tensor._of(dy, y.shape), Tensor._of(dj, j.shape)];
    }
    // watched by an outer transform: tanhGrad's own rules, in differentiable ops
    const yr = asRows(y);
    return [reshape(mulTo([yr, -2, g, j], yr.shape), y.shape), sumTo(tanhGrad(yr, g), j.shape)];
  },
  batch([y, j], [by, bj], _p, size) {
    // the mapped axis folded into the samples; a J shared by the samples of one example is
    // repeated for them, one shared by every example stays as it is
    const ym = materialize(y, by, size);
    const [S, B, n] = ym.shape;
    let jf = j;
    if (bj !== null || j.ndim === 3) {
      const jm = materialize(j, bj, size);
      const [d] = jm.shape.slice(-2);
      jf = reshape(jm.ndim === 3 ? broadcastTo(reshape(jm, [S, 1, d, n]), [S, B, d, n]) : jm, [S * B, d, n]);
    }
    const out = tanhTangent(reshape(ym, [S * B, n]), jf);
    return [reshape(out, [S, B, ...out.shape.slice(1)]), 0];
  },
});

/**
 * J ⊙ (1 − y²) for the tangents J of a tanh layer's inputs and its outputs y = tanh(z): y [B, n],
 * J [B, d, n] (one row of d per sample) or [d, n] (the same for every sample); result [B, d, n].
 * Equal to `tanhGrad(reshape(y, [B, 1, n]), J)`, bit for bit, and differentiable to any order.
 *
 * @throws AutodiffInputError when y is not 2-D or J's shape is not [B, d, n] or [d, n].
 */
export function tanhTangent(y: Tensor, j: Tensor): Tensor {
  if (!(y instanceof Tensor) || y.ndim !== 2)
    throw new AutodiffInputError(
      "tanhTangent.y",
      "a Tensor of shape [B, n]",
      y instanceof Tensor ? [...y.shape] : typeof y,
    );
  const [B, n] = y.shape;
  const ok =
    j instanceof Tensor && j.shape[j.ndim - 1] === n && (j.ndim === 2 || (j.ndim === 3 && j.shape[0] === B));
  if (!ok)
    throw new AutodiffInputError(
      "tanhTangent.j",
      `a Tensor of shape [${B}, d, ${n}] or [d, ${n}]`,
      j instanceof Tensor ? [...j.shape] : typeof j,
    );
  return bind(P_TANH_TANGENT, [y, j], {});
}
