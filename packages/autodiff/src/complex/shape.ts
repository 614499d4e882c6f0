// Movement ops and reductions of complex tensors: the real op applied to both parts.
import type { Tensor } from "../core/tensor.js";
import { rows } from "../linalg/common.js";
import { mul } from "../ops/elementwise.js";
import { gather as rgather } from "../ops/indexing.js";
import { mean as rmean, sum as rsum } from "../ops/reduce.js";
import * as S from "../ops/shape.js";
import { type ComplexLike, ComplexTensor, toComplex } from "./tensor.js";

const both = (z: ComplexLike, f: (t: Tensor) => Tensor, field: string): ComplexTensor => {
  const c = toComplex(z, field);
  return new ComplexTensor(f(c.re), f(c.im));
};

export function reshape(z: ComplexLike, shape: readonly number[]): ComplexTensor {
  return both(z, (t) => S.reshape(t, shape), "reshape.z");
}

/** Permutes axes (default: reverses them); no conjugation. */
export function transpose(z: ComplexLike, perm?: readonly number[]): ComplexTensor {
  return both(z, (t) => S.transpose(t, perm), "transpose.z");
}

/** Swaps the last two axes (no conjugation). */
export function mT(z: ComplexLike): ComplexTensor {
  return both(z, S.mT, "mT.z");
}

/** Conjugate transpose of the last two axes, Aᴴ. */
export function mH(z: ComplexLike): ComplexTensor {
  const c = toComplex(z, "mH.z");
  return new ComplexTensor(S.mT(c.re), mul(S.mT(c.im), -1));
}

export function broadcastTo(z: ComplexLike, shape: readonly number[]): ComplexTensor {
  return both(z, (t) => S.broadcastTo(t, shape), "broadcastTo.z");
}

export function slice(z: ComplexLike, starts: readonly number[], ends: readonly number[]): ComplexTensor {
  return both(z, (t) => S.slice(t, starts, ends), "slice.z");
}

/** Rows [r0, r1) of the last-but-one axis (the factors a stacked decomposition computes together). */
export function rowsOf(z: ComplexLike, r0: number, r1: number): ComplexTensor {
  return both(z, (t) => rows(t, r0, r1), "rowsOf.z");
}

export function expandDims(z: ComplexLike, axis: number): ComplexTensor {
  return both(z, (t) => S.expandDims(t, axis), "expandDims.z");
}

export function squeeze(z: ComplexLike, axes?: number | readonly number[]): ComplexTensor {
  return both(z, (t) => S.squeeze(t, axes), "squeeze.z");
}

export function flatten(z: ComplexLike): ComplexTensor {
  return both(z, S.flatten, "flatten.z");
}

/** A join of real tensors (concat, stack) applied to the real parts and to the imaginary parts. */
function joined(
  zs: readonly ComplexLike[],
  join: (ts: readonly Tensor[], axis: number) => Tensor,
  axis: number,
  field: string,
): ComplexTensor {
  const cs = zs.map((z, i) => toComplex(z, `${field}[${i}]`));
  const re = cs.map((c) => c.re);
  const im = cs.map((c) => c.im);
  return new ComplexTensor(join(re, axis), join(im, axis));
}

export function concat(zs: readonly ComplexLike[], axis = 0): ComplexTensor {
  return joined(zs, S.concat, axis, "concat.zs");
}

export function stack(zs: readonly ComplexLike[], axis = 0): ComplexTensor {
  return joined(zs, S.stack, axis, "stack.zs");
}

/** The value with every transform removed (a constant to all derivatives). */
export function stopGradient(z: ComplexLike): ComplexTensor {
  return both(z, S.stopGradient, "stopGradient.z");
}

/** Sum over `axes` (default: all). */
export function sum(z: ComplexLike, axes?: number | readonly number[], keepdims = false): ComplexTensor {
  return both(z, (t) => rsum(t, axes, keepdims), "sum.z");
}

/** Mean over `axes` (default: all). */
export function mean(z: ComplexLike, axes?: number | readonly number[], keepdims = false): ComplexTensor {
  return both(z, (t) => rmean(t, axes, keepdims), "mean.z");
}

/** Takes entries `indices` along `axis` (e.g. coordinates into monomials). */
export function gather(z: ComplexLike, indices: Int32Array | readonly number[], axis = 0): ComplexTensor {
  return both(z, (t) => rgather(t, indices, axis), "gather.z");
}
