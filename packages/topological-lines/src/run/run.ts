// A lines run inside a run directory (@physml/runs): config.json, metrics.jsonl (one line per
// learner step and geometry), result.json and report.html; `chunk` in the configuration picks
// the two-entry table or the neighbourhood table. Its finished work survives a kill: the sample
// sets are written as arrays/train.npy and arrays/fresh.npy with a checkpoint, each finished
// geometry is checkpointed with its result, and the geometry under way its learner's state
// (lines-checkpoint.ts), so `resume` continues an unfinished run from there and returns a
// finished run's result; `force` archives.
import { PhysmlInputError } from "@physml/lattice-core";
import { type InRunResult, openRun, provenanceOf, type Run } from "@physml/runs";
import { type LinesConfig, resolveLinesConfig } from "../config.js";
import type { Geometry } from "../paths/paths.js";
import type { StepMetrics } from "../train/learner.js";
import type { NeighbourhoodStepMetrics } from "../train/neighbourhood-learner.js";
import { checkLinesMemory, type LinesResult, runLines } from "./lines.js";
import {
  checkLinesState,
  checkpointedPhases,
  finishedParts,
  type LINES_CHECKPOINT_SECONDS,
} from "./lines-checkpoint.js";
import { type NeighbourhoodLinesResult, runNeighbourhoodLines } from "./neighbourhood-lines.js";
import { neighbourhoodReport } from "./neighbourhood-report.js";
import { linesReport } from "./report.js";
import { currentLinesResult } from "./stored-lines.js";

/** A finished lines run of either chunk (`chunk` tells which). */
export type AnyLinesResult = LinesResult | NeighbourhoodLinesResult;

export interface LinesRunOptions {
  out: string;
  force?: boolean;
  resume?: boolean;
  onStep?: (geometry: Geometry, m: StepMetrics | NeighbourhoodStepMetrics) => void;
  /** Hears where a resumed run continues, and what the run directory says (a stale lock, a checkpoint that does not read). */
  log?: (message: string) => void;
  /**
   * Seconds of learning between two checkpoints of the learner's state inside a geometry
   * (default {@link LINES_CHECKPOINT_SECONDS}; 0: after every step). The sample sets and each
   * finished geometry are checkpointed whatever it is; the result does not depend on it.
   */
  checkpointSeconds?: number;
}

/**
 * Runs the lines learner in the run directory `opts.out` (or reads back the finished run there
 * with `resume`): its result, and whether it was read back instead of computed (`resumed`), as
 * `@physml/runs`' one-call runs return them.
 */
export async function runLinesDir(
  input: unknown,
  opts: LinesRunOptions,
): Promise<InRunResult<AnyLinesResult>> {
  if (opts.resume && opts.force) throw new PhysmlInputError("force", "not together with --resume", "both");
  const every = opts.checkpointSeconds;
  if (every !== undefined && !(every >= 0))
    throw new PhysmlInputError("checkpointSeconds", "a number of seconds >= 0", every);
  const run = openRun({
    dir: opts.out,
    kind: "duality-lines",
    input: input ?? {},
    // Refused before the directory is made.
    resolve: (i) => {
      const c = resolveLinesConfig(i);
      checkLinesMemory(c);
      return c;
    },
    mode: opts.resume ? "resume" : opts.force ? "force" : "new",
    provenance: provenanceOf(import.meta.url),
    // a stale lock taken over, a checkpoint that does not read and the one used instead
    ...(opts.log ? { log: opts.log } : {}),
  });
  try {
    // a non-finite number stored as its text is read as the number, as a new run returns it
    const stored = currentLinesResult(run.resultNumbers<AnyLinesResult & { out: string }>());
    const report = (r: AnyLinesResult, history?: Map<string, number[][]>) =>
      r.chunk === "neighbourhood" ? neighbourhoodReport(r, run.config, history) : linesReport(r, run.config);
    if (stored) {
      // killed between result.json and report.html: the report again, its loss charts from metrics.jsonl
      if (!run.has("report.html")) run.writeText("report.html", await report(stored, lossHistory(run)));
      run.close();
      return { result: stored, resumed: true };
    }
    const ckpt = run.loadCheckpoint((raw) => checkLinesState(raw, run.config));
    if (ckpt)
      opts.log?.(
        `physml duality lines: resuming from ${ckpt.file}: ${finishedParts(ckpt.state, run.config.steps)}`,
      );
    // the metrics of the finished geometries and of the steps the learner state holds, made
    // durable before their checkpoint; the rest is redone
    const finished = new Set(ckpt?.state.geometries.map((f) => f.result.geometry));
    const training = ckpt?.state.training;
    run.keepMetrics<{ geometry: string; step: number }>(
      (m) =>
        finished.has(m.geometry) || (m.geometry === training?.geometry && m.step <= training.learner.step),
    );
    const history = lossHistory(run);
    const onStep = (g: Geometry, m: StepMetrics | NeighbourhoodStepMetrics) => {
      run.appendMetric({ geometry: g, ...m });
      addLoss(history, g, m.loss);
      opts.onStep?.(g, m);
    };
    const phases = <G extends { geometry: string }, C extends { geometry: string }, S>() =>
      checkpointedPhases<G, C, S>(run, ckpt?.state, opts.checkpointSeconds);
    const ran: AnyLinesResult =
      run.config.chunk === "neighbourhood"
        ? await runNeighbourhoodLines(run.config, onStep, phases())
        : await runLines(run.config, onStep, phases());
    // the earlier attempts' seconds up to their last checkpoint, and this one's
    const r: AnyLinesResult = { ...ran, seconds: run.carriedSeconds + ran.seconds };
    const out = { ...r, out: opts.out };
    run.writeResult(out);
    run.writeText("report.html", await report(r, history));
    run.close();
    return { result: out, resumed: false };
  } catch (e) {
    run.abandon(e);
    throw e;
  }
}

/** Appends one learner step's losses (one per start) to geometry `g`'s history. */
function addLoss(history: Map<string, number[][]>, g: string, loss: number[]): void {
  if (!history.has(g)) history.set(g, []);
  history.get(g)?.push(loss);
}

/** Each geometry's losses per learner step, as metrics.jsonl holds them (the report's loss charts). */
function lossHistory(run: Run<LinesConfig>): Map<string, number[][]> {
  const history = new Map<string, number[][]>();
  for (const m of run.readMetricNumbers<{ geometry: string; loss: number[] }>())
    addLoss(history, m.geometry, m.loss);
  return history;
}
