/**
 * @physml/autodiff/optim — optax-style optimisers (pure update, explicit state): `sgd`, `adam`,
 * `adamw`, `lbfgs`; learning-rate schedules; gradient clipping; and the JSON form of the
 * optimiser states for checkpoints.
 */
export { type AdamOptions, type AdamState, adam, adamw } from "./adam.js";
export { clipByGlobalNorm, globalNorm } from "./clip.js";
export {
  type LbfgsMinimizeState,
  type LbfgsOptimizer,
  type LbfgsOptions,
  type LbfgsState,
  lbfgs,
  type MinimizeOptions,
  type MinimizeResult,
} from "./lbfgs.js";
export { constantSchedule, cosineDecay, exponentialDecay, piecewiseConstant, warmup } from "./schedules.js";
export { type SgdOptions, type SgdState, sgd } from "./sgd.js";
export {
  type AdamStateJson,
  type LbfgsMinimizeStateJson,
  loadAdamState,
  loadLbfgsMinimizeState,
  saveAdamState,
  saveLbfgsMinimizeState,
} from "./state-json.js";
export type { LearningRate, Optimizer, Schedule } from "./types.js";
