// A unary op in one declaration: its value as a JavaScript expression, its derivative in ops.
// From these come the primitive (registered by name), its forward, reverse and batching rules,
// and the public function; see the README section "Adding an op".
import { bind, type Primitive } from "../core/bind.js";
import { allocUninit } from "../core/create.js";
import { definePrimitive } from "../core/registry.js";
import { Tensor, type TensorLike } from "../core/tensor.js";
import { exprKernel } from "../kernels/elementwise.js";
import { unaryBatch } from "./batching.js";
import { mul } from "./elementwise.js";
import { lift } from "./util.js";

export interface UnaryOpSpec {
  /** Unique primitive name (also the field named in input errors). */
  name: string;
  /** The value of one element as a JavaScript expression in `a`, e.g. "Math.log1p(a)". */
  expr: string;
  /**
   * dy/dx as a function of x and y = f(x), written in ops (so it is differentiated again for
   * higher orders). Omitted: the op is a constant to every derivative (like `sign`).
   */
  deriv?: (x: Tensor, y: Tensor) => Tensor;
}

/** Defines a differentiable, vmappable elementwise op from its value and its derivative. */
export function defineUnary(spec: UnaryOpSpec): (x: TensorLike) => Tensor {
  const kernel = exprKernel(spec.expr);
  const { deriv } = spec;
  const prim: Primitive<null> = definePrimitive({
    name: spec.name,
    impl([x]) {
      const o = allocUninit(x.dtype, x.size);
      kernel(x._data!, o, x.size);
      return Tensor._of(o, x.shape);
    },
    // a tangent [...batch, ...x.shape] broadcasts against dy/dx from the right
    ...(deriv && {
      jvp: ([x], [t], out) => mul(t!, deriv(x, out)),
      vjp: (g, [x], out) => [mul(g, deriv(x, out))],
    }),
    batch: (xs, bds, p) => unaryBatch(prim, xs, bds, p),
  });
  const field = `${spec.name}.x`;
  return (x: TensorLike) => bind(prim, [lift(x, "float64", field)], null);
}
