// A task run inside a run directory (@physml/runs): config.json, metrics.jsonl (one line per
// training epoch, tagged with the network), result.json and report.html. The runs are short
// and not checkpointed: a directory holding a run is refused unless `force` archives it.
import { openRun, provenanceOf } from "@physml/runs";
import type { EpochMetrics } from "../train/fit.js";

/** Where a run goes. */
export interface RunDirOptions {
  out: string;
  /** Archive a run already in `out` and start anew. */
  force?: boolean;
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
  const run = openRun({
    dir: opts.out,
    kind,
    input: input ?? {},
    resolve,
    mode: opts.force ? "force" : "new",
    provenance: provenanceOf(import.meta.url),
  });
  try {
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
