// A Lax run's checkpoint as plain JSON: where the ladder is, the rungs already finished, and the
// current model's trainer state (see trainer-checkpoint.ts).
import { PhysmlInputError } from "@physml/lattice-core";
import type { LaxParams } from "./model.js";
import type { LaxMetrics, LaxTrainState } from "./train.js";
import {
  checkHistory,
  checkTrainer,
  encodeTrainer,
  isCount,
  isObject,
  sameWidths,
  type TrainerCheckpoint,
} from "./trainer-checkpoint.js";

/** One model tried: its hidden widths, loss history, final loss and held-out residual. */
export interface LaxRung {
  hidden: number[];
  /** The loss history of this model (Adam log points, then the polished loss). */
  history: LaxMetrics[];
  final: LaxMetrics;
  laxResidual: number;
}

/**
 * Everything a Lax run needs to continue (JSON-serialisable): the trainer state of the model of
 * rung `rung` of the ladder (its `hidden`, `params`, `adam`, `step`, `history`), the phase, and the
 * finished models. `phase: "adam"` is taken during that model's Adam steps; `"polished"` after its
 * polish, once it is in `rungs`. An interrupted polish is not checkpointed: it restarts from the
 * checkpoint taken at the end of Adam.
 */
export interface LaxCheckpoint extends TrainerCheckpoint<LaxMetrics> {
  /** Index in the ladder of the model being trained (adam) or just finished (polished). */
  rung: number;
  phase: "adam" | "polished";
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
}): LaxCheckpoint {
  return {
    rung: p.rung,
    phase: p.phase,
    ...encodeTrainer(p.hidden, p.state, p.history),
    rungs: p.rungs.map((r) => ({ ...r, hidden: [...r.hidden], history: r.history.map((m) => ({ ...m })) })),
  };
}

/**
 * Steps of the whole run at a checkpoint (every finished model's steps plus the current one's):
 * non-decreasing along a run, so the newest checkpoint of a run directory is the one to resume.
 */
export function laxCheckpointStep(cp: LaxCheckpoint): number {
  const done = cp.rungs.reduce((s, r) => s + r.final.step, 0);
  return cp.phase === "adam" ? done + cp.step : done;
}

/** The terms of a {@link LaxMetrics} record. */
const METRIC_KEYS = ["step", "total", "lax", "l", "lm", "mc", "spectrum", "invariant"];

/**
 * Checks a stored checkpoint against the run it is to continue: the ladder (`ladder[rung]` and
 * the finished rungs' widths), the step counts, and every parameter's path and shape against
 * `template(hidden)` (the freshly built model's parameters). Throws a PhysmlInputError naming the
 * field under `resume.`; returns the checkpoint and its decoded trainer state.
 */
export function checkLaxCheckpoint(
  raw: unknown,
  ladder: readonly (readonly number[])[],
  adamSteps: number,
  template: (hidden: readonly number[]) => LaxParams,
): { cp: LaxCheckpoint; state: LaxTrainState } {
  const f = (k: string) => `resume.${k}`;
  if (!isObject(raw)) throw new PhysmlInputError("resume", "a Lax checkpoint (an object)", typeof raw);
  const { rung, phase, rungs } = raw;
  if (!isCount(rung) || rung >= ladder.length)
    throw new PhysmlInputError(
      f("rung"),
      `an integer in [0, ${ladder.length - 1}] (a rung of the ladder)`,
      rung,
    );
  if (phase !== "adam" && phase !== "polished")
    throw new PhysmlInputError(
      f("phase"),
      "adam | polished",
      typeof phase === "string" ? phase : typeof phase,
    );
  const done = phase === "adam" ? rung : rung + 1;
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
  const { state } = checkTrainer<LaxMetrics>(raw, {
    hidden: ladder[rung],
    maxStep: phase === "adam" ? adamSteps : Number.MAX_SAFE_INTEGER,
    inAdam: phase === "adam",
    keys: METRIC_KEYS,
    template: template(ladder[rung]),
  });
  return { cp: raw as unknown as LaxCheckpoint, state };
}
