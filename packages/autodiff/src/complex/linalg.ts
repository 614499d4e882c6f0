// Batched complex linear algebra (…, n, n), any n. Two primitives evaluate with a complex
// LU (complex/kernel.ts): the inverse, and (log|det|, arg det). Their rules are complex-linear
// maps written in complex ops, hence in real ops, so they differentiate again:
//   d(A⁻¹) = −A⁻¹ dA A⁻¹                 (adjoint: Ḡ ↦ −A⁻ᴴ Ḡ A⁻ᴴ)
//   d log det A = tr(A⁻¹ dA) = d log|det A| + i·d arg det A   (adjoint: c ↦ c·A⁻ᴴ)
// The adjoints are taken for the real inner product Re tr(Gᴴ·) of the (re, im) pairs, i.e. the
// transposes of the real maps; the JAX conjugation happens only in complex/transforms.ts.
// Everything else (det, solve, trace, powers, commutators) is composed.
import { bind, type Primitive } from "../core/bind.js";
import { alloc } from "../core/create.js";
import { definePrimitive } from "../core/registry.js";
import { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { leadingBatch } from "../ops/batching.js";
import { add, cos, mul, neg, exp as rexp, sin, sub } from "../ops/elementwise.js";
import { trace as rtrace } from "../ops/linalg.js";
import { sum } from "../ops/reduce.js";
import { concat, expandDims, reshape, slice, stack } from "../ops/shape.js";
import { complexLu } from "./kernel.js";
import { matmul } from "./ops.js";
import { mH } from "./shape.js";
import { type ComplexLike, ComplexTensor, toComplex } from "./tensor.js";

/** `z` as a complex tensor, checked to be a batch of square n×n matrices; returns it and n. */
export function checkSquare(z: ComplexLike, field: string): [ComplexTensor, number] {
  const c = toComplex(z, field);
  const n = c.shape[c.ndim - 1];
  if (c.ndim < 2 || c.shape[c.ndim - 2] !== n || n < 1) {
    throw new AutodiffInputError(field, "a batch of square n×n matrices with n >= 1", [...c.shape]);
  }
  return [c, n];
}

/** Part k (0 = re, 1 = im) of a tensor packed along `axis`. */
function part(t: Tensor, axis: number, k: number): Tensor {
  const starts = t.shape.map(() => 0);
  const ends = [...t.shape];
  starts[axis] = k;
  ends[axis] = k + 1;
  const s = [...t.shape];
  s.splice(axis, 1);
  return reshape(slice(t, starts, ends), s);
}
const unpack = (t: Tensor, axis: number) => new ComplexTensor(part(t, axis, 0), part(t, axis, 1));

/** The tangent (tr, ti) of a complex input as a complex operand (a missing part is zero). */
function tangentOf(tr: Tensor | null, ti: Tensor | null): ComplexTensor | Tensor {
  if (ti === null) return tr!;
  return new ComplexTensor(tr ?? mul(ti, 0), ti);
}

// ---------------------------------------------------------------- inverse
const P_CINV: Primitive<null> = definePrimitive({
  name: "complexInverse",
  impl([re, im]) {
    const n = re.shape[re.ndim - 1];
    const nb = re.size / (n * n);
    const o = alloc("float64", 2 * re.size);
    const oi = o.subarray(re.size);
    const { cinverseBlock } = complexLu(n);
    for (let b = 0; b < nb; b++) {
      if (!cinverseBlock(re._data!, im._data!, b * n * n, n, o, oi, b * n * n)) {
        throw new AutodiffInputError(
          "inverse.z",
          "non-singular matrices",
          "a singular matrix",
          `batch entry ${b}`,
        );
      }
    }
    return Tensor._of(o, [2, ...re.shape]);
  },
  jvp(_x, [tr, ti], out, _p, nb) {
    const X = unpack(out, 0);
    const d = matmul(matmul(X, tangentOf(tr, ti)), X);
    return stack([neg(d.re), neg(d.im)], nb);
  },
  vjp(g, _x, out) {
    const Xh = mH(unpack(out, 0));
    const d = matmul(matmul(Xh, unpack(g, 0)), Xh);
    return [neg(d.re), neg(d.im)];
  },
  // the output is [2, ...batch, …] (real and imaginary parts first): the mapped axis is 1
  batch: (xs, bds, p, size) => [leadingBatch(P_CINV, xs, bds, p, size)[0], 1],
});

/** A⁻¹ of a batch of complex n×n matrices (complex LU with partial pivoting); singular is an error. */
export function inverse(a: ComplexLike): ComplexTensor {
  const [c] = checkSquare(a, "inverse.z");
  return unpack(bind(P_CINV, [c.re, c.im], null), 0);
}

// ---------------------------------------------------------------- log|det| and arg det
const P_CSLOGDET: Primitive<null> = definePrimitive({
  name: "complexSlogdet",
  impl([re, im]) {
    const n = re.shape[re.ndim - 1];
    const nb = re.size / (n * n);
    const o = alloc("float64", 2 * nb);
    const { cslogdetBlock } = complexLu(n);
    for (let b = 0; b < nb; b++) {
      const [ld, ph] = cslogdetBlock(re._data!, im._data!, b * n * n, n);
      o[b] = ld;
      o[nb + b] = ph;
    }
    return Tensor._of(o, [2, ...re.shape.slice(0, -2)]);
  },
  jvp([re, im], [tr, ti], _out, _p, nb) {
    // tr(X·T) = Σ Xᵀ ⊙ T, with X = A⁻¹ and T = tr + i·ti
    const Xt = inverse(new ComplexTensor(re, im)).mT();
    const sre = tr ? mul(Xt.re, tr) : null;
    const sim = tr ? mul(Xt.im, tr) : null;
    const pre = ti ? (sre ? sub(sre, mul(Xt.im, ti)) : neg(mul(Xt.im, ti))) : sre!;
    const pim = ti ? (sim ? add(sim, mul(Xt.re, ti)) : mul(Xt.re, ti)) : sim!;
    return stack([sum(pre, [-2, -1]), sum(pim, [-2, -1])], nb);
  },
  // (ḡ_log, ḡ_phase) = c ↦ c·A⁻ᴴ with c = ḡ_log + i·ḡ_phase
  vjp(g, [re, im]) {
    const gl = expandDims(expandDims(part(g, 0, 0), -1), -1);
    const gp = expandDims(expandDims(part(g, 0, 1), -1), -1);
    const Xh = mH(inverse(new ComplexTensor(re, im)));
    return [sub(mul(gl, Xh.re), mul(gp, Xh.im)), add(mul(gl, Xh.im), mul(gp, Xh.re))];
  },
  // the output is [2, ...batch, …] (real and imaginary parts first): the mapped axis is 1
  batch: (xs, bds, p, size) => [leadingBatch(P_CSLOGDET, xs, bds, p, size)[0], 1],
});

/**
 * log|det A| and the phase arg det A ∈ (−π, π] of a batch of complex n×n matrices (complex LU;
 * a singular matrix gives log|det| = −∞ and phase 0). The phase's derivative is Im tr(A⁻¹dA); it
 * is continuous where det A ≠ 0 and jumps by 2π where the value wraps.
 */
export function slogdet(a: ComplexLike): { logabs: Tensor; phase: Tensor } {
  const [c] = checkSquare(a, "slogdet.z");
  const out = bind(P_CSLOGDET, [c.re, c.im], null);
  return { logabs: part(out, 0, 0), phase: part(out, 0, 1) };
}

/** log det A = log|det A| + i·arg det A (the principal branch), batched. */
export function logdet(a: ComplexLike): ComplexTensor {
  const { logabs, phase } = slogdet(a);
  return new ComplexTensor(logabs, phase);
}

/** det A = |det A|·e^{i·arg det A}, batched (0 for a singular matrix). */
export function det(a: ComplexLike): ComplexTensor {
  const { logabs, phase } = slogdet(a);
  const r = rexp(logabs);
  return new ComplexTensor(mul(r, cos(phase)), mul(r, sin(phase)));
}

/**
 * Solves A·X = B for a batch of complex n×n matrices; B is […, n, m] or […, n] (complex or real),
 * batch dims broadcast. Computed as A⁻¹·B, which for small matrices costs about the same as an LU
 * solve and keeps one set of rules (for a large n and few right-hand sides, it does ~3× the LU's
 * work and its error grows with A's condition number like the inverse's).
 */
export function solve(a: ComplexLike, b: ComplexLike): ComplexTensor {
  const [c, n] = checkSquare(a, "solve.a");
  const B = toComplex(b, "solve.b");
  const vec = B.ndim === c.ndim - 1;
  const B2 = vec ? B.reshape([...B.shape, 1]) : B;
  if (B2.ndim < 2 || B2.shape[B2.ndim - 2] !== n)
    throw new AutodiffInputError("solve.b", `shape […, ${n}, m] or […, ${n}]`, [...B.shape]);
  const x = matmul(inverse(c), B2);
  return vec ? x.reshape(x.shape.slice(0, -1)) : x;
}

/** Trace over the last two axes. */
export function trace(a: ComplexLike): ComplexTensor {
  const [c] = checkSquare(a, "trace.z");
  return new ComplexTensor(rtrace(c.re), rtrace(c.im));
}

/** The commutator [A, B] = AB − BA (batched; either may be real). */
export function commutator(a: ComplexTensor | Tensor, b: ComplexTensor | Tensor): ComplexTensor {
  const ab = matmul(a, b);
  const ba = matmul(b, a);
  return new ComplexTensor(sub(ab.re, ba.re), sub(ab.im, ba.im));
}

/** Aᵏ for an integer k (repeated squaring; A⁰ = I, negative k through the inverse). */
export function matrixPower(a: ComplexLike, k: number): ComplexTensor {
  const [c, n] = checkSquare(a, "matrixPower.a");
  if (!Number.isInteger(k)) throw new AutodiffInputError("matrixPower.k", "an integer", k);
  if (k < 0) return matrixPower(inverse(c), -k);
  let result: ComplexTensor | null = null;
  let base = c;
  for (let e = k; e > 0; e >>= 1) {
    if (e & 1) result = result === null ? base : matmul(result, base);
    if (e > 1) base = matmul(base, base);
  }
  if (result !== null) return result;
  const id = alloc("float64", n * n);
  for (let i = 0; i < n; i++) id[i * n + i] = 1;
  return toComplex(Tensor._of(id, [n, n]));
}

/** tr(A), tr(A²), …, tr(Aᴷ) stacked on a new last axis: shape […, K]. */
export function tracePowers(a: ComplexLike, K: number): ComplexTensor {
  const [c] = checkSquare(a, "tracePowers.a");
  if (!Number.isInteger(K) || K < 1) throw new AutodiffInputError("tracePowers.K", "an integer >= 1", K);
  const re: Tensor[] = [];
  const im: Tensor[] = [];
  let p = c;
  for (let k = 1; k <= K; k++) {
    if (k > 1) p = matmul(p, c);
    const t = trace(p);
    re.push(t.re);
    im.push(t.im);
  }
  return new ComplexTensor(stack(re, -1), stack(im, -1));
}

/**
 * The real 2n×2n embedding [[Re A, −Im A], [Im A, Re A]] of a batch of complex matrices: it
 * represents A acting on (Re x, Im x), so products and inverses commute with it and
 * det(embedding) = |det A|².
 */
export function realEmbedding(a: ComplexLike): Tensor {
  const [c] = checkSquare(a, "realEmbedding.a");
  const top = concat([c.re, neg(c.im)], -1);
  const bottom = concat([c.im, c.re], -1);
  return concat([top, bottom], -2);
}
