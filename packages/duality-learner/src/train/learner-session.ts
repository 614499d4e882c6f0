// What the phases of one learner run share and never replace: the configuration and step
// context, the target, the plan, the chains and the steppers, the run directory and hooks, and
// the clocks. The state that changes from step to step is ./training-state.ts.
import type { LinkShape } from "@physml/lattice-core";
import type { Sampler } from "@physml/mcmc-gpu";
import type { DualityConfig } from "../config.js";
import type { LearnerRun, LearnHooks } from "./result.js";
import type { StepContext } from "./step-context.js";
import type { GroupStepper } from "./step-threads.js";
import type { TargetData } from "./target-data.js";
import type { TrainingPlan } from "./training-plan.js";

/** The fixed parts of a learner run. */
export interface LearnerSession {
  config: DualityConfig;
  ctx: StepContext;
  shapes: readonly LinkShape[];
  target: TargetData;
  plan: TrainingPlan;
  /** The candidate chains (every group's share of them). */
  sampler: Sampler;
  stepper: GroupStepper;
  run: LearnerRun | undefined;
  hooks: LearnHooks;
  log: (msg: string) => void;
  /** Time the run spent before this process (a resumed run's checkpoint), ms. */
  elapsedBefore: number;
  /**
   * Seconds of an earlier process's work that this one builds on and no checkpoint carries: the
   * target it measured (target.json) when it stopped before its first checkpoint; else 0.
   */
  uncheckpointedSeconds: number;
  /** Date.now() when learnDuality was called. */
  calledAt: number;
  /** Date.now() when the chains were ready for the first step of this process. */
  loopStartedAt: number;
}

/** The run's time in the steps so far (what metrics and checkpoints record), ms. */
export function elapsedMs(s: LearnerSession): number {
  return s.elapsedBefore + (Date.now() - s.loopStartedAt);
}
