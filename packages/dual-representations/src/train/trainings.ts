// The trainings of a run, one after another, and the run's checkpoint: every finished training
// (its tag, learned parameters and epoch history), and the one in progress (its parameters, Adam
// state and epochs so far). A run resumed from that checkpoint takes the finished trainings back
// in order instead of training them again and continues the one in progress at its next epoch.
// Parameters and Adam's state go through autodiff's saveParams and saveAdamState, whose numbers
// round-trip exactly, and an epoch's batch order depends only on the seed and epoch number, so the
// resumed run goes on bit for bit as the uninterrupted one.
import type { Tree } from "@physml/autodiff";
import { loadParamsLike, saveParams } from "@physml/autodiff/nn";
import { type AdamStateJson, loadAdamState, saveAdamState } from "@physml/autodiff/optim";
import { PhysmlInputError } from "@physml/lattice-core";
import type { Labelled } from "./dataset.js";
import {
  type BinaryModel,
  type EpochMetrics,
  type FitOptions,
  type FitResult,
  type FitState,
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

/** The training in progress as stored in a checkpoint: its state after `history.length` epochs. */
export interface TrainingInProgress extends StoredTraining {
  /** Adam's step count and moments, as autodiff's saveAdamState writes them. */
  adam: AdamStateJson;
}

/** A run's checkpoint: its finished trainings, in the order they ran, and the one in progress. */
export interface TrainingsCheckpoint {
  trainings: StoredTraining[];
  current?: TrainingInProgress;
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
  const checkTraining = (t: unknown, at: string) => {
    const f = (k: string) => `${at}.${k}`;
    if (!isObject(t)) throw new PhysmlInputError(at, "a training", typeof t);
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
    return t;
  };
  for (const [i, t] of raw.trainings.entries()) checkTraining(t, `resume.trainings.${i}`);
  if (raw.current !== undefined) {
    const c = checkTraining(raw.current, "resume.current");
    const a = c.adam;
    if (!isObject(a) || !Number.isInteger(a.step) || (a.step as number) < 0)
      throw new PhysmlInputError(
        "resume.current.adam.step",
        "an integer >= 0",
        isObject(a) ? a.step : typeof a,
      );
    for (const k of ["m", "v"])
      if (typeof a[k] !== "string")
        throw new PhysmlInputError(`resume.current.adam.${k}`, "vectors written by saveParams", typeof a[k]);
  }
  return raw as unknown as TrainingsCheckpoint;
}

/** When a run checkpoints. */
export interface LedgerOptions {
  /**
   * Seconds between checkpoints inside a training (taken after an epoch once this long has passed
   * since the last checkpoint; 0: after every epoch). A finished training is always checkpointed.
   */
  checkpointSeconds: number;
}

/** Epochs of the whole run at a checkpoint: non-decreasing, so the newest file is the one to resume. */
export const checkpointStep = (cp: TrainingsCheckpoint): number =>
  cp.trainings.reduce((s, t) => s + t.history.length, 0) + (cp.current?.history.length ?? 0);

/**
 * The trainings of one run: `fit` takes the next stored training back when there is one (checked
 * against the training asked for), continues the stored training in progress, else trains from
 * the start; it hands `save` the checkpoint after every finished training and, every
 * `checkpointSeconds`, during one.
 */
export class TrainingLedger {
  private readonly done: StoredTraining[];
  private current: TrainingInProgress | undefined;
  private next = 0;
  private lastSave = performance.now();

  constructor(
    resumed: TrainingsCheckpoint | null,
    private readonly onEpoch: OnEpoch | undefined,
    private readonly save: (cp: TrainingsCheckpoint) => void,
    private readonly opts: LedgerOptions = { checkpointSeconds: 30 },
  ) {
    this.done = resumed ? [...resumed.trainings] : [];
    this.current = resumed?.current;
  }

  readonly fit: TaggedFit = (tag, model, init, data, opts) => {
    const i = this.next++;
    if (i < this.done.length) return this.restore(i, tag, init, opts);
    const from = this.current ? this.continued(tag, init, opts, this.current) : undefined;
    this.current = undefined;
    const r = fitBinary(model, init, data, opts, (m) => this.onEpoch?.(tag, m), {
      from,
      afterEpoch: (state, history) => {
        if (state.epoch >= opts.epochs) return;
        if (performance.now() - this.lastSave < 1000 * this.opts.checkpointSeconds) return;
        this.checkpoint({
          tag,
          params: saveParams(state.params),
          adam: saveAdamState(state.opt),
          history: history.map((m) => ({ ...m })),
        });
      },
    });
    this.done.push({ tag, params: saveParams(r.params), history: r.history.map((m) => ({ ...m })) });
    this.checkpoint(undefined);
    return r;
  };

  private checkpoint(current: TrainingInProgress | undefined): void {
    this.save(current ? { trainings: this.done, current } : { trainings: this.done });
    this.lastSave = performance.now();
  }

  private continued<P extends Tree>(
    tag: string,
    init: P,
    opts: FitOptions,
    c: TrainingInProgress,
  ): { state: FitState<P>; history: EpochMetrics[] } {
    if (c.tag !== tag)
      throw new PhysmlInputError("resume.current.tag", JSON.stringify(tag), JSON.stringify(c.tag));
    const epoch = c.history.length;
    if (epoch >= opts.epochs)
      throw new PhysmlInputError("resume.current.history", `fewer than ${opts.epochs} epochs`, epoch);
    const params = loadParamsLike(c.params, init, "resume.current.params");
    const opt = loadAdamState(c.adam, init, "resume.current.adam");
    return { state: { params, opt, epoch }, history: c.history.map((m) => ({ ...m })) };
  }

  private restore<P extends Tree>(i: number, tag: string, init: P, opts: FitOptions): FitResult<P> {
    const s = this.done[i];
    const f = (k: string) => `resume.trainings.${i}.${k}`;
    if (s.tag !== tag) throw new PhysmlInputError(f("tag"), JSON.stringify(tag), JSON.stringify(s.tag));
    if (s.history.length !== opts.epochs)
      throw new PhysmlInputError(f("history"), `${opts.epochs} epochs`, s.history.length);
    return fitResultOf(
      loadParamsLike(s.params, init, f("params")),
      s.history.map((m) => ({ ...m })),
    );
  }
}
