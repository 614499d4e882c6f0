// The steps a run plans (exploration, then one training per attempt), from the configuration
// alone: the session holds it (./learner-session.ts) and the state is laid out by it
// (./training-state.ts).
import type { DualityConfig } from "../config.js";

/** The steps a run plans: exploration from every start, then one training per attempt. */
export interface TrainingPlan {
  /** The starting t_nn of the exploration groups (one start: no exploration). */
  starts: number[];
  exploreSteps: number;
  /** Steps of one training (one attempt). */
  trainSteps: number;
}

/** The plan of a run (resolveConfig has checked that the chains split evenly over the starts). */
export function trainingPlan(config: DualityConfig): TrainingPlan {
  const ex = config.explore;
  const starts = ex.starts.length > 0 && ex.steps > 0 ? ex.starts : [config.candidate.init.nn];
  return {
    starts,
    exploreSteps: starts.length > 1 ? ex.steps : 0,
    trainSteps: config.optimizer.steps,
  };
}

/** The steps announced while training attempt `attempt`: exploration and every training so far. */
export function totalSteps(plan: TrainingPlan, attempt: number): number {
  return plan.exploreSteps + plan.trainSteps * (attempt + 1);
}
