/**
 * @physml/autodiff/nn — layers as (params, apply) pairs (`Linear`, `MLP`, `MaskedConv2d`,
 * `MaskedLinear`), the MLP's closed-form input Hessian, Gumbel-softmax, initialisers, and the
 * parameter-tree I/O (JSON and `.npy`). The tree I/O lives here, beside the layers whose
 * parameters it saves and whose shapes `loadParamsLike`/`checkParamsLike` check against.
 */
export { type GumbelSoftmaxOptions, gumbelSoftmax } from "./gumbel.js";
export {
  channelsFirst,
  glorotNormal,
  glorotUniform,
  heNormal,
  type Initializer,
  lecunNormal,
  zerosInit,
} from "./init.js";
export {
  type Activation,
  type ActivationName,
  activationFn,
  Linear,
  type LinearParams,
  MLP,
  type MLPOptions,
} from "./layers.js";
export { MaskedConv2d, type MaskedConv2dOptions, MaskedLinear, type MaskedParams } from "./masked.js";
export { mlpInputHessian } from "./mlp-hessian.js";
export {
  checkParamsLike,
  fromNpy,
  loadParams,
  loadParamsLike,
  loadParamsNpy,
  saveParams,
  saveParamsNpy,
  toNpy,
} from "./serialize.js";
