// A quintic command run once inside a run directory (@physml/runs' inRun with this package's
// provenance): `cy sample` and `cy donaldson` write config.json (the resolved options with the
// package, version and git commit), their .npy files, report.html and result.json under the run's
// lock, and a second run into the same directory is refused unless --force or --resume.
import { type InRunWith, inRunFor } from "@physml/runs";

/** Runs a command's body in the run directory `opts.out` (see @physml/runs' `inRun`). */
export const inCyRun: InRunWith = inRunFor(import.meta.url);
