// The points a training run uses, derived from its configuration alone (so a resumed run
// regenerates exactly the same ones): training points from `seed`, held-out points from
// `seed + 1` (never trained on; σ per epoch and the final check).
import { dworkQuintic, type Quintic } from "../geometry/quintic.js";
import { type PointSet, samplePoints } from "../geometry/sample.js";
import type { CyTrainConfig } from "../options.js";

/** Training and held-out points of a run. */
export interface TrainingData {
  quintic: Quintic;
  train: PointSet;
  held: PointSet;
}

/** The run's points. */
export function trainingData(config: CyTrainConfig): TrainingData {
  const quintic = dworkQuintic(config.psi);
  return {
    quintic,
    train: samplePoints(quintic, config.points, config.seed),
    held: samplePoints(quintic, config.evalPoints, config.seed + 1),
  };
}

/** Adam steps per epoch. */
export function stepsPerEpoch(config: CyTrainConfig, data: TrainingData): number {
  return Math.ceil(data.train.n / config.batch);
}
