// A task run inside a run directory (@physml/runs): config.json, metrics.jsonl (one line per
// training epoch, tagged with the network), result.json and report.html. The runs are short
// and not checkpointed: a directory holding a run is refused unless `force` archives it or
// `resume` reads it back (a finished run returns its stored result; an unfinished one, whose
// process died, is run again from the start).
import { PhysmlInputError } from "@physml/lattice-core";
import { openRun, provenanceOf } from "@physml/runs";
import type { EpochMetrics } from "../train/fit.js";

/** Where a run goes. */
export interface RunDirOptions {
  out: string;
  /** Archive a run already in `out` and start anew. */
  force?: boolean;
  /** Return the finished run in `out` (or redo an unfinished one); the given config must match. */
  resume?: boolean;
  /** Hears every epoch (progress on stderr, say). */
  onEpoch?: (tag: string, m: EpochMetrics) => void;
}

/** Runs `body` in a new run directory; writes its result and report. */
export async function inRunDir<C, R>(
  kind: string,
  input: unknown,
  resolve: (input: unknown) => C,
  opts: RunDirOptions,
  body: (config: C, onEpoch: (tag: string, m: EpochMetrics) => void) => Promise<R> | R,
  report: (result: R, config: C) => Promise<string>,
): Promise<R & { out: string }> {
  if (opts.resume && opts.force) throw new PhysmlInputError("force", "not together with --resume", "both");
  const run = openRun({
    dir: opts.out,
    kind,
    input: input ?? {},
    resolve,
    mode: opts.resume ? "resume" : opts.force ? "force" : "new",
    provenance: provenanceOf(import.meta.url),
  });
  try {
    const stored = run.result<R & { out: string }>();
    if (stored) {
      if (!run.has("report.html")) run.writeText("report.html", await report(stored, run.config));
      run.close();
      return stored;
    }
    run.truncateMetrics(0);
    const result = await body(run.config, (tag, m) => {
      run.appendMetric({ network: tag, ...m });
      opts.onEpoch?.(tag, m);
    });
    const out = { ...result, out: opts.out };
    run.writeResult(out);
    run.writeText("report.html", await report(result, run.config));
    run.close();
    return out;
  } catch (e) {
    run.abandon();
    throw e;
  }
}
