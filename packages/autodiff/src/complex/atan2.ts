// atan2(y, x), the one real primitive the complex ops need that the package lacks (for the
// angle, log, sqrt and powers). Its rules are written in ops, so they differentiate again:
//   d atan2(y, x) = (x·dy − y·dx) / (x² + y²).
import { bind, type Primitive } from "../core/bind.js";
import { allocUninit } from "../core/create.js";
import { definePrimitive } from "../core/registry.js";
import { sameShape } from "../core/shape.js";
import { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { broadcastBatch } from "../ops/batching.js";
import { add, div, mul, neg, sub } from "../ops/elementwise.js";
import { fitT } from "../ops/util.js";

const P_ATAN2: Primitive<null> = definePrimitive({
  name: "atan2",
  impl([y, x]) {
    const a = y._data!;
    const b = x._data!;
    const o = allocUninit("float64", y.size);
    for (let i = 0; i < o.length; i++) o[i] = Math.atan2(a[i], b[i]);
    return Tensor._of(o, y.shape);
  },
  jvp([y, x], [ty, tx], out, _p, nb) {
    const r2 = add(mul(x, x), mul(y, y));
    const num = ty && tx ? sub(mul(x, ty), mul(y, tx)) : ty ? mul(x, ty) : neg(mul(y, tx!));
    return fitT(div(num, r2), out.shape, nb);
  },
  vjp(g, [y, x], _o, _p, need) {
    const s = div(g, add(mul(x, x), mul(y, y)));
    return [need[0] ? mul(s, x) : null, need[1] ? neg(mul(s, y)) : null];
  },
  batch: (xs, bds, p) => broadcastBatch(P_ATAN2, xs, bds, p),
});

/** The angle of the point (x, y) in (−π, π], elementwise; `y` and `x` have one shape. */
export function atan2(y: Tensor, x: Tensor): Tensor {
  if (!sameShape(y.shape, x.shape))
    throw new AutodiffInputError("atan2.x", `shape [${y.shape.join(",")}] like y`, [...x.shape]);
  return bind(P_ATAN2, [y, x], null);
}
