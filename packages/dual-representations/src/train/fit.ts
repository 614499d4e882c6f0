// Binary classification by minibatch Adam (@physml/autodiff). The learner is a state and one
// epoch step, (state, data) → (state, metrics); the caller's loss may add terms (reconstruction,
// feature separation) to the cross-entropy of the logits.
import { random, type Tensor, type Tree, tensor, valueAndGrad } from "@physml/autodiff";
import { type AdamState, adam, cosineDecay, type LearningRate } from "@physml/autodiff/optim";
import { seedAffine } from "@physml/lattice-core";
import { type Labelled, takeRows } from "./dataset.js";

/** A model: its logits, and its training loss (at least the cross-entropy of those logits). */
export interface BinaryModel<P extends Tree> {
  /** Logits of rows x [B, d] → [B]. */
  logits(params: P, x: Tensor): Tensor;
  /** Training loss of a batch (labels y [B] in {0, 1}). */
  loss(params: P, x: Tensor, y: Tensor): Tensor;
}

/** Learning-rate schedules (`--lr-schedule`). */
export const LR_SCHEDULES = ["constant", "cosine"] as const;

export interface FitOptions {
  epochs: number;
  batch: number;
  lr: number;
  /** Default constant; cosine: from lr down to 0 over all the fit's Adam steps. */
  lrSchedule?: (typeof LR_SCHEDULES)[number];
  seed: number;
}

/**
 * Adam's learning rate per step. The schedule reads Adam's own step count, which a checkpoint
 * keeps, so a resumed fit continues on the same schedule.
 */
export function learningRate(opts: FitOptions, trainRows: number): LearningRate {
  if (opts.lrSchedule !== "cosine") return opts.lr;
  return cosineDecay(opts.lr, opts.epochs * Math.ceil(trainRows / opts.batch));
}

/** The learner's state: the checkpointable part of a fit. */
export interface FitState<P> {
  params: P;
  opt: AdamState;
  epoch: number;
}

/** What one epoch reports. */
export interface EpochMetrics {
  epoch: number;
  /** Mean training loss over the epoch's batches. */
  loss: number;
  trainAccuracy: number;
  testAccuracy: number;
}

/** Result of {@link fitBinary}. */
export interface FitResult<P> {
  params: P;
  history: EpochMetrics[];
  /** The best test accuracy over the epochs (the paper's "best test accuracy"). */
  bestTestAccuracy: number;
  finalTestAccuracy: number;
  finalTrainAccuracy: number;
}

const rows = (data: Labelled, idx: ArrayLike<number>) => {
  const t = takeRows(data, idx);
  return [tensor(t.x, [t.n, t.d]), tensor(t.y, [t.n])] as const;
};

/** Rows whose logits {@link accuracy} computes at once. */
export const ACCURACY_CHUNK = 4096;

/** Share of rows whose logit sign matches the label (logit 0 counts as class 0). */
export function accuracy<P extends Tree>(
  model: BinaryModel<P>,
  params: P,
  data: Labelled,
  chunk = ACCURACY_CHUNK,
): number {
  if (data.n === 0) return 0;
  let right = 0;
  for (let lo = 0; lo < data.n; lo += chunk) {
    const idx = Array.from({ length: Math.min(chunk, data.n - lo) }, (_, i) => lo + i);
    const [x] = rows(data, idx);
    const z = model.logits(params, x).toFloat64Array();
    for (let i = 0; i < z.length; i++) if (z[i] > 0 === data.y[lo + i] > 0.5) right++;
  }
  return right / data.n;
}

/** One epoch of minibatch Adam over a fresh permutation of the training rows. */
export function epochStep<P extends Tree>(
  model: BinaryModel<P>,
  state: FitState<P>,
  data: { train: Labelled; test: Labelled },
  opts: FitOptions,
): [FitState<P>, EpochMetrics] {
  const opt = adam({ lr: learningRate(opts, data.train.n) });
  const vg = valueAndGrad((p: P, x: Tensor, y: Tensor) => model.loss(p, x, y));
  const perm = random.permutation(random.key(seedAffine(opts.seed, 7919, state.epoch)), data.train.n);
  let { params, opt: os } = state;
  let total = 0;
  let batches = 0;
  for (let lo = 0; lo < perm.length; lo += opts.batch) {
    const [x, y] = rows(data.train, perm.subarray(lo, Math.min(lo + opts.batch, perm.length)));
    const [l, g] = vg(params, x, y);
    ({ params, state: os } = opt.step(params, g as P, os));
    total += l.item();
    batches++;
  }
  const next = { params, opt: os, epoch: state.epoch + 1 };
  return [
    next,
    {
      epoch: next.epoch,
      loss: total / Math.max(1, batches),
      trainAccuracy: accuracy(model, params, data.train),
      testAccuracy: accuracy(model, params, data.test),
    },
  ];
}

/** Where a fit continues from, and who hears its state after every epoch (to checkpoint it). */
export interface FitContinuation<P> {
  /** The state after some epochs and their metrics (a checkpoint's); absent: start at `init`. */
  from?: { state: FitState<P>; history: readonly EpochMetrics[] };
  afterEpoch?: (state: FitState<P>, history: readonly EpochMetrics[]) => void;
}

/**
 * Trains for `opts.epochs` epochs; `onEpoch` hears each epoch's metrics. An epoch's batch order
 * depends only on the seed and the epoch number, so a fit continued from the state after epoch k
 * goes on exactly as the uninterrupted one.
 */
export function fitBinary<P extends Tree>(
  model: BinaryModel<P>,
  init: P,
  data: { train: Labelled; test: Labelled },
  opts: FitOptions,
  onEpoch?: (m: EpochMetrics) => void,
  cont: FitContinuation<P> = {},
): FitResult<P> {
  let state: FitState<P> = cont.from?.state ?? {
    params: init,
    opt: adam({ lr: opts.lr }).init(init),
    epoch: 0,
  };
  const history: EpochMetrics[] = cont.from ? cont.from.history.map((m) => ({ ...m })) : [];
  while (state.epoch < opts.epochs) {
    let m: EpochMetrics;
    [state, m] = epochStep(model, state, data, opts);
    history.push(m);
    onEpoch?.(m);
    cont.afterEpoch?.(state, history);
  }
  return fitResultOf(state.params, history);
}

/** One classifier's accuracies, as a task reports them. */
export interface Accuracy {
  bestTest: number;
  finalTest: number;
  finalTrain: number;
}

/** The accuracies of a fit. */
export const accuracyOf = (r: FitResult<unknown>): Accuracy => ({
  bestTest: r.bestTestAccuracy,
  finalTest: r.finalTestAccuracy,
  finalTrain: r.finalTrainAccuracy,
});

/** A fit's result from its final parameters and its (non-empty) epoch history. */
export function fitResultOf<P>(params: P, history: EpochMetrics[]): FitResult<P> {
  const last = history[history.length - 1];
  return {
    params,
    history,
    bestTestAccuracy: Math.max(...history.map((h) => h.testAccuracy)),
    finalTestAccuracy: last.testAccuracy,
    finalTrainAccuracy: last.trainAccuracy,
  };
}
