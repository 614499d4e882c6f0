// A symmetry command run inside a run directory (@physml/runs' inRun with this package's
// provenance): config.json, metrics.jsonl (one line per training epoch), arrays/<name>.npy,
// report.html and result.json, written under the run's lock. Runs are not checkpointed (the
// training state is not serialised): `resume` returns a finished run's stored result and reruns
// an unfinished one from the start.
import { type InRunWith, inRunFor } from "@physml/runs";

/** Runs a command's body in the run directory `opts.out` (see @physml/runs' `inRun`). */
export const inSymmetryRun: InRunWith = inRunFor(import.meta.url);
