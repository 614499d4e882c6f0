// The KdV zero-curvature learner at the size of its checkpoint tests: a few seconds of data and
// training, a checkpoint every 10 Adam steps (at 10, 20, 30 and after the polish).
import { saveParams } from "@physml/autodiff/nn";
import type { LearnConnectionConfig, LearnConnectionResult } from "../src/lax/zero-curvature-learn.js";

export const TINY_KDV_CONNECTION: LearnConnectionConfig = {
  data: { n: 128, length: 30, time: 0.4, snapshots: 3, trajectories: 3 },
  order: 2,
  samples: 128,
  hidden: [4],
  adamSteps: 30,
  polishIter: 3,
  logEvery: 10,
  checkpointEvery: 10,
  seed: 1,
};

/** Everything a resumed run must reproduce of the uninterrupted one, as plain data. */
export const connectionOutcome = (r: LearnConnectionResult) => ({
  params: saveParams(r.params),
  history: r.history,
  final: r.final,
  attempt: r.attempt,
  attemptLosses: r.attemptLosses,
  residual: r.residual,
  residualByTrajectory: r.residualByTrajectory,
  formulas: r.formulas,
  monodromy: r.monodromy,
});
