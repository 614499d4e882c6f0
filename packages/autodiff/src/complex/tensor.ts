// The complex128 tensor: split storage, a pair (re, im) of float64 Tensors of one shape. Every
// complex op is written in differentiable real ops on the two parts, so each transform of the
// package (jvp, vjp, grad, hessian, perSample*) sees real tensors and differentiates them to any
// order without complex rules of its own. The JAX conventions for complex inputs and outputs are
// applied only at the boundary, in complex/transforms.ts.
import { tensor } from "../core/create.js";
import { sameShape } from "../core/shape.js";
import type { NestedArray } from "../core/tensor.js";
import { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { cos, mul, sin } from "../ops/elementwise.js";
import { broadcastTo } from "../ops/shape.js";
import * as ops from "./ops.js";
import * as sh from "./shape.js";

/** A complex operand: a complex tensor, a real tensor (imaginary part 0) or a real number. */
export type ComplexLike = ComplexTensor | Tensor | number;

/** Real data accepted by the constructors (as `tensor()` takes it). */
export type RealData = Tensor | number | NestedArray | Float64Array | readonly number[];

/** A complex128 tensor: `re` and `im` are float64 Tensors of the same shape (possibly transform boxes). */
export class ComplexTensor {
  readonly dtype = "complex128" as const;
  readonly re: Tensor;
  readonly im: Tensor;

  /** Use `complex(re, im)` or `polar(r, theta)`; this checks that both parts are float64 of one shape. */
  constructor(re: Tensor, im: Tensor) {
    if (!(re instanceof Tensor) || !(im instanceof Tensor))
      throw new AutodiffInputError("ComplexTensor", "two Tensors (re, im)", typeof re);
    if (re.dtype !== "float64" || im.dtype !== "float64")
      throw new AutodiffInputError("ComplexTensor", "float64 parts (complex128)", `${re.dtype}/${im.dtype}`);
    if (!sameShape(re.shape, im.shape))
      throw new AutodiffInputError("ComplexTensor.im", `shape [${re.shape.join(",")}] like re`, [
        ...im.shape,
      ]);
    this.re = re;
    this.im = im;
  }

  get shape(): readonly number[] {
    return this.re.shape;
  }
  get size(): number {
    return this.re.size;
  }
  get ndim(): number {
    return this.re.ndim;
  }

  /** `{ re, im }` as nested JS arrays (plain numbers for a 0-d tensor). */
  toArray(): { re: NestedArray; im: NestedArray } {
    return { re: this.re.toArray(), im: this.im.toArray() };
  }

  /** The single value of a size-1 tensor. */
  item(): { re: number; im: number } {
    return { re: this.re.item(), im: this.im.item() };
  }

  toString(): string {
    return `ComplexTensor(re=${JSON.stringify(this.re.toArray())}, im=${JSON.stringify(this.im.toArray())}, shape=[${this.shape.join(",")}])`;
  }

  add(y: ComplexLike): ComplexTensor {
    return ops.add(this, y);
  }
  sub(y: ComplexLike): ComplexTensor {
    return ops.sub(this, y);
  }
  mul(y: ComplexLike): ComplexTensor {
    return ops.mul(this, y);
  }
  div(y: ComplexLike): ComplexTensor {
    return ops.div(this, y);
  }
  pow(y: ComplexLike): ComplexTensor {
    return ops.pow(this, y);
  }
  neg(): ComplexTensor {
    return ops.neg(this);
  }
  conj(): ComplexTensor {
    return ops.conj(this);
  }
  abs(): Tensor {
    return ops.abs(this);
  }
  abs2(): Tensor {
    return ops.abs2(this);
  }
  angle(): Tensor {
    return ops.angle(this);
  }
  exp(): ComplexTensor {
    return ops.exp(this);
  }
  log(): ComplexTensor {
    return ops.log(this);
  }
  sqrt(): ComplexTensor {
    return ops.sqrt(this);
  }
  matmul(y: ComplexTensor | Tensor): ComplexTensor {
    return ops.matmul(this, y);
  }
  sum(axes?: number | number[], keepdims = false): ComplexTensor {
    return sh.sum(this, axes, keepdims);
  }
  mean(axes?: number | number[], keepdims = false): ComplexTensor {
    return sh.mean(this, axes, keepdims);
  }
  reshape(shape: readonly number[]): ComplexTensor {
    return sh.reshape(this, shape);
  }
  transpose(perm?: readonly number[]): ComplexTensor {
    return sh.transpose(this, perm);
  }
  /** Swaps the last two axes. */
  mT(): ComplexTensor {
    return sh.mT(this);
  }
  /** Conjugate transpose of the last two axes. */
  mH(): ComplexTensor {
    return sh.mH(this);
  }
}

/** True for a ComplexTensor. */
export function isComplex(x: unknown): x is ComplexTensor {
  return x instanceof ComplexTensor;
}

function asReal(x: RealData, field: string): Tensor {
  if (x instanceof Tensor) {
    if (x.dtype !== "float64") throw new AutodiffInputError(field, "a float64 tensor", x.dtype);
    return x;
  }
  try {
    return tensor(x as NestedArray);
  } catch (e) {
    if (e instanceof AutodiffInputError) throw new AutodiffInputError(field, e.allowed, e.received);
    throw e;
  }
}

/** Makes both parts one shape (NumPy broadcasting). */
function paired(re: Tensor, im: Tensor): ComplexTensor {
  if (sameShape(re.shape, im.shape)) return new ComplexTensor(re, im);
  const shape = ops.broadcastShape(re.shape, im.shape);
  return new ComplexTensor(broadcastTo(re, shape), broadcastTo(im, shape));
}

/**
 * A complex tensor from its real and imaginary parts (tensors, numbers or nested arrays; the two
 * broadcast against each other). Without `im` the imaginary part is 0. Tensors are used as they
 * are (boxes of a transform stay differentiable); other data is copied.
 */
export function complex(re: RealData, im: RealData = 0): ComplexTensor {
  return paired(asReal(re, "complex.re"), asReal(im, "complex.im"));
}

/** r·e^{iθ} = (r cos θ, r sin θ), broadcasting r against θ. */
export function polar(r: RealData, theta: RealData): ComplexTensor {
  const R = asReal(r, "polar.r");
  const T = asReal(theta, "polar.theta");
  return paired(mul(R, cos(T)), mul(R, sin(T)));
}

/** Lifts a complex operand: real tensors and numbers get a zero imaginary part. */
export function toComplex(x: ComplexLike, field = "x"): ComplexTensor {
  if (x instanceof ComplexTensor) return x;
  if (x instanceof Tensor || typeof x === "number") return complex(x, 0);
  throw new AutodiffInputError(field, "a ComplexTensor, a Tensor or a number", typeof x);
}
