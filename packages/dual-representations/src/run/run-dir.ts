// A task run inside a run directory (@physml/runs): config.json, metrics.jsonl (one line per
// training epoch, tagged with the network), trainings/ (each finished training once, see
// training-files.ts), checkpoint/ (see train/trainings.ts), result.json and report.html. A
// directory holding a run is refused unless `force` archives it or `resume` reads it back: a
// finished run returns its stored result; an unfinished one continues from its last checkpoint.
import { PhysmlInputError } from "@physml/lattice-core";
import { nestFields, openRun, provenanceOf, type Run, renameFields, renameFieldsDeep } from "@physml/runs";
import type { EpochMetrics } from "../train/fit.js";
import {
  checkpointStep,
  checkTrainingsCheckpoint,
  type TaggedFit,
  TrainingLedger,
  type TrainingsCheckpoint,
} from "../train/trainings.js";
import { TrainingFiles } from "./training-files.js";

/** Where a run goes. */
export interface RunDirOptions {
  out: string;
  /** Archive a run already in `out` and start anew. */
  force?: boolean;
  /**
   * Return the finished run in `out`, or continue an unfinished one from its last checkpoint; the
   * given config must match.
   */
  resume?: boolean;
  /** Hears every epoch (progress on stderr, say). */
  onEpoch?: (tag: string, m: EpochMetrics) => void;
  /** Hears where a resumed run continues from. */
  onResume?: (message: string) => void;
  /**
   * Seconds between checkpoints inside a training (default 30; 0: after every epoch); a finished
   * training is always checkpointed.
   */
  checkpointSeconds?: number;
}

/**
 * The checkpoint a resumed run continues from (null: a new run, or one stopped before its first
 * checkpoint). The run wrapper empties metrics.jsonl: the checkpoint's epochs are written
 * again, so the file goes on from there with no line twice.
 */
function resumedTrainings(
  run: Run<unknown>,
  files: TrainingFiles,
  opts: RunDirOptions,
): TrainingsCheckpoint | null {
  if (run.status !== "resumed") return null;
  const last = run.loadCheckpoint((s) => checkTrainingsCheckpoint(files.read(s)));
  if (!last) return null;
  const { trainings, current } = last.state;
  for (const t of [...trainings, ...(current ? [current] : [])])
    for (const m of t.history) run.appendMetric({ network: t.tag, ...m });
  opts.onResume?.(
    `resuming from ${last.file}: ${trainings.length} finished trainings kept${current ? `, ${current.tag} continues after epoch ${current.history.length}` : ""}`,
  );
  return last.state;
}

/**
 * Result fields renamed since runs were first written (old name → current name), read from older
 * run directories' result.json under the current names. `points` (top level) was the list of
 * per-n or per-T0 rows, a name the CLI keeps for a number of points (`cy`, `symmetry`);
 * `accuracy` (in every learned map, at any depth) was the `{ bestTest, finalTest, finalTrain }` of
 * a fit, a name the CLI keeps for one accuracy (a number, `symmetry`).
 */
export const DUALREP_RENAMED_RESULT_FIELDS: Readonly<Record<string, string>> = { points: "rows" };
const DUALREP_RENAMED_NESTED_FIELDS: Readonly<Record<string, string>> = { accuracy: "accuracies" };

/**
 * Older results kept their checks at the top level as `checksPassed` and `failures`; they are read
 * under `validation: { passed, failures }`, the key every command's checks have.
 */
const CHECKS_MOVED: Readonly<Record<string, string>> = { checksPassed: "passed", failures: "failures" };

/** A stored result.json under the current field names. */
export function currentDualrepResult<R>(stored: R): R {
  return renameFieldsDeep(
    renameFields(
      nestFields(stored, "validation", CHECKS_MOVED, { failures: [] }),
      DUALREP_RENAMED_RESULT_FIELDS,
    ),
    DUALREP_RENAMED_NESTED_FIELDS,
  );
}

/**
 * Runs `body` in a new run directory; writes its result and report. The result's `seconds` (the
 * body's own) gains the seconds the run's earlier attempts kept up to their last checkpoint.
 */
export async function inRunDir<C, R extends { seconds: number }>(
  kind: string,
  input: unknown,
  resolve: (input: unknown) => C,
  opts: RunDirOptions,
  body: (config: C, fit: TaggedFit) => Promise<R> | R,
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
    // a non-finite number stored as its text is read as the number, as a new run returns it
    const stored = currentDualrepResult(run.resultNumbers<R & { out: string }>());
    if (stored) {
      if (!run.has("report.html")) run.writeText("report.html", await report(stored, run.config));
      run.close();
      return stored;
    }
    run.truncateMetrics(0);
    const resumed = resumedTrainings(run, new TrainingFiles(run), opts);
    const files = new TrainingFiles(run, resumed?.trainings.length ?? 0);
    const ledger = new TrainingLedger(
      resumed,
      (tag, m) => {
        run.appendMetric({ network: tag, ...m });
        opts.onEpoch?.(tag, m);
      },
      (cp) => run.saveCheckpoint(checkpointStep(cp), files.stored(cp)),
      { checkpointSeconds: opts.checkpointSeconds ?? 30 },
    );
    const done = await body(run.config, ledger.fit);
    const result = { ...done, seconds: done.seconds + run.carriedSeconds };
    const out = { ...result, out: opts.out };
    run.writeResult(out);
    run.writeText("report.html", await report(result, run.config));
    run.close();
    return out;
  } catch (e) {
    run.abandon(e);
    throw e;
  }
}
