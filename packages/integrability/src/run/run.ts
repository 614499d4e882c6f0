// An integrability command run inside a run directory (@physml/runs' inRun with this package's
// provenance): config.json, metrics.jsonl (the loss history), arrays/<name>.npy, checkpoint/ (the
// learned state), report.html and result.json, written under the run's lock. `resume` returns a
// finished run's stored result without any work; an unfinished one is continued from its last
// checkpoint by the commands whose learner or integration takes one (`resume` of learnLax,
// learnFieldConnection, compareTwoBody; simulateInRun), and rerun from the start by the others.
import { saveParams } from "@physml/autodiff/nn";
import { type InRunWith, inRunFor, type Run } from "@physml/runs";

/** Runs a command's body in the run directory `opts.out` (see @physml/runs' `inRun`). */
export const inIntegrabilityRun: InRunWith = inRunFor(import.meta.url);

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
