// A training whose answer failed validation is retried from the next exploration start (in the
// exploration's order), up to `validation.retries` times; when every training fails, the one
// closest to the target is the result.
import { explorationChoice } from "./exploration-end.js";
import { restoreGroup } from "./group-checkpoint.js";
import { takeStart } from "./learner-chains.js";
import { elapsedMs, type LearnerSession } from "./learner-session.js";
import { currentDualityResult } from "./renamed-fields.js";
import { attemptSummary, bestAttempt, type DualityResult, type LearnerRun } from "./result.js";
import { type ExplorationEnd, saveCheckpoint, type TrainingState } from "./training-state.js";

/**
 * The start to train from after `result` of the current attempt, with the end of exploration it
 * restarts from, or null when the run ends here: the validation passed, the retries are used up,
 * every start was tried, or there is no exploration to restart from.
 */
export function nextStart(
  s: LearnerSession,
  state: TrainingState,
  result: DualityResult,
): { start: number; from: ExplorationEnd } | null {
  if (result.validation.passed) return null;
  const next = explorationChoice(s.plan, state)?.order.find((g) => !state.tried.includes(g));
  const from = state.exploreEnd;
  if (state.attempt >= s.config.validation.retries || next === undefined || !from) return null;
  return { start: next, from };
}

/**
 * The result of a run that ends after `result` of its current attempt: that result when it
 * passed validation, else the best of every attempt (the earlier ones read back from the run
 * directory when this process did not run them).
 */
export function finalResult(s: LearnerSession, state: TrainingState, result: DualityResult): DualityResult {
  if (result.validation.passed) return result;
  const previous = Array.from(
    { length: state.attempt },
    (_, k) =>
      state.attemptResults[k] ??
      currentDualityResult((s.run as LearnerRun).readState<DualityResult>(`result-attempt-${k}.json`)),
  );
  return bestAttempt([...previous, result]);
}

/**
 * Records the failed `result` (result-attempt-<k>.json, `failedAttempts`) and sets up the next
 * attempt: training again from start `next.start`, from its state at the end of exploration,
 * with every chain; the checkpoint at the new attempt's first step is saved.
 */
export async function retryFrom(
  s: LearnerSession,
  state: TrainingState,
  result: DualityResult,
  next: { start: number; from: ExplorationEnd },
): Promise<void> {
  const { start, from } = next;
  state.attemptResults[state.attempt] = result;
  s.run?.writeState(`result-attempt-${state.attempt}.json`, result);
  state.failedAttempts = [...state.failedAttempts, attemptSummary(result)];
  s.log(
    `validation failed (${result.validation.failures.join("; ")}); training again from the next exploration start, t0 = ${s.plan.starts[start]}`,
  );
  state.attempt++;
  state.tried = [...state.tried, start];
  state.chosen = start;
  state.groups = [restoreGroup(s.ctx, from.groups[start])];
  await takeStart(s, state.groups, start, new Int8Array(Buffer.from(from.spins, "base64")));
  state.history = [];
  await saveCheckpoint(s, state, elapsedMs(s));
}
