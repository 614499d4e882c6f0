/**
 * @physml/autodiff — Float64 tensors with composable forward and reverse differentiation to any
 * order (JAX-style transforms), nn layers and optimisers.
 */

export { arange, eye, full, ones, onesLike, scalar, tensor, zeros, zerosLike } from "./core/create.js";
export type { DType, NestedArray, TensorLike } from "./core/tensor.js";
export { Tensor } from "./core/tensor.js";
export { AutodiffInputError, EscapedTensorError, LinalgDegeneracyError } from "./errors.js";
export * from "./gpu/index.js";
export { matmulThreads, setMatmulThreads } from "./kernels/matmul-threads.js";
export * from "./linalg/index.js";
export { type GumbelSoftmaxOptions, gumbelSoftmax } from "./nn/gumbel.js";
export {
  channelsFirst,
  glorotNormal,
  glorotUniform,
  heNormal,
  type Initializer,
  lecunNormal,
  zerosInit,
} from "./nn/init.js";
export {
  type Activation,
  type ActivationName,
  activationFn,
  Linear,
  type LinearParams,
  MLP,
  type MLPOptions,
} from "./nn/layers.js";
export {
  MaskedConv2d,
  type MaskedConv2dOptions,
  MaskedLinear,
  type MaskedParams,
} from "./nn/masked.js";
export { mlpInputHessian } from "./nn/mlp-hessian.js";
export {
  checkParamsLike,
  fromNpy,
  loadParams,
  loadParamsLike,
  loadParamsNpy,
  saveParams,
  saveParamsNpy,
  toNpy,
} from "./nn/serialize.js";
export * from "./ops/index.js";
export { type AdamOptions, type AdamState, adam, adamw } from "./optim/adam.js";
export { clipByGlobalNorm, globalNorm } from "./optim/clip.js";
export {
  type LbfgsMinimizeState,
  type LbfgsOptimizer,
  type LbfgsOptions,
  type LbfgsState,
  lbfgs,
  type MinimizeOptions,
  type MinimizeResult,
} from "./optim/lbfgs.js";
export {
  constantSchedule,
  cosineDecay,
  exponentialDecay,
  piecewiseConstant,
  warmup,
} from "./optim/schedules.js";
export { type SgdOptions, type SgdState, sgd } from "./optim/sgd.js";
export {
  type AdamStateJson,
  type LbfgsMinimizeStateJson,
  loadAdamState,
  loadLbfgsMinimizeState,
  saveAdamState,
  saveLbfgsMinimizeState,
} from "./optim/state-json.js";
export type { LearningRate, Optimizer, Schedule } from "./optim/types.js";
export type { Key } from "./random.js";
export * as random from "./random.js";
export { type CheckGradsOptions, checkGrads, GradCheckError } from "./testing/check-grads.js";
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
