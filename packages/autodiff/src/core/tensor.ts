// The Tensor class. A Tensor is either concrete (owns a contiguous row-major typed array) or a
// box of one active transform: a forward box carries (primal, tangent), a reverse box carries
// (primal, tape node). Boxes nest: a box's primal may itself be a box of an outer transform, which
// is what makes every order of differentiation work (see core/bind.ts).
import { AutodiffInputError, EscapedTensorError } from "../errors.js";
import type { Data } from "../kernels/types.js";
import * as ops from "../ops/index.js";
import { noteBox, noteTensor, POOL_MIN_LENGTH } from "./pool.js";
import type { Shape } from "./shape.js";

export type DType = "float64" | "float32";
export type NestedArray = number | NestedArray[];
export type TensorLike = Tensor | number;

/** One active transform. Levels grow with nesting, so the innermost transform has the highest level. */
export interface Trace {
  readonly level: number;
  readonly kind: "fwd" | "rev" | "batch";
  /** Forward traces: number of leading batch dims carried by every tangent; batch traces (vmap): the mapped axis size. */
  readonly nb: number;
}

/** A reverse-mode tape entry: the inputs and the pullback (aligned with `parents`, null = no gradient). */
export interface RevNode {
  readonly parents: readonly Tensor[];
  readonly vjp: (g: Tensor) => readonly (Tensor | null)[];
}

/** An n-dimensional array, Float64 by default, differentiable by every transform in this package. */
export class Tensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly size: number;
  /** @internal contiguous data of a concrete tensor (null for boxes) */
  readonly _data: Data | null;
  /** @internal the transform this box belongs to (null when concrete) */
  readonly _trace: Trace | null;
  /** @internal the value one level down */
  readonly _primal: Tensor | null;
  /** @internal forward tangent, shape [...batch, ...shape]; null means zero */
  readonly _tangent: Tensor | null;
  /** @internal reverse tape node; null for a leaf */
  readonly _node: RevNode | null;
  /** @internal batch (vmap) boxes: the axis of `_primal` that is mapped over; −1 otherwise */
  readonly _bdim: number;

  /** @internal use `tensor()` or the creation functions. */
  constructor(
    shape: Shape,
    dtype: DType,
    data: Data | null,
    trace: Trace | null = null,
    primal: Tensor | null = null,
    tangent: Tensor | null = null,
    node: RevNode | null = null,
    bdim = -1,
  ) {
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    let n = 1;
    for (const d of shape) n *= d;
    this.size = n;
    this._data = data;
    this._trace = trace;
    this._primal = primal;
    this._tangent = tangent;
    this._node = node;
    this._bdim = bdim;
    if (data !== null && data.length >= POOL_MIN_LENGTH) noteTensor(this);
  }

  /** @internal wraps a concrete array. */
  static _of(data: Data, shape: Shape): Tensor {
    return new Tensor(shape, data instanceof Float32Array ? "float32" : "float64", data);
  }

  /** @internal boxes `primal` at `trace`. */
  static _box(trace: Trace, primal: Tensor, tangent: Tensor | null, node: RevNode | null): Tensor {
    noteBox(trace.level); // a transform may now hold tensors of a running pass (core/pool.ts)
    return new Tensor(primal.shape, primal.dtype, null, trace, primal, tangent, node);
  }

  /** @internal boxes `value` at a batch trace: the box is one example, `value` has the mapped axis at `bdim`. */
  static _boxBatch(trace: Trace, value: Tensor, bdim: number): Tensor {
    noteBox(trace.level);
    const shape = value.shape.filter((_d, i) => i !== bdim);
    return new Tensor(shape, value.dtype, null, trace, value, null, null, bdim);
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** @internal the concrete tensor under all boxes. */
  _concrete(): Tensor {
    let t: Tensor = this;
    while (t._primal) t = t._primal;
    return t;
  }

  /** @internal the concrete data under all boxes (not a copy; do not mutate). */
  _raw(): Data {
    const d = this._concrete()._data;
    if (d === null) throw new EscapedTensorError();
    return d;
  }

  /** A row-major Float64 copy of the values. */
  toFloat64Array(): Float64Array {
    return Float64Array.from(this._raw());
  }

  /** Nested JS arrays (a plain number for a 0-d tensor). */
  toArray(): NestedArray {
    const d = this._raw();
    const shape = this.shape;
    const build = (axis: number, off: number, stride: number): NestedArray => {
      if (axis === shape.length) return d[off];
      const s = stride / shape[axis];
      const out: NestedArray[] = [];
      for (let i = 0; i < shape[axis]; i++) out.push(build(axis + 1, off + i * s, s));
      return out;
    };
    return build(0, 0, this.size);
  }

  /** The single value of a size-1 tensor. */
  item(): number {
    if (this.size !== 1) throw new AutodiffInputError("item", "a tensor of size 1", [...this.shape]);
    return this._raw()[0];
  }

  toString(): string {
    return `Tensor(${JSON.stringify(this.toArray())}, shape=[${this.shape.join(",")}], ${this.dtype})`;
  }

  add(y: TensorLike): Tensor {
    return ops.add(this, y);
  }
  sub(y: TensorLike): Tensor {
    return ops.sub(this, y);
  }
  mul(y: TensorLike): Tensor {
    return ops.mul(this, y);
  }
  div(y: TensorLike): Tensor {
    return ops.div(this, y);
  }
  pow(y: TensorLike): Tensor {
    return ops.pow(this, y);
  }
  maximum(y: TensorLike): Tensor {
    return ops.maximum(this, y);
  }
  minimum(y: TensorLike): Tensor {
    return ops.minimum(this, y);
  }
  greater(y: TensorLike): Tensor {
    return ops.greater(this, y);
  }
  less(y: TensorLike): Tensor {
    return ops.less(this, y);
  }
  equal(y: TensorLike): Tensor {
    return ops.equal(this, y);
  }
  neg(): Tensor {
    return ops.neg(this);
  }
  square(): Tensor {
    return ops.square(this);
  }
  exp(): Tensor {
    return ops.exp(this);
  }
  log(): Tensor {
    return ops.log(this);
  }
  sqrt(): Tensor {
    return ops.sqrt(this);
  }
  abs(): Tensor {
    return ops.abs(this);
  }
  sin(): Tensor {
    return ops.sin(this);
  }
  cos(): Tensor {
    return ops.cos(this);
  }
  tanh(): Tensor {
    return ops.tanh(this);
  }
  sigmoid(): Tensor {
    return ops.sigmoid(this);
  }
  relu(): Tensor {
    return ops.relu(this);
  }
  gelu(): Tensor {
    return ops.gelu(this);
  }
  softplus(): Tensor {
    return ops.softplus(this);
  }
  sum(axes?: number | number[], keepdims = false): Tensor {
    return ops.sum(this, axes, keepdims);
  }
  mean(axes?: number | number[], keepdims = false): Tensor {
    return ops.mean(this, axes, keepdims);
  }
  max(axes?: number | number[], keepdims = false): Tensor {
    return ops.max(this, axes, keepdims);
  }
  min(axes?: number | number[], keepdims = false): Tensor {
    return ops.min(this, axes, keepdims);
  }
  logsumexp(axes?: number | number[], keepdims = false): Tensor {
    return ops.logsumexp(this, axes, keepdims);
  }
  softmax(axis = -1): Tensor {
    return ops.softmax(this, axis);
  }
  logSoftmax(axis = -1): Tensor {
    return ops.logSoftmax(this, axis);
  }
  matmul(y: Tensor): Tensor {
    return ops.matmul(this, y);
  }
  reshape(shape: readonly number[]): Tensor {
    return ops.reshape(this, shape);
  }
  transpose(perm?: readonly number[]): Tensor {
    return ops.transpose(this, perm);
  }
  broadcastTo(shape: readonly number[]): Tensor {
    return ops.broadcastTo(this, shape);
  }
  slice(starts: readonly number[], ends: readonly number[]): Tensor {
    return ops.slice(this, starts, ends);
  }
  gather(indices: Int32Array | readonly number[], axis = 0): Tensor {
    return ops.gather(this, indices, axis);
  }
  scatterAdd(indices: Int32Array | readonly number[], axis: number, size: number): Tensor {
    return ops.scatterAdd(this, indices, axis, size);
  }
  det(): Tensor {
    return ops.det(this);
  }
  logdet(): Tensor {
    return ops.logdet(this);
  }
  inverse(): Tensor {
    return ops.inverse(this);
  }
  solve(b: Tensor): Tensor {
    return ops.solve(this, b);
  }
  cholesky(): Tensor {
    return ops.cholesky(this);
  }
}
