// Reductions (sum, max primitives) and the ops composed from them: mean, min, logsumexp,
// softmax, logSoftmax.
import { bind, type Primitive } from "../core/bind.js";
import { alloc } from "../core/create.js";
import { definePrimitive } from "../core/registry.js";
import { normAxes, normAxis, reducedShape } from "../core/shape.js";
import { Tensor } from "../core/tensor.js";
import { reduceKernel } from "../kernels/reduce.js";
import { toFront } from "./batching.js";
import { add, div, equal, exp, log, mul, neg, sub } from "./elementwise.js";
import { broadcastTo, reshape, stopGradient } from "./shape.js";

interface RedP {
  axes: number[];
  keepdims: boolean;
}

function reduceImpl(kind: "sum" | "max") {
  return ([x]: readonly Tensor[], p: RedP): Tensor => {
    const shape = reducedShape(x.shape, p.axes, p.keepdims);
    const o = alloc(
      x.dtype,
      shape.reduce((a, b) => a * b, 1),
    );
    reduceKernel(kind, x._data!, x.shape, p.axes, o);
    return Tensor._of(o, shape);
  };
}

const shift = (axes: number[], nb: number) => axes.map((a) => a + nb);
/** The cotangent `g` of a reduction reshaped so it broadcasts against the input. */
const keep = (g: Tensor, x: Tensor, p: RedP) =>
  p.keepdims ? g : reshape(g, reducedShape(x.shape, p.axes, true));

const P_SUM: Primitive<RedP> = definePrimitive({
  name: "sum",
  impl: reduceImpl("sum"),
  jvp: (_x, [t], _o, p, nb) => sum(t!, shift(p.axes, nb), p.keepdims),
  vjp: (g, [x], _o, p) => [broadcastTo(keep(g, x, p), x.shape)],
  batch: ([x], [bd], p) => [bind(P_SUM, [toFront(x, bd!)], { ...p, axes: shift(p.axes, 1) }), 0],
});

// The derivative of max flows to the arg-max entries, split evenly between ties.
function maxMask(x: Tensor, out: Tensor, p: RedP): [Tensor, Tensor] {
  const m = equal(x, keep(out, x, p));
  return [m, sum(m, p.axes, true)];
}
const P_MAX: Primitive<RedP> = definePrimitive({
  name: "max",
  impl: reduceImpl("max"),
  jvp: ([x], [t], out, p, nb) => {
    const [m, cnt] = maxMask(x, out, p);
    return sum(mul(t!, div(m, cnt)), shift(p.axes, nb), p.keepdims);
  },
  vjp: (g, [x], out, p) => {
    const [m, cnt] = maxMask(x, out, p);
    return [mul(div(keep(g, x, p), cnt), m)];
  },
  batch: ([x], [bd], p) => [bind(P_MAX, [toFront(x, bd!)], { ...p, axes: shift(p.axes, 1) }), 0],
});

/** Sum over `axes` (default: all). */
export function sum(x: Tensor, axes?: number | readonly number[], keepdims = false): Tensor {
  const ax = normAxes(axes, x.ndim, "sum.axes");
  if (ax.length === 0) return x;
  return bind(P_SUM, [x], { axes: ax, keepdims });
}

/** Maximum over `axes` (default: all); the gradient is shared evenly between tied maxima. */
export function max(x: Tensor, axes?: number | readonly number[], keepdims = false): Tensor {
  const ax = normAxes(axes, x.ndim, "max.axes");
  if (ax.length === 0) return x;
  return bind(P_MAX, [x], { axes: ax, keepdims });
}

export function min(x: Tensor, axes?: number | readonly number[], keepdims = false): Tensor {
  return neg(max(neg(x), axes, keepdims));
}

export function mean(x: Tensor, axes?: number | readonly number[], keepdims = false): Tensor {
  const ax = normAxes(axes, x.ndim, "mean.axes");
  let n = 1;
  for (const a of ax) n *= x.shape[a];
  return div(sum(x, ax, keepdims), n);
}

/**
 * log Σ exp(x) over `axes`, shifted by the (gradient-stopped) maximum for stability; the shift
 * cancels exactly, so every derivative order is that of the unshifted formula.
 */
export function logsumexp(x: Tensor, axes?: number | readonly number[], keepdims = false): Tensor {
  const ax = normAxes(axes, x.ndim, "logsumexp.axes");
  const m = stopGradient(max(x, ax, true));
  const r = log(sum(exp(sub(x, m)), ax, true));
  const out = add(r, m);
  return keepdims ? out : reshape(out, reducedShape(x.shape, ax, false));
}

export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const a = normAxis(axis, x.ndim, "logSoftmax.axis");
  return sub(x, logsumexp(x, [a], true));
}

export function softmax(x: Tensor, axis = -1): Tensor {
  return exp(logSoftmax(x, axis));
}
