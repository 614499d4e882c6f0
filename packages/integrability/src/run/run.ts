// An integrability command run inside a run directory (@physml/runs' inRun): config.json with the
// package's provenance, metrics.jsonl (the loss history), arrays/<name>.npy, checkpoint/ (the
// learned state), report.html and result.json, written under the run's lock. The learners train
// in one call, so a run is not resumed mid-training: `resume` returns a finished run's stored
// result without any work and reruns an unfinished one from the start.
import { saveParams } from "@physml/autodiff";
import {
  type InRunOptions,
  type InRunOutput,
  type InRunResult,
  inRun,
  provenanceOf,
  type Run,
} from "@physml/runs";

/** Where a run goes and what to do with a run already there. */
export type IntegrabilityRunOptions = InRunOptions;
/** What a run's body hands back: the result (stored as result.json) and the report page. */
export type IntegrabilityRunOutput<R> = InRunOutput<R>;
/** A run's result (as stored in result.json), and whether it was read back instead of computed. */
export type IntegrabilityRunResult<R> = InRunResult<R>;

/** Runs `body` in the run directory `opts.out` with this package's provenance (see `inRun`). */
export function inIntegrabilityRun<C, R extends object>(
  kind: string,
  input: unknown,
  resolve: (input: unknown) => C,
  opts: IntegrabilityRunOptions,
  body: (config: C, run: Run<C>) => Promise<IntegrabilityRunOutput<R>>,
): Promise<IntegrabilityRunResult<R>> {
  return inRun(kind, provenanceOf(import.meta.url), input, resolve, opts, body);
}

/**
 * Saves a learner's state (parameter trees, written exactly by autodiff's `saveParams`) as the
 * run's checkpoint after `step` steps; `extra` holds what else the state needs (plain JSON).
 */
export function saveLearnedState(
  run: Run<unknown>,
  step: number,
  params: object,
  extra: Record<string, unknown> = {},
): void {
  run.saveCheckpoint(step, { ...extra, params: saveParams(params) });
}
