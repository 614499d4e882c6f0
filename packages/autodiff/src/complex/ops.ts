// Complex elementwise arithmetic, exp/log/powers and the matrix product, each written in the real
// ops of the package on the (re, im) parts. Operands mix freely with real tensors and numbers and
// broadcast as NumPy does; a real operand costs no work for its zero imaginary part.
import { broadcastShapes, sameShape } from "../core/shape.js";
import { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import * as R from "../ops/elementwise.js";
import { matmul as rmatmul } from "../ops/matmul.js";
import { broadcastTo } from "../ops/shape.js";
import { atan2 } from "./atan2.js";
import { type ComplexLike, ComplexTensor, toComplex } from "./tensor.js";

/** The broadcast shape of two shapes. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  return broadcastShapes(a, b, "complex");
}

/** A complex tensor whose parts may still differ in shape (broadcast to one). */
function make(re: Tensor, im: Tensor): ComplexTensor {
  if (sameShape(re.shape, im.shape)) return new ComplexTensor(re, im);
  const s = broadcastShape(re.shape, im.shape);
  return new ComplexTensor(broadcastTo(re, s), broadcastTo(im, s));
}

type Real = Tensor | number;
function isReal(x: ComplexLike): x is Real {
  return x instanceof Tensor || typeof x === "number";
}
function check(x: ComplexLike, field: string): void {
  if (!(x instanceof ComplexTensor) && !isReal(x))
    throw new AutodiffInputError(field, "a ComplexTensor, a Tensor or a number", typeof x);
}

/** The real part (a Tensor). */
export function real(z: ComplexLike): Tensor {
  const c = toComplex(z, "real.z");
  return c.re;
}

/** The imaginary part (a Tensor; zeros for a real operand). */
export function imag(z: ComplexLike): Tensor {
  return toComplex(z, "imag.z").im;
}

export function add(a: ComplexLike, b: ComplexLike): ComplexTensor {
  check(a, "add.a");
  check(b, "add.b");
  if (isReal(b)) return isReal(a) ? toComplex(R.add(a, b)) : make(R.add(a.re, b), a.im);
  if (isReal(a)) return make(R.add(a, b.re), b.im);
  return make(R.add(a.re, b.re), R.add(a.im, b.im));
}

export function sub(a: ComplexLike, b: ComplexLike): ComplexTensor {
  check(a, "sub.a");
  check(b, "sub.b");
  if (isReal(b)) return isReal(a) ? toComplex(R.sub(a, b)) : make(R.sub(a.re, b), a.im);
  if (isReal(a)) return make(R.sub(a, b.re), R.neg(b.im));
  return make(R.sub(a.re, b.re), R.sub(a.im, b.im));
}

/** (a + ib)(c + id) = (ac − bd) + i(ad + bc); a real factor scales both parts. */
export function mul(a: ComplexLike, b: ComplexLike): ComplexTensor {
  check(a, "mul.a");
  check(b, "mul.b");
  if (isReal(b)) return isReal(a) ? toComplex(R.mul(a, b)) : make(R.mul(a.re, b), R.mul(a.im, b));
  if (isReal(a)) return make(R.mul(a, b.re), R.mul(a, b.im));
  return make(R.sub(R.mul(a.re, b.re), R.mul(a.im, b.im)), R.add(R.mul(a.re, b.im), R.mul(a.im, b.re)));
}

/** a / b = a·b̄ / |b|² (no rescaling: |b|² must not overflow, i.e. |b| < 1e154). */
export function div(a: ComplexLike, b: ComplexLike): ComplexTensor {
  check(a, "div.a");
  check(b, "div.b");
  if (isReal(b)) return isReal(a) ? toComplex(R.div(a, b)) : make(R.div(a.re, b), R.div(a.im, b));
  const d = abs2(b);
  if (isReal(a)) return make(R.div(R.mul(a, b.re), d), R.neg(R.div(R.mul(a, b.im), d)));
  return make(
    R.div(R.add(R.mul(a.re, b.re), R.mul(a.im, b.im)), d),
    R.div(R.sub(R.mul(a.im, b.re), R.mul(a.re, b.im)), d),
  );
}

export function neg(z: ComplexLike): ComplexTensor {
  const c = toComplex(z, "neg.z");
  return new ComplexTensor(R.neg(c.re), R.neg(c.im));
}

/** The complex conjugate re − i·im. */
export function conj(z: ComplexLike): ComplexTensor {
  const c = toComplex(z, "conj.z");
  return new ComplexTensor(c.re, R.neg(c.im));
}

/** 1/z. */
export function reciprocal(z: ComplexLike): ComplexTensor {
  return div(1, z);
}

/** |z|² = re² + im² (smooth everywhere, unlike |z|). */
export function abs2(z: ComplexLike): Tensor {
  const c = toComplex(z, "abs2.z");
  return R.add(R.mul(c.re, c.re), R.mul(c.im, c.im));
}

/** |z| = √(re² + im²). Its derivative at z = 0 is NaN (the direction of z is undefined there). */
export function abs(z: ComplexLike): Tensor {
  return R.sqrt(abs2(z));
}

/** The argument atan2(im, re) in (−π, π]. */
export function angle(z: ComplexLike): Tensor {
  const c = toComplex(z, "angle.z");
  return atan2(c.im, c.re);
}

/** e^z = e^re (cos im + i sin im). */
export function exp(z: ComplexLike): ComplexTensor {
  const c = toComplex(z, "exp.z");
  const e = R.exp(c.re);
  return new ComplexTensor(R.mul(e, R.cos(c.im)), R.mul(e, R.sin(c.im)));
}

/** Principal logarithm ½·log|z|² + i·angle(z), cut along the negative real axis. */
export function log(z: ComplexLike): ComplexTensor {
  const c = toComplex(z, "log.z");
  return new ComplexTensor(R.mul(R.log(abs2(c)), 0.5), angle(c));
}

/** Principal square root √|z|·e^{i·angle(z)/2}, cut along the negative real axis. */
export function sqrt(z: ComplexLike): ComplexTensor {
  const c = toComplex(z, "sqrt.z");
  const r = R.sqrt(abs(c));
  const h = R.mul(angle(c), 0.5);
  return new ComplexTensor(R.mul(r, R.cos(h)), R.mul(r, R.sin(h)));
}

/** z^n for an integer n by repeated squaring (exact at z = 0 for n ≥ 0; z⁰ = 1). */
function intPow(c: ComplexTensor, n: number): ComplexTensor {
  if (n < 0) return reciprocal(intPow(c, -n));
  let result: ComplexTensor | null = null;
  let base = c;
  for (let k = n; k > 0; k >>= 1) {
    if (k & 1) result = result === null ? base : mul(result, base);
    if (k > 1) base = mul(base, base);
  }
  return result ?? make(R.add(R.mul(c.re, 0), 1), R.mul(c.im, 0));
}

/**
 * z^w. An integer `w` given as a number uses repeated multiplication (holomorphic everywhere);
 * any other exponent (real or complex, tensor or number) is the principal branch exp(w·log z).
 */
export function pow(z: ComplexLike, w: ComplexLike): ComplexTensor {
  check(w, "pow.w");
  const c = toComplex(z, "pow.z");
  if (typeof w === "number" && Number.isInteger(w) && Math.abs(w) <= 2 ** 31) return intPow(c, w);
  return exp(mul(w, log(c)));
}

/**
 * Batched matrix product with the broadcasting of the real `matmul`. Complex × complex takes four
 * real products (not three, as Gauss's trick would: its sums lose accuracy when re and im
 * differ in size); a real operand takes two.
 */
export function matmul(a: ComplexTensor | Tensor, b: ComplexTensor | Tensor): ComplexTensor {
  check(a, "matmul.a");
  check(b, "matmul.b");
  if (b instanceof Tensor) {
    if (a instanceof Tensor) return toComplex(rmatmul(a, b));
    return new ComplexTensor(rmatmul(a.re, b), rmatmul(a.im, b));
  }
  if (a instanceof Tensor) return new ComplexTensor(rmatmul(a, b.re), rmatmul(a, b.im));
  return new ComplexTensor(
    R.sub(rmatmul(a.re, b.re), rmatmul(a.im, b.im)),
    R.add(rmatmul(a.re, b.im), rmatmul(a.im, b.re)),
  );
}
