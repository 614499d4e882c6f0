// What `cy train` needs from a metric model, as a learner: state → epoch → (state, loss). The
// state is plain JSON (it is the checkpoint); everything else (points, section basis, allowed
// entries) is derived again from the configuration.
import type { PointSet } from "../geometry/sample.js";
import type { CyTrainConfig } from "../options.js";
import type { TrainingData } from "./data.js";

/** A trainable metric model. */
export interface CyLearner<S> {
  /** The starting state (may balance a Donaldson metric first; `log` hears its progress). */
  init(config: CyTrainConfig, data: TrainingData, log: (m: string) => void): S;
  /** One pass over the training points in Adam steps of `batch` points; the mean batch loss. */
  epoch(config: CyTrainConfig, data: TrainingData, state: S): { state: S; loss: number };
  /** η = det g/|Ω|² of the model at every point of `points`. */
  eta(config: CyTrainConfig, data: TrainingData, state: S, points: PointSet): Float64Array;
  /** The metric g_{ab̄} on X at every point of `points` (n × 18 interleaved 3 × 3 complex entries). */
  metric(config: CyTrainConfig, data: TrainingData, state: S, points: PointSet): Float64Array;
  /** The state from a checkpoint, or a thrown Error saying what is wrong with it. */
  validate(config: CyTrainConfig, data: TrainingData, state: unknown): S;
  /** Arrays to export as .npy (name → data and shape). */
  arrays(
    config: CyTrainConfig,
    data: TrainingData,
    state: S,
  ): Record<string, { data: Float64Array | Int32Array; shape: number[] }>;
}

/** Every state carries the number of finished epochs. */
export interface EpochState {
  epoch: number;
}
