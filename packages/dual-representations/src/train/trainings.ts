// The trainings of a run, one after another, and the run's checkpoint: every finished training
// (its tag, learned parameters and epoch history). A run resumed from that checkpoint takes the
// finished trainings back in order instead of training them again; parameters go through
// autodiff's saveParams, whose numbers round-trip exactly, so what is computed from them (the
// latent overlaps, the learned maps' band alignment) is the same as in the uninterrupted run.
import { loadParams, saveParams, type Tensor, type Tree, treePaths } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import type { Labelled } from "./dataset.js";
import {
  type BinaryModel,
  type EpochMetrics,
  type FitOptions,
  type FitResult,
  fitBinary,
  fitResultOf,
} from "./fit.js";

/** Trains `model` from `init` and tags its epochs with `tag`. */
export type TaggedFit = <P extends Tree>(
  tag: string,
  model: BinaryModel<P>,
  init: P,
  data: { train: Labelled; test: Labelled },
  opts: FitOptions,
) => FitResult<P>;

/** Hooks: per-epoch metrics, tagged with what is training. */
export type OnEpoch = (tag: string, m: EpochMetrics) => void;

/** Plain training: every fit is run, its epochs go to `onEpoch`. */
export function taggedFit(onEpoch?: OnEpoch): TaggedFit {
  return (tag, model, init, data, opts) => fitBinary(model, init, data, opts, (m) => onEpoch?.(tag, m));
}

/** The same fits with `prefix` before every tag. */
export const prefixed =
  (fit: TaggedFit, prefix: string): TaggedFit =>
  (tag, ...rest) =>
    fit(`${prefix} ${tag}`, ...rest);

/** One finished training as stored in a checkpoint. */
export interface StoredTraining {
  tag: string;
  /** The learned parameters, as autodiff's saveParams writes them. */
  params: string;
  history: EpochMetrics[];
}

/** A run's checkpoint: its finished trainings, in the order they ran. */
export interface TrainingsCheckpoint {
  trainings: StoredTraining[];
}

const METRIC_KEYS = ["epoch", "loss", "trainAccuracy", "testAccuracy"] as const;
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Checks the form of a stored checkpoint: a list of trainings, each a tag, parameters and an
 * epoch history numbered 1, 2, …. Whether a training fits the run (its tag, parameter shapes and
 * epoch count) is checked when the run reaches it. Throws a PhysmlInputError naming the field
 * under `resume.`.
 */
export function checkTrainingsCheckpoint(raw: unknown): TrainingsCheckpoint {
  if (!isObject(raw) || !Array.isArray(raw.trainings))
    throw new PhysmlInputError("resume.trainings", "a list of finished trainings", typeof raw);
  raw.trainings.forEach((t, i) => {
    const f = (k: string) => `resume.trainings.${i}.${k}`;
    if (!isObject(t)) throw new PhysmlInputError(`resume.trainings.${i}`, "a finished training", typeof t);
    if (typeof t.tag !== "string") throw new PhysmlInputError(f("tag"), "a string", typeof t.tag);
    if (typeof t.params !== "string")
      throw new PhysmlInputError(f("params"), "parameters written by saveParams", typeof t.params);
    if (!Array.isArray(t.history) || t.history.length === 0)
      throw new PhysmlInputError(f("history"), "a non-empty list of epoch records", typeof t.history);
    t.history.forEach((m, e) => {
      if (!isObject(m) || !METRIC_KEYS.every((k) => typeof m[k] === "number" && Number.isFinite(m[k])))
        throw new PhysmlInputError(
          f(`history.${e}`),
          `an epoch record with finite ${METRIC_KEYS.join(", ")}`,
          typeof m,
        );
      if (m.epoch !== e + 1) throw new PhysmlInputError(f(`history.${e}.epoch`), `${e + 1}`, m.epoch);
    });
  });
  return raw as unknown as TrainingsCheckpoint;
}

const shapes = (t: Tree) =>
  treePaths(t)
    .map(([p, x]: [string, Tensor]) => `${p}[${x.shape.join("×")}]`)
    .join(" ");

/**
 * The trainings of one run: `fit` takes the next stored training back when there is one (checked
 * against the training asked for), else trains it and hands the checkpoint, now one training
 * longer, to `save`.
 */
export class TrainingLedger {
  private readonly done: StoredTraining[];
  private next = 0;

  constructor(
    resumed: TrainingsCheckpoint | null,
    private readonly onEpoch: OnEpoch | undefined,
    private readonly save: (cp: TrainingsCheckpoint) => void,
  ) {
    this.done = resumed ? [...resumed.trainings] : [];
  }

  readonly fit: TaggedFit = (tag, model, init, data, opts) => {
    const i = this.next++;
    if (i < this.done.length) return this.restore(i, tag, init, opts);
    const r = fitBinary(model, init, data, opts, (m) => this.onEpoch?.(tag, m));
    this.done.push({ tag, params: saveParams(r.params), history: r.history.map((m) => ({ ...m })) });
    this.save({ trainings: this.done });
    return r;
  };

  private restore<P extends Tree>(i: number, tag: string, init: P, opts: FitOptions): FitResult<P> {
    const s = this.done[i];
    const f = (k: string) => `resume.trainings.${i}.${k}`;
    if (s.tag !== tag) throw new PhysmlInputError(f("tag"), JSON.stringify(tag), JSON.stringify(s.tag));
    if (s.history.length !== opts.epochs)
      throw new PhysmlInputError(f("history"), `${opts.epochs} epochs`, s.history.length);
    let params: P;
    try {
      params = loadParams(s.params) as P;
    } catch (e) {
      throw new PhysmlInputError(
        f("params"),
        "parameters written by saveParams",
        "unreadable",
        (e as Error).message,
      );
    }
    if (shapes(params) !== shapes(init))
      throw new PhysmlInputError(f("params"), `the model's parameters ${shapes(init)}`, shapes(params));
    return fitResultOf(
      params,
      s.history.map((m) => ({ ...m })),
    );
  }
}
