// The connection learner's checkpoint as plain JSON: its one model's trainer state (see
// trainer-checkpoint.ts), the phase, and the training seconds spent so far.
import { PhysmlInputError } from "@physml/lattice-core";
import type { LaxParams } from "./model.js";
import type { LaxTrainState } from "./train.js";
import { checkTrainer, encodeTrainer, isObject, type TrainerCheckpoint } from "./trainer-checkpoint.js";
import type { ConnectionMetrics } from "./zero-curvature-learn.js";

/**
 * Everything a connection run needs to continue (JSON-serialisable). `phase: "adam"` is taken
 * during the Adam steps; `"polished"` after the polish, when only the evaluation is left. An
 * interrupted polish is not checkpointed: it restarts from the checkpoint at the end of Adam.
 */
export interface ConnectionCheckpoint extends TrainerCheckpoint<ConnectionMetrics> {
  phase: "adam" | "polished";
  /** Seconds of training so far, summed over the processes that ran it. */
  seconds: number;
}

/** The checkpoint of a connection run at this point. */
export function encodeConnectionCheckpoint(
  phase: ConnectionCheckpoint["phase"],
  hidden: readonly number[],
  state: LaxTrainState,
  history: readonly ConnectionMetrics[],
  seconds: number,
): ConnectionCheckpoint {
  return { phase, ...encodeTrainer(hidden, state, history), seconds };
}

/** The terms every {@link ConnectionMetrics} record has. */
const METRIC_KEYS = ["step", "total", "lax", "l", "lm", "mc", "spectrum"];

/**
 * Checks a stored checkpoint against the connection run it is to continue (its hidden widths, its
 * Adam steps and its model's parameters `template`). Throws a PhysmlInputError naming the field
 * under `resume.`; returns the checkpoint and its decoded trainer state.
 */
export function checkConnectionCheckpoint(
  raw: unknown,
  want: { hidden: readonly number[]; adamSteps: number; template: LaxParams },
): { cp: ConnectionCheckpoint; state: LaxTrainState } {
  if (!isObject(raw)) throw new PhysmlInputError("resume", "a connection checkpoint (an object)", typeof raw);
  const { phase, seconds } = raw;
  if (phase !== "adam" && phase !== "polished")
    throw new PhysmlInputError(
      "resume.phase",
      "adam | polished",
      typeof phase === "string" ? phase : typeof phase,
    );
  if (typeof seconds !== "number" || !(seconds >= 0))
    throw new PhysmlInputError(
      "resume.seconds",
      "a number >= 0",
      typeof seconds === "number" ? seconds : typeof seconds,
    );
  const { state } = checkTrainer<ConnectionMetrics>(raw, {
    hidden: want.hidden,
    maxStep: phase === "adam" ? want.adamSteps : Number.MAX_SAFE_INTEGER,
    inAdam: phase === "adam",
    keys: METRIC_KEYS,
    template: want.template,
  });
  return { cp: raw as unknown as ConnectionCheckpoint, state };
}
