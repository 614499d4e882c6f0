// The two-body comparison's checkpoint as plain JSON: which model is training, the finished
// models' losses and held-out errors, and the current model's trainer state (see
// ../lax/trainer-checkpoint.ts).
import { PhysmlInputError } from "@physml/lattice-core";
import {
  checkHistory,
  checkTrainer,
  isCount,
  isObject,
  type TrainerCheckpoint,
  type TrainState,
} from "../lax/trainer-checkpoint.js";
import type { ModelErrors } from "./compare.js";
import type { FieldLoss } from "./train.js";

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
}

const ERROR_KEYS = ["energyMse", "stateMse", "finalLoss"] as const;

/**
 * Checks a stored checkpoint against the comparison it is to continue (hidden widths, Adam steps,
 * and the parameters `template(model)` of each freshly built model). Throws a PhysmlInputError
 * naming the field under `resume.`; returns the checkpoint and the current model's trainer state.
 */
export function checkTwoBodyCheckpoint(
  raw: unknown,
  want: { hidden: readonly number[]; steps: number; template: (model: TwoBodyModelName) => object },
): { cp: TwoBodyCheckpoint; state: TrainState<object> } {
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
      !ERROR_KEYS.every((e) => typeof (d.errors as Record<string, unknown>)[e] === "number")
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
  const { state } = checkTrainer<FieldLoss, object>(raw, {
    hidden: want.hidden,
    maxStep: want.steps,
    inAdam: true,
    keys: ["step", "loss"],
    template: want.template(TWO_BODY_MODELS[k]),
  });
  return { cp: raw as unknown as TwoBodyCheckpoint, state };
}
