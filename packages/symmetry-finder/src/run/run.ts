// A symmetry command run inside a run directory (@physml/runs' inRun): config.json with its
// provenance, metrics.jsonl (one line per training epoch), arrays/<name>.npy, report.html and
// result.json, written under the run's lock. Runs are not checkpointed (the training state is not
// serialised): `resume` returns a finished run's stored result and reruns an unfinished one from
// the start.
import {
  type InRunOptions,
  type InRunOutput,
  type InRunResult,
  inRun,
  provenanceOf,
  type Run,
} from "@physml/runs";

/** Where a run goes and what to do with a run already there. */
export type SymmetryRunOptions = InRunOptions;
/** What a run's body hands back: the result (stored as result.json) and the report page. */
export type SymmetryRunOutput<R> = InRunOutput<R>;

/** Runs `body` in the run directory `opts.out` with this package's provenance (see `inRun`). */
export function inSymmetryRun<C, R extends object>(
  kind: string,
  input: unknown,
  resolve: (input: unknown) => C,
  opts: SymmetryRunOptions,
  body: (config: C, run: Run<C>) => Promise<SymmetryRunOutput<R>>,
): Promise<InRunResult<R>> {
  return inRun(kind, provenanceOf(import.meta.url), input, resolve, opts, body);
}
