// A training's checkpoint: its parameters (autodiff's saveParams), Adam's state (saveAdamState)
// and its epoch records, after `history.length` epochs. Both numbers round-trip exactly, and
// nothing else is needed to go on bit for bit: an epoch's shuffle (and the CICY training's fresh
// arrangements) are drawn from keys of the seed and the epoch number, the data from the seed.
import { loadParamsLike, saveParams } from "@physml/autodiff/nn";
import { type AdamState, type AdamStateJson, loadAdamState, saveAdamState } from "@physml/autodiff/optim";
import { isObject, PhysmlInputError } from "@physml/lattice-core";

/** Which training a checkpoint holds: the potentials classifier or the CICY network. */
export type TrainingKind = "classifier" | "cicy";

/** A training between epochs, as stored. */
export interface TrainingCheckpoint<M> {
  training: TrainingKind;
  /** The parameters, as autodiff's saveParams writes them. */
  params: string;
  /** Adam's step count and moments, as autodiff's saveAdamState writes them. */
  adam: AdamStateJson;
  /** One record per finished epoch (epoch 1, 2, …). */
  history: M[];
}

/** Where a training checkpoints, and the checkpoint it continues from. */
export interface TrainingCheckpoints<M> {
  /** The checkpoint to continue from (its form checked by {@link checkTrainingCheckpoint}), or null. */
  from: TrainingCheckpoint<M> | null;
  save(cp: TrainingCheckpoint<M>): void;
  /**
   * Seconds between checkpoints during training (taken after an epoch once this long has passed
   * since the last one; 0: after every epoch). The last epoch is always checkpointed.
   */
  seconds: number;
}

/** The numbers every epoch record of a training holds (finite). */
const RECORD_KEYS: Record<TrainingKind, readonly string[]> = {
  classifier: ["epoch", "loss", "accuracy"],
  cicy: ["epoch", "loss", "h11Accuracy", "h21Accuracy", "h11Test", "h21Test", "seconds", "samples"],
};

/**
 * Checks the form of a stored checkpoint of `training`: parameters and Adam state as strings
 * and objects (their fit to the network is checked by {@link resumedState}), a non-empty epoch
 * history numbered 1, 2, …. Throws a PhysmlInputError naming the field under `resume.`.
 */
export function checkTrainingCheckpoint<M>(raw: unknown, training: TrainingKind): TrainingCheckpoint<M> {
  if (!isObject(raw)) throw new PhysmlInputError("resume", "a training checkpoint (an object)", typeof raw);
  if (raw.training !== training)
    throw new PhysmlInputError("resume.training", JSON.stringify(training), String(raw.training));
  if (typeof raw.params !== "string")
    throw new PhysmlInputError("resume.params", "parameters written by saveParams", typeof raw.params);
  if (!isObject(raw.adam))
    throw new PhysmlInputError("resume.adam", "an Adam state written by saveAdamState", typeof raw.adam);
  if (!Array.isArray(raw.history) || raw.history.length === 0)
    throw new PhysmlInputError("resume.history", "a non-empty list of epoch records", typeof raw.history);
  const keys = RECORD_KEYS[training];
  raw.history.forEach((m, e) => {
    if (!isObject(m) || !keys.every((k) => typeof m[k] === "number" && Number.isFinite(m[k])))
      throw new PhysmlInputError(
        `resume.history.${e}`,
        `an epoch record with finite ${keys.join(", ")}`,
        typeof m,
      );
    if (m.epoch !== e + 1)
      throw new PhysmlInputError(`resume.history.${e}.epoch`, `${e + 1}`, String(m.epoch));
  });
  return raw as unknown as TrainingCheckpoint<M>;
}

/**
 * The training state a checkpoint holds, for the network whose fresh parameters are `template`:
 * refused (a PhysmlInputError naming `resume.params`, `resume.adam.*` or `resume.history`) when
 * it does not fit them or holds more than `maxEpochs` epochs.
 */
export function resumedState<P extends object>(
  cp: TrainingCheckpoint<unknown>,
  template: P,
  maxEpochs: number,
): { params: P; opt: AdamState; epoch: number } {
  const epoch = cp.history.length;
  if (epoch > maxEpochs) throw new PhysmlInputError("resume.history", `at most ${maxEpochs} epochs`, epoch);
  return {
    params: loadParamsLike(cp.params, template, "resume.params"),
    opt: loadAdamState(cp.adam, template, "resume.adam"),
    epoch,
  };
}

/** Saves a training's checkpoints as often as its {@link TrainingCheckpoints} ask. */
export class Checkpointer<M> {
  private last = performance.now();

  constructor(
    private readonly training: TrainingKind,
    private readonly to: TrainingCheckpoints<M> | undefined,
  ) {}

  /** After an epoch: saves when `seconds` have passed since the last save, or when `final`. */
  afterEpoch(state: { params: object; opt: AdamState }, history: readonly M[], final: boolean): void {
    if (!this.to) return;
    if (!final && performance.now() - this.last < 1000 * this.to.seconds) return;
    this.to.save({
      training: this.training,
      params: saveParams(state.params),
      adam: saveAdamState(state.opt),
      history: history.map((m) => ({ ...m })),
    });
    this.last = performance.now();
  }
}
