// The learner's state between two steps and its checkpoint. The checkpoint is the state: every
// field of TrainingState but the current training's steps (read back from metrics.jsonl), the
// end of exploration (exploration.json) and the failed trainings' results
// (result-attempt-<k>.json), which the run directory keeps in files of their own.
import type { Checkpoint, RestoredCheckpoint } from "./checkpoint.js";
import { saveGroup } from "./group-checkpoint.js";
import { type GroupState, initGroup } from "./group-state.js";
import type { LearnerSession } from "./learner-session.js";
import { currentDualityResult } from "./renamed-fields.js";
import type { DualityResult, StepMetrics } from "./result.js";
import type { StepContext } from "./step-context.js";
import type { TrainingPlan } from "./training-plan.js";

/** One training step as the result's averages read it. */
export interface TrainedStep {
  t: number[];
  theta: [number, number];
  lossUnbiased: number;
}

/**
 * The training steps of `attempt` among metrics.jsonl's records, as a resumed run's history. The
 * records must hold numbers (`readMetricNumbers` of the run): a diverged step's NaN, as in the run
 * that wrote them, never the text metrics.jsonl stores for it.
 */
export function trainedSteps(metrics: readonly StepMetrics[], attempt: number): TrainedStep[] {
  return metrics
    .filter((m) => m.phase === "train" && (m.attempt ?? 0) === attempt)
    .map((m) => ({ t: m.t, theta: m.theta, lossUnbiased: m.lossUnbiased }));
}

/** The state kept at the end of exploration (exploration.json), from which a retry restarts another start. */
export interface ExplorationEnd {
  groups: unknown[];
  spins: string;
  sweepCount: number;
}

/** Everything the learner carries from one step to the next. */
export interface TrainingState {
  /** The next step to run. */
  step: number;
  /** One group per start during exploration; the start trained from after it. */
  groups: GroupState[];
  /** Per start, per exploration step: the profile loss (split-half, unbiased). */
  exploreLosses: number[][];
  /** Per start, per exploration step: the variance of S_nn over the start's samples. */
  exploreVarS: number[][];
  /** Per start, per exploration step: the pooled loss (sampling noise included). */
  explorePooled: number[][];
  /** The start trained from (−1 until exploration ends). */
  chosen: number;
  /** The training attempt: 0, then one more after each failed validation. */
  attempt: number;
  /** The starts trained from so far, in order. */
  tried: number[];
  failedAttempts: DualityResult["failedAttempts"];
  /** The current attempt's training steps so far (not checkpointed: rebuilt from the metrics). */
  history: TrainedStep[];
  /** The end of exploration once reached (not checkpointed: exploration.json). */
  exploreEnd: ExplorationEnd | null;
  /** Results of the failed attempts of this process (not checkpointed: result-attempt-<k>.json). */
  attemptResults: DualityResult[];
}

/** The state of a new run: one group per start, nothing explored or tried. */
export function initialState(ctx: StepContext, plan: TrainingPlan): TrainingState {
  const { starts } = plan;
  return {
    step: 0,
    groups: starts.map((t0, g) => initGroup(ctx, t0, g)),
    exploreLosses: starts.map(() => []),
    exploreVarS: starts.map(() => []),
    explorePooled: starts.map(() => []),
    chosen: starts.length > 1 ? -1 : 0,
    attempt: 0,
    tried: [],
    failedAttempts: [],
    history: [],
    exploreEnd: null,
    attemptResults: [],
  };
}

/**
 * The state of a resumed run from its checkpoint (older checkpoints lack the pooled losses, the
 * variances and the attempts: empty, attempt 0 with the chosen start tried).
 */
export function restoredState(ctx: StepContext, plan: TrainingPlan, ckpt: RestoredCheckpoint): TrainingState {
  const state = initialState(ctx, plan);
  state.groups = ckpt.restored;
  for (const [g, l] of ckpt.exploreLosses.entries()) state.exploreLosses[g] = l;
  for (const [g, v] of (ckpt.exploreVarS ?? []).entries()) state.exploreVarS[g] = v;
  for (const [g, v] of (ckpt.explorePooled ?? []).entries()) state.explorePooled[g] = v;
  state.chosen = ckpt.chosen;
  state.attempt = ckpt.attempt ?? 0;
  state.tried = ckpt.tried ?? (ckpt.chosen >= 0 ? [ckpt.chosen] : []);
  state.failedAttempts = currentDualityResult(ckpt.failedAttempts ?? []);
  state.step = ckpt.step;
  return state;
}

/** The spins of the chains as a checkpoint stores them (base64 of the Int8Array). */
export function spinsBase64(spins: Int8Array): string {
  return Buffer.from(spins.buffer, spins.byteOffset, spins.byteLength).toString("base64");
}

/** Saves the state with the chains' spins as the checkpoint of its step (when there is a run directory). */
export async function saveCheckpoint(
  s: LearnerSession,
  state: TrainingState,
  elapsedMs: number,
): Promise<void> {
  if (!s.run) return;
  const snap = await s.sampler.snapshot();
  const c: Checkpoint = {
    version: 2,
    step: state.step,
    groups: state.groups.map((g) => saveGroup(s.ctx, g)),
    exploreLosses: state.exploreLosses,
    exploreVarS: state.exploreVarS,
    explorePooled: state.explorePooled,
    chosen: state.chosen,
    attempt: state.attempt,
    tried: state.tried,
    failedAttempts: state.failedAttempts,
    spins: spinsBase64(snap),
    sweepCount: s.sampler.sweepCount,
    elapsedMs,
  };
  s.run.saveCheckpoint(c.step, c);
}
