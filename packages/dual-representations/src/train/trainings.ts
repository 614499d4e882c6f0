// The trainings of a run, one after another, and the run's checkpoint: every finished training
// (its tag, learned parameters and epoch history, and the seconds it took), and the one in
// progress (its parameters, Adam state, epochs and seconds so far). A run resumed from that
// checkpoint takes the finished trainings back in order instead of training them again and
// continues the one in progress at its next epoch.
// Parameters and Adam's state go through autodiff's saveParams and saveAdamState, whose numbers
// round-trip exactly, and an epoch's batch order depends only on the seed and epoch number, so the
// resumed run goes on bit for bit as the uninterrupted one.
import type { Tree } from "@physml/autodiff";
import { loadParamsLike, saveParams } from "@physml/autodiff/nn";
import { type AdamStateJson, loadAdamState, saveAdamState } from "@physml/autodiff/optim";
import { isObject, PhysmlInputError } from "@physml/lattice-core";
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

/**
 * Trains `model` from `init` and tags its epochs with `tag`. `carriedSeconds`: the seconds a
 * resumed run's earlier attempts spent on this training (taken back or continued; absent for one
 * trained here from the start).
 */
export type TaggedFit = <P extends Tree>(
  tag: string,
  model: BinaryModel<P>,
  init: P,
  data: { train: Labelled; test: Labelled },
  opts: FitOptions,
) => FitResult<P> & { carriedSeconds?: number };

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
  /** Seconds spent on it so far, over every attempt (absent in checkpoints written before). */
  seconds?: number;
}

/**
 * A run's checkpoint: its finished trainings, in the order they ran, the seconds each took over
 * every attempt (absent in checkpoints written before), and the one in progress.
 */
export interface TrainingsCheckpoint {
  trainings: StoredTraining[];
  trainingSeconds?: number[];
  current?: TrainingInProgress;
}

const seconds = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0;

const METRIC_KEYS = ["epoch", "loss", "trainAccuracy", "testAccuracy"] as const;

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
  const ts = raw.trainingSeconds;
  if (ts !== undefined && !(Array.isArray(ts) && ts.length === raw.trainings.length && ts.every(seconds)))
    throw new PhysmlInputError(
      "resume.trainingSeconds",
      `${raw.trainings.length} numbers of seconds >= 0`,
      JSON.stringify(ts),
    );
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
    if (c.seconds !== undefined && !seconds(c.seconds))
      throw new PhysmlInputError(
        "resume.current.seconds",
        "a number of seconds >= 0",
        JSON.stringify(c.seconds),
      );
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
  /** Seconds each finished training took, over every attempt (0 when its checkpoint had none). */
  private readonly doneSeconds: number[];
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
    this.doneSeconds = this.done.map((_, i) => resumed?.trainingSeconds?.[i] ?? 0);
    this.current = resumed?.current;
  }

  readonly fit: TaggedFit = (tag, model, init, data, opts) => {
    const i = this.next++;
    if (i < this.done.length) return this.restore(i, tag, init, opts);
    const from = this.current ? this.continued(tag, init, opts, this.current) : undefined;
    const before = this.current?.seconds ?? 0;
    this.current = undefined;
    const t0 = performance.now();
    const spent = () => before + (performance.now() - t0) / 1000;
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
          seconds: spent(),
        });
      },
    });
    this.done.push({ tag, params: saveParams(r.params), history: r.history.map((m) => ({ ...m })) });
    this.doneSeconds.push(spent());
    this.checkpoint(undefined);
    return from ? { ...r, carriedSeconds: before } : r;
  };

  private checkpoint(current: TrainingInProgress | undefined): void {
    const done = { trainings: this.done, trainingSeconds: this.doneSeconds };
    this.save(current ? { ...done, current } : done);
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

  private restore<P extends Tree>(
    i: number,
    tag: string,
    init: P,
    opts: FitOptions,
  ): FitResult<P> & { carriedSeconds: number } {
    const s = this.done[i];
    const f = (k: string) => `resume.trainings.${i}.${k}`;
    if (s.tag !== tag) throw new PhysmlInputError(f("tag"), JSON.stringify(tag), JSON.stringify(s.tag));
    if (s.history.length !== opts.epochs)
      throw new PhysmlInputError(f("history"), `${opts.epochs} epochs`, s.history.length);
    return {
      ...fitResultOf(
        loadParamsLike(s.params, init, f("params")),
        s.history.map((m) => ({ ...m })),
      ),
      carriedSeconds: this.doneSeconds[i],
    };
  }
}
