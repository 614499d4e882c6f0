/**
 * @physml/autodiff — Float64 tensors with composable forward and reverse differentiation to any
 * order (JAX-style transforms): tensors, ops, linear algebra, transforms, random keys, errors and
 * the matrix product's thread count. Layers and parameter I/O are in `@physml/autodiff/nn`,
 * optimisers in `/optim`, the gradient checker in `/testing`, the f32 WebGPU backend in `/gpu`
 * and complex tensors in `/complex`.
 */

export { arange, eye, full, ones, onesLike, scalar, tensor, zeros, zerosLike } from "./core/create.js";
export type { DType, NestedArray, TensorLike } from "./core/tensor.js";
export { Tensor } from "./core/tensor.js";
export { AutodiffInputError, EscapedTensorError, LinalgDegeneracyError } from "./errors.js";
export { matmulThreads, setMatmulThreads } from "./kernels/matmul-threads.js";
export * from "./linalg/index.js";
export * from "./ops/index.js";
export type { Key } from "./random.js";
export * as random from "./random.js";
export {
  hessian,
  jacobian,
  jvp,
  jvpBatched,
  perSampleHessian,
  perSampleJacobian,
} from "./transforms/forward.js";
export { grad, valueAndGrad, vjp } from "./transforms/reverse.js";
export type { Tree } from "./transforms/tree.js";
export { treeLeaves, treeMap, treePaths, treeRavel, treeUnflatten, treeUnravel } from "./transforms/tree.js";
export { type InAxes, MissingBatchRuleError, type OutAxes, vmap } from "./transforms/vmap.js";
