// A Lax run's checkpoint as plain JSON: where the ladder is, the rungs already finished, the
// current model's trainer state (see trainer-checkpoint.ts) and, inside its polish, where the
// polish stands.
import { type LbfgsMinimizeStateJson, saveLbfgsMinimizeState } from "@physml/autodiff/optim";
import { isObject, PhysmlInputError } from "@physml/lattice-core";
import type { LaxParams } from "./model.js";
import type { LaxMetrics, LaxTrainState, PolishProgress } from "./train.js";
import {
  checkHistory,
  checkPolishProgress,
  checkTrainer,
  encodeTrainer,
  isCount,
  sameWidths,
  type TrainerCheckpoint,
} from "./trainer-checkpoint.js";

/** One model tried: its hidden widths, loss history, final loss and held-out residual. */
export interface LaxRung {
  hidden: number[];
  /** The loss history of this model (Adam log points, then the polished loss). */
  history: LaxMetrics[];
  final: LaxMetrics;
  /** The Lax residual on the held-out states (reported; never read to choose a rung). */
  laxResidual: number;
  /**
   * The same residual on the training states: what decides whether the rung is exact (absent in
   * checkpoints written before it was recorded; computed again on resume).
   */
  trainingResidual?: number;
  /**
   * How many of its traces are independent along the training states (`traceIndependence`), when
   * the run's restarts ask for it (`LaxRestarts.independentTraces`).
   */
  independentTraces?: number;
}

/**
 * Where an interrupted polish stands, as stored: for L-BFGS the polish iterations before the
 * round under way and that round's state (autodiff's saveLbfgsMinimizeState; its `params` are
 * the checkpoint's, flattened), for Levenberg–Marquardt its iterations and damping.
 */
export type PolishCheckpoint =
  | { method: "lbfgs"; roundStart: number; round: LbfgsMinimizeStateJson }
  | { method: "lm"; iterations: number; lambda: number };

/**
 * Everything a Lax run needs to continue (JSON-serialisable): the trainer state of the model of
 * rung `rung` of the ladder (its `hidden`, `params`, `adam`, `step`, `history`), the phase, and the
 * finished models. `phase: "adam"` is taken during that model's Adam steps; `"polish"` during its
 * polish, with `polish` saying where the polish stands (`step` counts the Adam steps and the
 * polish iterations); `"polished"` after its polish, once it is in `rungs`.
 */
export interface LaxCheckpoint extends TrainerCheckpoint<LaxMetrics> {
  /** Index in the ladder of the model being trained (adam, polish) or just finished (polished). */
  rung: number;
  phase: "adam" | "polish" | "polished";
  /** Where the polish stands (phase polish only). */
  polish?: PolishCheckpoint;
  /** The models finished so far, in ladder order (polished: this one included, last). */
  rungs: LaxRung[];
}

/** The checkpoint of a run at this point. */
export function encodeLaxCheckpoint(p: {
  rung: number;
  phase: LaxCheckpoint["phase"];
  hidden: readonly number[];
  state: LaxTrainState;
  history: readonly LaxMetrics[];
  rungs: readonly LaxRung[];
  /** Where the polish stands (phase polish). */
  polish?: PolishProgress;
}): LaxCheckpoint {
  return {
    rung: p.rung,
    phase: p.phase,
    ...encodeTrainer(p.hidden, p.state, p.history),
    ...(p.polish ? { polish: encodePolish(p.polish) } : {}),
    rungs: p.rungs.map((r) => ({ ...r, hidden: [...r.hidden], history: r.history.map((m) => ({ ...m })) })),
  };
}

/**
 * Steps of the whole run at a checkpoint (every finished model's steps plus the current one's):
 * non-decreasing along a run, so the newest checkpoint of a run directory is the one to resume.
 */
export function laxCheckpointStep(cp: LaxCheckpoint): number {
  const done = cp.rungs.reduce((s, r) => s + r.final.step, 0);
  return cp.phase === "polished" ? done : done + cp.step;
}

function encodePolish(p: PolishProgress): PolishCheckpoint {
  return p.method === "lbfgs"
    ? { method: "lbfgs", roundStart: p.roundStart, round: saveLbfgsMinimizeState(p.round) }
    : { ...p };
}

/** The terms of a {@link LaxMetrics} record. */
const METRIC_KEYS = ["step", "total", "lax", "l", "lm", "mc", "spectrum", "invariant"];

/** What a stored checkpoint must fit: the run it is to continue. */
export interface LaxCheckpointWant {
  /** The run's ladder (its `hidden` as the one rung when given). */
  ladder: readonly (readonly number[])[];
  adamSteps: number;
  /** The run's polish and its iterations (`lbfgsIter`). */
  polish: { method: PolishProgress["method"]; maxIter: number };
  /** The parameters of a freshly built model of these hidden widths. */
  template: (hidden: readonly number[]) => LaxParams;
}

/**
 * Checks a stored checkpoint against the run it is to continue: the ladder (`ladder[rung]` and
 * the finished rungs' widths), the step counts, every parameter's path and shape against the
 * freshly built model's, and inside a polish its method, iterations and state. Throws a
 * PhysmlInputError naming the field under `resume.`; returns the checkpoint, its decoded trainer
 * state and, in phase polish, the polish's progress.
 */
export function checkLaxCheckpoint(
  raw: unknown,
  want: LaxCheckpointWant,
): { cp: LaxCheckpoint; state: LaxTrainState; polish?: PolishProgress } {
  const { ladder, adamSteps } = want;
  const f = (k: string) => `resume.${k}`;
  if (!isObject(raw)) throw new PhysmlInputError("resume", "a Lax checkpoint (an object)", typeof raw);
  const { rung, phase, rungs } = raw;
  if (!isCount(rung) || rung >= ladder.length)
    throw new PhysmlInputError(
      f("rung"),
      `an integer in [0, ${ladder.length - 1}] (a rung of the ladder)`,
      rung,
    );
  if (phase !== "adam" && phase !== "polish" && phase !== "polished")
    throw new PhysmlInputError(
      f("phase"),
      "adam | polish | polished",
      typeof phase === "string" ? phase : typeof phase,
    );
  const done = phase === "polished" ? rung + 1 : rung;
  if (!Array.isArray(rungs) || rungs.length !== done)
    throw new PhysmlInputError(
      f("rungs"),
      `${done} finished rungs`,
      Array.isArray(rungs) ? rungs.length : typeof rungs,
    );
  rungs.forEach((r, i) => {
    if (!isObject(r) || !sameWidths(r.hidden, ladder[i]))
      throw new PhysmlInputError(
        f(`rungs.${i}.hidden`),
        `[${ladder[i].join(", ")}]`,
        String(isObject(r) ? r.hidden : r),
      );
    if (typeof r.laxResidual !== "number")
      throw new PhysmlInputError(f(`rungs.${i}.laxResidual`), "a number", typeof r.laxResidual);
    if (r.trainingResidual !== undefined && typeof r.trainingResidual !== "number")
      throw new PhysmlInputError(
        f(`rungs.${i}.trainingResidual`),
        "a number (or absent)",
        typeof r.trainingResidual,
      );
    if (r.independentTraces !== undefined && !isCount(r.independentTraces))
      throw new PhysmlInputError(
        f(`rungs.${i}.independentTraces`),
        "an integer >= 0 (or absent)",
        String(r.independentTraces),
      );
    const hist = checkHistory<LaxMetrics>(
      r.history,
      f(`rungs.${i}.history`),
      METRIC_KEYS,
      Number.MAX_SAFE_INTEGER,
    );
    const last = hist[hist.length - 1];
    if (!isObject(r.final) || !last || last.step !== r.final.step)
      throw new PhysmlInputError(f(`rungs.${i}.final`), "the last entry of its history", typeof r.final);
  });
  const template = want.template(ladder[rung]);
  const { state } = checkTrainer<LaxMetrics>(raw, {
    hidden: ladder[rung],
    maxStep: { adam: adamSteps, polish: adamSteps + want.polish.maxIter, polished: Number.MAX_SAFE_INTEGER }[
      phase
    ],
    inAdam: phase === "adam",
    keys: METRIC_KEYS,
    template,
  });
  const cp = raw as unknown as LaxCheckpoint;
  if (phase !== "polish") return { cp, state };
  return {
    cp,
    state,
    polish: checkPolishProgress(raw.polish, { ...want.polish, adamSteps }, template, state),
  };
}
