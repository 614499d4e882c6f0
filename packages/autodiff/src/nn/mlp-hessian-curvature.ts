// The weights of mlpInputHessian's layer terms, c = g ⊙ tanh''(z) = −2·a·g·(1 − a²) with a = tanh(z),
// as one primitive. Written as mul, mul and tanhGrad it is three passes forward, seven in reverse
// (three of them for tanhGrad's rule on a product of four factors) and two more cotangents of a for
// the reverse pass to sum; here it is one pass each way (kernels/tanh-curvature.ts).
import { bind, type Primitive } from "../core/bind.js";
import { allocUninit } from "../core/create.js";
import { definePrimitive } from "../core/registry.js";
import { broadcastStrides, sameShape } from "../core/shape.js";
import { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { naryKernel } from "../kernels/elementwise.js";
import { TANH_CURVATURE_EXPR, tanhCurvatureVjpKernel } from "../kernels/tanh-curvature.js";
import { materialize } from "../ops/batching.js";
import { add, mul, tanhGrad } from "../ops/elementwise.js";
import { broadcastTo } from "../ops/shape.js";
import { addT, fitT, mulTo, resultDtype } from "../ops/util.js";

const mulT = (t: Tensor | null, y: Tensor): Tensor | null => (t === null ? null : mul(t, y));

const P_TANH_CURVATURE: Primitive<Record<string, never>> = definePrimitive({
  name: "tanhCurvature",
  impl([a, g]) {
    const o = allocUninit(resultDtype([a, g]), a.size);
    const st = [broadcastStrides(a.shape, a.shape), broadcastStrides(g.shape, a.shape)];
    naryKernel("tanhCurvature", TANH_CURVATURE_EXPR, [a._data!, g._data!], st, a.shape, o);
    return Tensor._of(o, a.shape);
  },
  jvp([a, g], [ta, tg], out, _p, nb) {
    // with t = (g·a)·(−2): dt = (ġ·a + g·ȧ)·(−2), dc = (1 − a²)·dt − 2·a·t·ȧ (tanhGrad's rule)
    const t = mul(mul(g, a), -2);
    const dt = mul(addT(mulT(tg, a), mulT(ta, g))!, -2);
    return fitT(addT(tanhGrad(a, dt), ta ? mul(ta, mul(mul(a, t), -2)) : null), out.shape, nb);
  },
  vjp(dc, [a, g]) {
    if (dc._trace === null && a._trace === null && g._trace === null) {
      const C = a.shape[a.ndim - 1];
      const dt = resultDtype([dc, a, g]);
      const da = allocUninit(dt, a.size);
      const dg = allocUninit(dt, g.size);
      tanhCurvatureVjpKernel(dc._data!, a._data!, g._data!, da, dg, a.size / C, C, g.size !== a.size);
      return [Tensor._of(da, a.shape), Tensor._of(dg, g.shape)];
    }
    // watched by an outer transform: the same terms in differentiable ops
    const t = mul(tanhGrad(a, dc), -2);
    const da = add(mul(mul(mul(dc, -2), a), mul(mul(g, a), -2)), mul(t, g));
    return [da, mulTo([t, a], g.shape)];
  },
  batch([a, g], [ba, bg], _p, size) {
    const am = materialize(a, ba, size);
    const gm = materialize(g, bg, size);
    return [tanhCurvature(am, sameShape(gm.shape, am.shape) ? gm : broadcastTo(gm, am.shape)), 0];
  },
});

/**
 * g ⊙ tanh''(z) for a = tanh(z), from a: ((g·a)·(−2))·(1 − a²), bit for bit as `mul`, `mul` and
 * `tanhGrad` compute it; a [..., n], g of a's shape or one row [1, n] for every row of a (2-D a).
 * Differentiable to any order.
 *
 * @throws AutodiffInputError when g is neither a's shape nor [1, n] for a 2-D a.
 */
export function tanhCurvature(a: Tensor, g: Tensor): Tensor {
  const n = a.shape[a.ndim - 1];
  const row = a.ndim === 2 && g instanceof Tensor && sameShape(g.shape, [1, n]);
  if (!(a instanceof Tensor) || a.ndim < 1)
    throw new AutodiffInputError(
      "tanhCurvature.a",
      "a Tensor of shape [..., n]",
      a instanceof Tensor ? [...a.shape] : typeof a,
    );
  if (!(g instanceof Tensor) || !(row || sameShape(g.shape, a.shape)))
    throw new AutodiffInputError(
      "tanhCurvature.g",
      `a Tensor of shape [${a.shape.join(",")}]${a.ndim === 2 ? ` or [1,${n}]` : ""}`,
      g instanceof Tensor ? [...g.shape] : typeof g,
    );
  return bind(P_TANH_CURVATURE, [a, g], {});
}
