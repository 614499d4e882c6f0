// A command run once inside a run directory: open (validating the configuration first), return a
// finished run's stored result, else run the body and write report.html then result.json, all
// under the run's lock. `resume` returns a finished run's result without any work and runs the
// body again for an unfinished one, with metrics.jsonl emptied: a body that continues from its
// run's last checkpoint (`run.loadCheckpoint`) writes the metrics stored there again first, so no
// record appears twice. `force` archives the run already in the directory.
import { finiteOrText, PhysmlInputError } from "@physml/lattice-core";
import { type Provenance, provenanceOf } from "./provenance.js";
import { openRun, type Run } from "./run.js";

/** Where a run goes and what to do with a run already there. */
export interface InRunOptions {
  /** The run directory. */
  out: string;
  /** Archive a run already in `out` (to `<out>.archived-<time>`) and start anew. */
  force?: boolean;
  /** Return the finished run in `out` (or run the body again for an unfinished one); given fields must match its config. */
  resume?: boolean;
  /** Hears stale-lock take-overs and archive moves. */
  log?: (message: string) => void;
  /** Reads a run's stored configuration before `resolve` (never the input of a new run): see `OpenRunOptions.stored`. */
  stored?: (config: unknown) => unknown;
}

/** What a run's body hands back: the result (stored as result.json) and the report page. */
export interface InRunOutput<R> {
  result: R;
  report: string;
}

/** A run's result (as stored in result.json), and whether it was read back instead of computed. */
export interface InRunResult<R> {
  result: R & { out: string };
  resumed: boolean;
}

/**
 * Runs `body` in the run directory `opts.out`, recording `provenance` (the calling package's, from
 * {@link provenanceOf}). The configuration is validated by `resolve` before anything is created; a
 * body that throws leaves no new run behind (metrics it recorded are kept for inspection). The
 * report is written before the result, so a finished run always has both. Non-finite numbers in
 * the result are stored as text ({@link finiteOrText}).
 */
export async function inRun<C, R extends object>(
  kind: string,
  provenance: Provenance,
  input: unknown,
  resolve: (input: unknown) => C,
  opts: InRunOptions,
  body: (config: C, run: Run<C>) => Promise<InRunOutput<R>>,
): Promise<InRunResult<R>> {
  if (opts.resume && opts.force) throw new PhysmlInputError("force", "not together with --resume", "both");
  const run = openRun<C>({
    dir: opts.out,
    kind,
    input: input ?? {},
    resolve,
    mode: opts.resume ? "resume" : opts.force ? "force" : "new",
    provenance,
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.stored ? { stored: opts.stored } : {}),
  });
  try {
    const stored = run.result<R & { out: string }>();
    if (stored) {
      run.close();
      return { result: stored, resumed: true };
    }
    run.truncateMetrics(0);
    const { result, report } = await body(run.config, run);
    const out = finiteOrText({ ...result, out: opts.out });
    run.writeText("report.html", report);
    run.writeResult(out);
    run.close();
    return { result: out, resumed: false };
  } catch (e) {
    run.abandon(e);
    throw e;
  }
}

/** {@link inRun} with the provenance already bound: what a package's run wrapper is. */
export type InRunWith = <C, R extends object>(
  kind: string,
  input: unknown,
  resolve: (input: unknown) => C,
  opts: InRunOptions,
  body: (config: C, run: Run<C>) => Promise<InRunOutput<R>>,
) => Promise<InRunResult<R>>;

/**
 * {@link inRun} recording the provenance of the package holding `moduleUrl` (pass the package's
 * own `import.meta.url`): `export const inMyRun = inRunFor(import.meta.url)`.
 */
export function inRunFor(moduleUrl: string): InRunWith {
  return (kind, input, resolve, opts, body) =>
    inRun(kind, provenanceOf(moduleUrl), input, resolve, opts, body);
}
