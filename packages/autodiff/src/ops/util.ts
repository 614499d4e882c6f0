// Helpers shared by derivative rules: lifting numbers, aligning batched tangents, un-broadcasting.
import { allocUninit, scalar } from "../core/create.js";
import { broadcastShapes, type Shape, sameShape } from "../core/shape.js";
import type { DType, TensorLike } from "../core/tensor.js";
import { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { mulSumKernel } from "../kernels/mul-sum.js";
import type { Data, FactorKind } from "../kernels/types.js";
import { add, mul, neg } from "./elementwise.js";
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

/**
 * sumTo(x0·x1·…, shape) with the products taken left to right. When every operand is concrete
 * (no transform is watching) Float64 and the sum runs over leading axes only, one fused pass
 * (kernels/mul-sum.ts, identical bits) replaces the full-size product; otherwise the ops run as
 * written, so every transform sees and differentiates them.
 */
export function mulTo(xs: readonly TensorLike[], shape: Shape): Tensor {
  const fused = fusedMulSum(xs, shape);
  if (fused !== null) return fused;
  let p = lift(xs[0], resultDtype(xs), "mulTo");
  for (let k = 1; k < xs.length; k++) p = mul(p, xs[k]);
  return sumTo(p, shape);
}

/** The fused path of mulTo, or null where it does not apply (exported for tests). */
export function fusedMulSum(xs: readonly TensorLike[], shape: Shape): Tensor | null {
  let full: number[] = [];
  for (const x of xs) {
    if (typeof x === "number") continue;
    if (x._trace !== null || x.dtype !== "float64") return null;
    full = broadcastShapes(full, x.shape, "mulTo");
  }
  // sumTo reduces the leading axes and the dims that are 1 in `shape`: fused only when those
  // come before every kept dim (ignoring dims of size 1), i.e. the sum is over leading rows
  const lead = full.length - shape.length;
  if (lead < 0) return null;
  let R = 1;
  let C = 1;
  const reduced = full.map((_d, i) => i < lead || shape[i - lead] === 1);
  for (let i = 0; i < full.length; i++) {
    if (full[i] === 1) continue;
    if (!reduced[i]) C *= full[i];
    else if (C > 1) return null;
    else R *= full[i];
  }
  if (R < 2 || C < 2) return null;
  const kinds: FactorKind[] = [];
  const data: Data[] = [];
  for (const x of xs) {
    if (typeof x === "number" || x.size === 1) {
      kinds.push("K");
      data.push(typeof x === "number" ? Float64Array.of(x) : x._data!);
      continue;
    }
    if (x.size !== R * C) {
      // one row, the same for every r: every reduced dim of x (aligned right) is 1
      const off = full.length - x.ndim;
      for (let i = off; i < full.length; i++) if (reduced[i] && x.shape[i - off] !== 1) return null;
    }
    kinds.push(x.size === R * C ? "F" : "S");
    data.push(x._data!);
  }
  const o = allocUninit("float64", C);
  mulSumKernel(data, kinds, R, C, o);
  return Tensor._of(o, shape);
}
