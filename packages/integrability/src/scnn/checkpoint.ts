// The two-body comparison's checkpoint as plain JSON: which model is training, the finished
// models' losses and held-out errors, and the current model's trainer state (see
// ../lax/trainer-checkpoint.ts).
import { loadParamsLike } from "@physml/autodiff/nn";
import { isObject, PhysmlInputError } from "@physml/lattice-core";
import {
  checkHistory,
  checkTrainer,
  isCount,
  type TrainerCheckpoint,
  type TrainState,
} from "../lax/trainer-checkpoint.js";
import { keptRestart, type ScnnRestartRecord } from "./restarts.js";
import type { FieldLoss } from "./train.js";

/** Per-model errors of the rolled-out predictions. */
export interface ModelErrors {
  energyMse: number;
  stateMse: number;
  finalLoss: number;
  /** The energy MSE of each held-out orbit's rollout (absent in checkpoints of earlier versions). */
  orbitEnergyMse?: number[];
}

/** The models of the comparison, in training order. */
export const TWO_BODY_MODELS = ["baseline", "hnn", "scnn"] as const;
export type TwoBodyModelName = (typeof TWO_BODY_MODELS)[number];

/**
 * Everything a two-body comparison needs to continue (JSON-serialisable): the trainer state of
 * `model` (its `params`, `adam`, `step` and logged losses `history`) and the models finished
 * before it. A model's held-out rollout is not checkpointed: a run stopped in it redoes it from
 * the checkpoint at the end of that model's training.
 */
export interface TwoBodyCheckpoint extends TrainerCheckpoint<FieldLoss> {
  model: TwoBodyModelName;
  /** The models finished before it, in training order: their logged losses and held-out errors. */
  done: { losses: FieldLoss[]; errors: ModelErrors }[];
  /**
   * While the SCNN trains with its draws judged (frame "relative", at least 3 cyclic
   * coordinates): the draws finished before the one under way, which is draw `restarts.length`.
   * Each failed the criterion, or no later draw would have started.
   */
  restarts?: ScnnRestartRecord[];
  /**
   * With at least one finished draw: the best of them ({@link keptRestart}) and its parameters
   * (as autodiff's saveParams writes them), the draw kept when none passes.
   */
  best?: { draw: number; params: string };
}

const ERROR_KEYS = ["energyMse", "stateMse", "finalLoss"] as const;

/**
 * Checks a stored checkpoint against the comparison it is to continue (hidden widths, Adam steps,
 * and the parameters `template(model)` of each freshly built model). Throws a PhysmlInputError
 * naming the field under `resume.`; returns the checkpoint and the current model's trainer state.
 */
export function checkTwoBodyCheckpoint(
  raw: unknown,
  want: {
    hidden: readonly number[];
    steps: number;
    template: (model: TwoBodyModelName) => object;
    /** When the SCNN's draws are judged: the most further draws and draw a's seed. */
    restarts?: { max: number; seed: (draw: number) => number };
  },
): { cp: TwoBodyCheckpoint; state: TrainState<object>; best?: { draw: number; params: object } } {
  if (!isObject(raw)) throw new PhysmlInputError("resume", "a two-body checkpoint (an object)", typeof raw);
  const k = TWO_BODY_MODELS.indexOf(raw.model as TwoBodyModelName);
  if (k < 0) throw new PhysmlInputError("resume.model", TWO_BODY_MODELS.join(" | "), String(raw.model));
  const { done } = raw;
  if (!Array.isArray(done) || done.length !== k)
    throw new PhysmlInputError(
      "resume.done",
      `${k} finished models (${TWO_BODY_MODELS.slice(0, k).join(", ") || "none"})`,
      Array.isArray(done) ? done.length : typeof done,
    );
  done.forEach((d, i) => {
    if (
      !isObject(d) ||
      !isObject(d.errors) ||
      !ERROR_KEYS.every((e) => typeof (d.errors as Record<string, unknown>)[e] === "number") ||
      !(
        d.errors.orbitEnergyMse === undefined ||
        (Array.isArray(d.errors.orbitEnergyMse) &&
          d.errors.orbitEnergyMse.every((v) => typeof v === "number"))
      )
    )
      throw new PhysmlInputError(`resume.done.${i}.errors`, `numbers ${ERROR_KEYS.join(", ")}`, typeof d);
    const losses = checkHistory(d.losses, `resume.done.${i}.losses`, ["step", "loss"], want.steps - 1);
    if (!isCount(losses.at(-1)?.step) || losses.at(-1)?.step !== want.steps - 1)
      throw new PhysmlInputError(
        `resume.done.${i}.losses`,
        `losses up to step ${want.steps - 1}`,
        losses.at(-1)?.step ?? 0,
      );
  });
  checkRestarts(raw, k, want.steps, want.restarts);
  const best = checkBest(raw, () => want.template("scnn"));
  const { state } = checkTrainer<FieldLoss, object>(raw, {
    hidden: want.hidden,
    maxStep: want.steps,
    inAdam: true,
    keys: ["step", "loss"],
    template: want.template(TWO_BODY_MODELS[k]),
  });
  return { cp: raw as unknown as TwoBodyCheckpoint, state, ...(best ? { best } : {}) };
}

// the best finished draw: there exactly when there are finished draws (checked above), the one
// keptRestart picks from their shares, with parameters of the SCNN's shapes
function checkBest(
  raw: Record<string, unknown>,
  template: () => object,
): { draw: number; params: object } | undefined {
  const r = raw.restarts as ScnnRestartRecord[] | undefined;
  const b = raw.best;
  if (r === undefined || r.length === 0) {
    if (b !== undefined) throw new PhysmlInputError("resume.best", "none (no finished SCNN draw)", typeof b);
    return undefined;
  }
  if (!isObject(b))
    throw new PhysmlInputError("resume.best", "the best finished draw and its parameters", typeof b);
  const want = keptRestart(r);
  if (b.draw !== want) throw new PhysmlInputError("resume.best.draw", String(want), String(b.draw));
  return { draw: want, params: loadParamsLike(b.params, template(), "resume.best.params") };
}

// the SCNN's finished draws: only while the SCNN trains with judged draws (none: draw 0), each
// with the seed of its place, shares in [0, 1] that failed, and its whole loss history
function checkRestarts(
  raw: Record<string, unknown>,
  k: number,
  steps: number,
  want: { max: number; seed: (draw: number) => number } | undefined,
): void {
  const r = raw.restarts;
  const judged = want !== undefined && TWO_BODY_MODELS[k] === "scnn";
  if (!judged) {
    if (r !== undefined)
      throw new PhysmlInputError("resume.restarts", "none (the SCNN's draws are not judged here)", typeof r);
    return;
  }
  // a checkpoint written before draws were recorded is in draw 0
  if (r === undefined) return;
  if (!Array.isArray(r) || r.length > want.max)
    throw new PhysmlInputError(
      "resume.restarts",
      `a list of at most ${want.max} finished draws`,
      Array.isArray(r) ? r.length : typeof r,
    );
  r.forEach((d, a) => {
    const at = `resume.restarts.${a}`;
    if (!isObject(d)) throw new PhysmlInputError(at, "a finished draw (an object)", typeof d);
    if (d.seed !== want.seed(a))
      throw new PhysmlInputError(`${at}.seed`, String(want.seed(a)), String(d.seed));
    if (
      !Array.isArray(d.within) ||
      d.within.length === 0 ||
      !d.within.every((w) => typeof w === "number" && w >= 0 && w <= 1)
    )
      throw new PhysmlInputError(
        `${at}.within`,
        "shares in [0, 1], one per momentum T moves",
        typeof d.within,
      );
    if (d.passed !== false)
      throw new PhysmlInputError(`${at}.passed`, "false (a passed draw ends the restarts)", String(d.passed));
    const losses = checkHistory(d.losses, `${at}.losses`, ["step", "loss"], steps - 1);
    if (losses.at(-1)?.step !== steps - 1)
      throw new PhysmlInputError(`${at}.losses`, `losses up to step ${steps - 1}`, losses.at(-1)?.step ?? 0);
  });
}
