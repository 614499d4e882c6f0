// Helpers shared by derivative rules: lifting numbers, aligning batched tangents, un-broadcasting.
import { scalar } from "../core/create.js";
import { type Shape, sameShape } from "../core/shape.js";
import type { DType, TensorLike } from "../core/tensor.js";
import { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { add, neg } from "./elementwise.js";
import { sum } from "./reduce.js";
import { broadcastTo, reshape } from "./shape.js";

/** float32 only when every tensor operand is float32; plain numbers follow the tensors. */
export function resultDtype(xs: readonly TensorLike[]): DType {
  let any = false;
  for (const x of xs) {
    if (x instanceof Tensor) {
      if (x.dtype === "float64") return "float64";
      any = true;
    }
  }
  return any ? "float32" : "float64";
}

export function lift(x: TensorLike, dtype: DType, field: string): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x !== "number") throw new AutodiffInputError(field, "a Tensor or a number", typeof x);
  return scalar(x, dtype);
}

/** A tangent of an input of rank `k` viewed in an output of rank `n`: insert n−k unit dims after the batch dims. */
export function alignT(t: Tensor, k: number, n: number, nb: number): Tensor {
  if (k >= n) return t;
  const s = t.shape;
  return reshape(t, [...s.slice(0, nb), ...new Array<number>(n - k).fill(1), ...s.slice(nb)]);
}

/** Broadcasts a tangent to the full batched output shape [...batch, ...outShape]. */
export function fitT(t: Tensor | null, outShape: Shape, nb: number): Tensor | null {
  if (t === null) return null;
  const aligned = alignT(t, t.ndim - nb, outShape.length, nb);
  const target = [...aligned.shape.slice(0, nb), ...outShape];
  return sameShape(aligned.shape, target) ? aligned : broadcastTo(aligned, target);
}

export function addT(a: Tensor | null, b: Tensor | null): Tensor | null {
  if (a === null) return b;
  if (b === null) return a;
  return add(a, b);
}

export function negT(a: Tensor | null): Tensor | null {
  return a === null ? null : neg(a);
}

/** Sums a broadcast cotangent back to `shape` (the adjoint of broadcasting). */
export function sumTo(g: Tensor, shape: Shape): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const r = axes.length ? sum(g, axes, true) : g;
  return reshape(r, shape);
}
