// A symmetry command run inside a run directory (@physml/runs): config.json with its provenance,
// metrics.jsonl (one line per training epoch), arrays/<name>.npy, report.html and result.json,
// written under the run's lock. Runs are not checkpointed (the training state is not
// serialised): `resume` returns a finished run's stored result and reruns an unfinished one from
// the start; `force` archives the run already in the directory.
import { PhysmlInputError } from "@physml/lattice-core";
import { openRun, provenanceOf, type Run } from "@physml/runs";

/** Where a run goes and what to do with a run already there. */
export interface SymmetryRunOptions {
  /** The run directory. */
  out: string;
  /** Archive a run already in `out` (to `<out>.archived-<time>`) and start anew. */
  force?: boolean;
  /** Return the finished run in `out` (or rerun an unfinished one); given fields must match its config. */
  resume?: boolean;
  /** Hears stale-lock take-overs and archive moves. */
  log?: (message: string) => void;
}

/** What a run's body hands back: the result (stored as result.json) and the report page. */
export interface SymmetryRunOutput<R> {
  result: R;
  report: string;
}

/**
 * Runs `body` in the run directory `opts.out`. The configuration is validated by `resolve` before
 * anything is created; a body that throws leaves no new run behind. The report is written before
 * the result, so a finished run always has both.
 */
export async function inSymmetryRun<C, R extends object>(
  kind: string,
  input: unknown,
  resolve: (input: unknown) => C,
  opts: SymmetryRunOptions,
  body: (config: C, run: Run<C>) => Promise<SymmetryRunOutput<R>>,
): Promise<R & { out: string }> {
  if (opts.resume && opts.force) throw new PhysmlInputError("force", "not together with --resume", "both");
  const run = openRun<C>({
    dir: opts.out,
    kind,
    input: input ?? {},
    resolve,
    mode: opts.resume ? "resume" : opts.force ? "force" : "new",
    provenance: provenanceOf(import.meta.url),
    ...(opts.log ? { log: opts.log } : {}),
  });
  try {
    const stored = run.result<R & { out: string }>();
    if (stored) {
      run.close();
      return stored;
    }
    run.truncateMetrics(0);
    const { result, report } = await body(run.config, run);
    const out = { ...result, out: opts.out };
    run.writeText("report.html", report);
    run.writeResult(out);
    run.close();
    return out;
  } catch (e) {
    run.abandon();
    throw e;
  }
}
