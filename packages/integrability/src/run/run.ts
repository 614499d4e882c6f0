// An integrability command run inside a run directory (@physml/runs): config.json with the
// package's provenance, metrics.jsonl (the loss history), arrays/<name>.npy, checkpoint/ (the
// learned state), report.html and result.json, written under the run's lock. The learners train
// in one call, so a run is not resumed mid-training: `resume` returns a finished run's stored
// result without any work and reruns an unfinished one from the start; `force` archives the run
// already in the directory.
import { saveParams } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import { openRun, provenanceOf, type Run } from "@physml/runs";

/** Where a run goes and what to do with a run already there. */
export interface IntegrabilityRunOptions {
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
export interface IntegrabilityRunOutput<R> {
  result: R;
  report: string;
}

/** A run's result (as stored in result.json), and whether it was read back instead of computed. */
export interface IntegrabilityRunResult<R> {
  result: R & { out: string };
  resumed: boolean;
}

/**
 * Runs `body` in the run directory `opts.out`. The configuration is validated by `resolve` before
 * anything is created; a body that throws leaves no new run behind (unless it recorded metrics,
 * which are kept for inspection). The report is written before the result, so a finished run
 * always has both. Non-finite numbers in the result are stored as text ({@link finiteOrText}).
 */
export async function inIntegrabilityRun<C, R extends object>(
  kind: string,
  input: unknown,
  resolve: (input: unknown) => C,
  opts: IntegrabilityRunOptions,
  body: (config: C, run: Run<C>) => Promise<IntegrabilityRunOutput<R>>,
): Promise<IntegrabilityRunResult<R>> {
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
    run.abandon();
    throw e;
  }
}

/**
 * `v` with every non-finite number replaced by its text ("NaN", "Infinity", "-Infinity"): JSON
 * would write null, which reads as "no value" instead of "the computation overflowed".
 */
export function finiteOrText<T>(v: T): T {
  const walk = (x: unknown): unknown => {
    if (typeof x === "number") return Number.isFinite(x) ? x : String(x);
    if (Array.isArray(x)) return x.map(walk);
    if (x !== null && typeof x === "object")
      return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, walk(y)]));
    return x;
  };
  return walk(v) as T;
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
