// The connection learner's checkpoint as plain JSON: the trainer state of the attempt under way
// (see trainer-checkpoint.ts), the phase, the training seconds spent so far, and the attempts
// before it (restarts from other initialisations after a stall), so a resumed run continues the
// right attempt and still chooses among all of them.
import { loadParamsLike } from "@physml/autodiff/nn";
import { isObject, PhysmlInputError } from "@physml/lattice-core";
import type { LaxParams } from "./model.js";
import type { LaxMetrics, LaxTrainState, PolishProgress } from "./train.js";
import {
  checkHistory,
  checkPolishProgress,
  checkTrainer,
  encodeTrainer,
  isCount,
  type TrainerCheckpoint,
} from "./trainer-checkpoint.js";

/** One entry of the connection's loss history: the ODE learner's terms without 𝓛_inv (and 𝓛_NA when weighted). */
export type ConnectionMetrics = Omit<LaxMetrics, "invariant"> & {
  /** The attempt the record belongs to, on a restart's records only. */
  attempt?: number;
  commutator?: number;
  killing?: number;
  killingSpan?: number;
  equation?: number;
  /** 𝓛_λ of the λ-family learner (see spectralSlopeHinge). */
  spectralSlope?: number;
};

/**
 * Where an interrupted Levenberg–Marquardt polish stands: its iterations so far and the damping its
 * next iteration starts with (with the checkpoint's parameters, all the polish goes on from).
 */
export type ConnectionPolishProgress = Extract<PolishProgress, { method: "lm" }>;

/**
 * Everything a connection run needs to continue (JSON-serialisable). `phase: "adam"` is taken
 * during the Adam steps; `"polish"` inside a Levenberg–Marquardt polish, with `polish` saying where
 * it stands (`step` counts the Adam steps and the polish iterations); `"polished"` after the
 * polish, when only the evaluation is left. An interrupted L-BFGS polish is not checkpointed: it
 * restarts from the checkpoint at the end of Adam.
 */
export interface ConnectionCheckpoint extends TrainerCheckpoint<ConnectionMetrics> {
  phase: "adam" | "polish" | "polished";
  /** Where the polish stands (phase polish only). */
  polish?: ConnectionPolishProgress;
  /** Seconds of training so far, summed over the processes that ran it. */
  seconds: number;
  /** The attempt under way: 0 from the seeded initialisation, then one per restart (absent: 0). */
  attempt?: number;
  /** The finished attempts before it, in order (absent: none). */
  earlier?: EarlierAttempt[];
}

/** A finished attempt that stalled: its training 𝓛_ZC, parameters and loss history. */
export interface EarlierAttempt {
  lax: number;
  /** As autodiff's saveParams writes them. */
  params: string;
  history: ConnectionMetrics[];
}

/** The checkpoint of a connection run at this point. */
export function encodeConnectionCheckpoint(
  phase: ConnectionCheckpoint["phase"],
  hidden: readonly number[],
  state: LaxTrainState,
  history: readonly ConnectionMetrics[],
  seconds: number,
  attempts: { attempt: number; earlier: readonly EarlierAttempt[] } = { attempt: 0, earlier: [] },
  polish?: ConnectionPolishProgress,
): ConnectionCheckpoint {
  const cp: ConnectionCheckpoint = {
    phase,
    ...encodeTrainer(hidden, state, history),
    seconds,
    ...(polish ? { polish: { ...polish } } : {}),
  };
  if (attempts.attempt === 0) return cp;
  return { ...cp, attempt: attempts.attempt, earlier: attempts.earlier.map((e) => ({ ...e })) };
}

/**
 * The step a run directory files this checkpoint under: the steps of the earlier attempts and then
 * this one's, so a later attempt's checkpoints sort after every earlier one's and `--resume` picks
 * the attempt under way (the first attempt's are its own steps, as before restarts existed).
 */
export function connectionCheckpointStep(cp: ConnectionCheckpoint): number {
  const earlier = (cp.earlier ?? []).reduce(
    (n, e) => n + (e.history[e.history.length - 1]?.step ?? 0) + 1,
    0,
  );
  return earlier + cp.step;
}

/** The terms every {@link ConnectionMetrics} record has. */
const METRIC_KEYS = ["step", "total", "lax", "l", "lm", "mc", "spectrum"];

/**
 * Checks a stored checkpoint against the connection run it is to continue (its hidden widths, its
 * Adam steps, its polish and iterations `polishIter` and its model's parameters `template`). Throws a PhysmlInputError naming the field under `resume.`; returns the checkpoint
 * and its decoded trainer state.
 */
export function checkConnectionCheckpoint(
  raw: unknown,
  want: {
    hidden: readonly number[];
    adamSteps: number;
    /** The run's polish and its iterations. */
    polish: "lm" | "lbfgs";
    polishIter: number;
    restarts: number;
    template: LaxParams;
  },
): { cp: ConnectionCheckpoint; state: LaxTrainState; earlier: { lax: number; params: LaxParams }[] } {
  if (!isObject(raw)) throw new PhysmlInputError("resume", "a connection checkpoint (an object)", typeof raw);
  const { phase, seconds } = raw;
  if (phase !== "adam" && phase !== "polish" && phase !== "polished")
    throw new PhysmlInputError(
      "resume.phase",
      "adam | polish | polished",
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
    maxStep: {
      adam: want.adamSteps,
      polish: want.adamSteps + want.polishIter,
      polished: Number.MAX_SAFE_INTEGER,
    }[phase],
    inAdam: phase === "adam",
    keys: METRIC_KEYS,
    template: want.template,
  });
  if (phase === "polish") {
    // only a Levenberg–Marquardt polish is checkpointed (an L-BFGS one restarts from Adam's end)
    if (want.polish !== "lm")
      throw new PhysmlInputError("resume.phase", "adam | polished (the run's polish is L-BFGS)", phase);
    checkPolishProgress(
      raw.polish,
      { method: "lm", maxIter: want.polishIter, adamSteps: want.adamSteps },
      want.template,
      state,
    );
  }
  const attempt = raw.attempt ?? 0;
  if (!isCount(attempt) || attempt > want.restarts)
    throw new PhysmlInputError("resume.attempt", `an integer in [0, ${want.restarts}]`, String(attempt));
  const stored = raw.earlier ?? [];
  if (!Array.isArray(stored) || stored.length !== attempt)
    throw new PhysmlInputError("resume.earlier", `${attempt} earlier attempts`, String(stored));
  const earlier = stored.map((e: unknown, i) => {
    const f = `resume.earlier.${i}`;
    if (!isObject(e) || typeof e.lax !== "number")
      throw new PhysmlInputError(f, "an attempt with its lax loss", typeof e);
    checkHistory(e.history, `${f}.history`, METRIC_KEYS, Number.MAX_SAFE_INTEGER);
    return { lax: e.lax, params: loadParamsLike(e.params, want.template, `${f}.params`) };
  });
  return { cp: raw as unknown as ConnectionCheckpoint, state, earlier };
}
