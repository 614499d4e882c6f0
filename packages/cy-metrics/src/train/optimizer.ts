// The Adam steps of a `cy train` learner: the cosine schedule runs over every step of the run.
import type { AdamState, Optimizer } from "@physml/autodiff/optim";
import { cosineAdam } from "../cosine-adam.js";
import type { CyTrainConfig } from "../options.js";
import { stepsPerEpoch, type TrainingData } from "./data.js";

/** Adam for `config.epochs` passes over the training points, from `config.lr` (see cosineAdam). */
export function trainingOptimizer(config: CyTrainConfig, data: TrainingData): Optimizer<AdamState> {
  return cosineAdam(config.lr, config.epochs * stepsPerEpoch(config, data));
}
