/**
 * @physml/autodiff/complex — complex128 tensors (split storage: a pair of float64 Tensors) with
 * arithmetic, exp/log/powers, matrix products, reductions, batched linear algebra, and the
 * transforms in JAX's complex conventions (jvp, vjp, grad with `holomorphic`, Wirtinger
 * derivatives, the batched ∂∂̄ of a real potential). Names mirror the real ops of the package
 * entry; import them as a namespace (`import * as C from "@physml/autodiff/complex"`).
 */
export { atan2 } from "./atan2.js";
export { checkGradsComplex, realify } from "./check-grads.js";
export { cholesky } from "./cholesky.js";
export { type ComplexEigh, eigh, eigvalsh } from "./eigh.js";
export { expm } from "./expm.js";
export {
  commutator,
  det,
  inverse,
  logdet,
  matrixPower,
  realEmbedding,
  slogdet,
  solve,
  trace,
  tracePowers,
} from "./linalg.js";
export {
  abs,
  abs2,
  add,
  angle,
  conj,
  div,
  exp,
  imag,
  log,
  matmul,
  mul,
  neg,
  pow,
  real,
  reciprocal,
  sqrt,
  sub,
} from "./ops.js";
export { type ComplexQR, qr } from "./qr.js";
export {
  broadcastTo,
  concat,
  expandDims,
  flatten,
  gather,
  mean,
  mH,
  mT,
  reshape,
  slice,
  squeeze,
  stack,
  stopGradient,
  sum,
  transpose,
} from "./shape.js";
export { type ComplexSVD, svd } from "./svd.js";
export {
  type ComplexLike,
  ComplexTensor,
  complex,
  isComplex,
  polar,
  type RealData,
  toComplex,
} from "./tensor.js";
export {
  type ComplexGradOptions,
  type ComplexTree,
  ddbar,
  dz,
  dzbar,
  gradComplex as grad,
  jvpComplex as jvp,
  valueAndGradComplex as valueAndGrad,
  vjpComplex as vjp,
  wirtinger,
} from "./transforms.js";
