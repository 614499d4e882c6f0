// A network learner's state in a `cy train` checkpoint (the φ-model and the metric networks):
// the network's parameters and Adam's state as autodiff writes them, how a new run starts them,
// how an epoch of minibatch Adam advances them, and the arrays a run exports of the network.
import { type LinearParams, saveParams } from "@physml/autodiff/nn";
import { type AdamStateJson, saveAdamState } from "@physml/autodiff/optim";
import type { CyTrainConfig } from "../options.js";
import type { TrainingData } from "./data.js";
import type { EpochState } from "./learner.js";
import { minibatchEpoch } from "./minibatch-epoch.js";
import { trainingOptimizer } from "./optimizer.js";
import { adamOf } from "./state-json.js";

/** The state every network learner keeps. */
export interface NetworkState extends EpochState {
  /** The network's parameters, as autodiff's saveParams writes them. */
  params: string;
  adam: AdamStateJson;
}

/** The stored parameters of a new run's network `params` and its fresh Adam state. */
export function networkStart(
  config: CyTrainConfig,
  data: TrainingData,
  params: LinearParams[],
): Pick<NetworkState, "params" | "adam"> {
  return { params: saveParams(params), adam: saveAdamState(trainingOptimizer(config, data).init(params)) };
}

/**
 * One epoch from `state`, whose network parameters are `params`: a minibatch Adam step per batch
 * of training points with the loss and gradient `lossAndGrad` gives; the next state and the mean loss.
 */
export function networkEpoch<S extends NetworkState>(
  config: CyTrainConfig,
  data: TrainingData,
  state: S,
  params: LinearParams[],
  lossAndGrad: (params: LinearParams[], from: number, to: number) => { loss: number; grads: LinearParams[] },
): { state: S; loss: number } {
  const r = minibatchEpoch(
    trainingOptimizer(config, data),
    params,
    adamOf(state.adam, params),
    data.train.n,
    config.batch,
    lossAndGrad,
  );
  return {
    state: {
      ...state,
      epoch: state.epoch + 1,
      params: saveParams(r.params),
      adam: saveAdamState(r.adam),
    },
    loss: r.loss,
  };
}

/** The network's weights and biases as arrays `layer<i>-w`, `layer<i>-b`. */
export function networkArrays(
  params: LinearParams[],
): Record<string, { data: Float64Array; shape: number[] }> {
  const out: Record<string, { data: Float64Array; shape: number[] }> = {};
  params.forEach((p, i) => {
    out[`layer${i}-w`] = { data: p.w.toFloat64Array(), shape: p.w.shape.slice() };
    out[`layer${i}-b`] = { data: p.b.toFloat64Array(), shape: p.b.shape.slice() };
  });
  return out;
}
