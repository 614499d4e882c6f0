// A symmetry command run inside a run directory (@physml/runs' inRun with this package's
// provenance): config.json, metrics.jsonl (one line per training epoch), arrays/<name>.npy,
// report.html and result.json, written under the run's lock. A command's training checkpoints
// through the run (training-run.ts: parameters, Adam state and epoch records every 30 s and after
// its last epoch): `resume` returns a finished run's stored result, and an unfinished one runs its
// body again, whose training continues from the newest checkpoint bit for bit.
import { type InRunWith, inRunFor } from "@physml/runs";

/** Runs a command's body in the run directory `opts.out` (see @physml/runs' `inRun`). */
export const inSymmetryRun: InRunWith = inRunFor(import.meta.url);
