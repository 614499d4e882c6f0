// The classifier of the paper: an MLP whose last hidden layer is the named embedding layer,
// followed by a linear softmax head. A learner in the house style: state → step → (state, metrics).
import {
  logSoftmax,
  mean,
  mul,
  oneHot,
  random,
  sum,
  type Tensor,
  tensor,
  valueAndGrad,
} from "@physml/autodiff";
import { Linear, type LinearParams, MLP } from "@physml/autodiff/nn";
import { type AdamState, adam, type Optimizer } from "@physml/autodiff/optim";
import { checkInt, PhysmlInputError, seedAffine } from "@physml/lattice-core";
import type { LabelledPoints } from "../data/sample.js";
import { Checkpointer, resumedState, type TrainingCheckpoints } from "../run/checkpoint.js";

export interface ClassifierConfig {
  /** Hidden widths before the embedding layer (default [64, 64]). */
  hidden?: readonly number[];
  /** Width of the embedding layer (default 16). */
  embedding?: number;
  /** Adam learning rate (default 3·10⁻³). */
  lr?: number;
  /** Mini-batch size (default 256). */
  batch?: number;
  /** Stop when the training accuracy exceeds this (the paper: 0.95). */
  targetAccuracy?: number;
  /** Give up after this many epochs (default 200). */
  maxEpochs?: number;
  seed: number;
}

/** Parameters: the body (input → embedding, tanh everywhere) and the head (embedding → logits). */
export interface ClassifierParams {
  [k: string]: LinearParams[] | LinearParams;
  body: LinearParams[];
  head: LinearParams;
}

/** The network: `embed` gives the named embedding layer, `logits` the class scores. */
export class Classifier {
  readonly body: MLP;
  readonly head: Linear;
  readonly classes: number;
  constructor(dim: number, classes: number, cfg: ClassifierConfig) {
    const hidden = cfg.hidden ?? [64, 64];
    const emb = cfg.embedding ?? 16;
    for (const [i, w] of [...hidden, emb].entries()) checkInt(`hidden[${i}]`, w, 1, 4096);
    const [kb, kh] = random.split(random.key(cfg.seed), 2);
    this.body = new MLP([dim, ...hidden, emb], { key: kb, activation: "tanh", finalActivation: "tanh" });
    this.head = new Linear(emb, classes, { key: kh });
    this.classes = classes;
  }
  init(): ClassifierParams {
    return { body: this.body.params, head: this.head.params };
  }
  /** The embedding layer's activations, [n, embedding]. */
  embed(p: ClassifierParams, x: Tensor): Tensor {
    return this.body.apply(p.body, x);
  }
  logits(p: ClassifierParams, x: Tensor): Tensor {
    return this.head.apply(p.head, this.embed(p, x));
  }
}

/** Training state; its checkpoint is itself. */
export interface ClassifierState {
  readonly params: ClassifierParams;
  readonly opt: AdamState;
  readonly epoch: number;
}

export interface EpochMetrics {
  epoch: number;
  loss: number;
  accuracy: number;
}

/** Row-wise argmax of a row-major [n, C] array. */
export function argmaxRows(z: Float64Array, C: number): Int32Array {
  const out = new Int32Array(z.length / C);
  for (let i = 0; i < out.length; i++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (z[i * C + c] > z[i * C + best]) best = c;
    out[i] = best;
  }
  return out;
}

/** Fraction of rows whose argmax logit equals the label. */
export function accuracyOf(logits: Tensor, labels: Int32Array): number {
  const best = argmaxRows(logits.toFloat64Array(), logits.shape[1]);
  let hit = 0;
  for (let i = 0; i < labels.length; i++) if (best[i] === labels[i]) hit++;
  return hit / labels.length;
}

function rows(x: Float64Array, dim: number, idx: ArrayLike<number>): Tensor {
  const out = new Float64Array(idx.length * dim);
  for (let j = 0; j < idx.length; j++) out.set(x.subarray(idx[j] * dim, (idx[j] + 1) * dim), j * dim);
  return tensor(out, [idx.length, dim]);
}

/** Cross-entropy of softmax(logits) against integer labels. */
export function crossEntropy(logits: Tensor, labels: Int32Array): Tensor {
  const y = oneHot(labels, logits.shape[1]);
  return mul(mean(sum(mul(y, logSoftmax(logits, 1)), 1)), -1);
}

/** One epoch of shuffled mini-batch Adam; returns the new state and the epoch's metrics. */
export function classifierStep(
  net: Classifier,
  opt: Optimizer<AdamState>,
  state: ClassifierState,
  data: LabelledPoints,
  batch: number,
  seed: number,
): [ClassifierState, EpochMetrics] {
  const perm = random.permutation(random.key(seedAffine(seed, 100003, state.epoch)), data.n);
  let params = state.params;
  let os = state.opt;
  let lossSum = 0;
  const lossFn = (p: ClassifierParams, xb: Tensor, yb: Int32Array) => crossEntropy(net.logits(p, xb), yb);
  for (let s = 0; s < data.n; s += batch) {
    const idx = perm.subarray(s, Math.min(data.n, s + batch));
    const xb = rows(data.x, data.dim, idx);
    const yb = Int32Array.from(idx, (i) => data.labels[i]);
    const [l, g] = valueAndGrad(lossFn)(params, xb, yb);
    lossSum += l.item() * idx.length;
    ({ params, state: os } = opt.step(params, g, os));
  }
  const accuracy = accuracyOf(net.logits(params, tensor(data.x, [data.n, data.dim])), data.labels);
  const next = { params, opt: os, epoch: state.epoch + 1 };
  return [next, { epoch: next.epoch, loss: lossSum / data.n, accuracy }];
}

export interface TrainedClassifier {
  net: Classifier;
  state: ClassifierState;
  history: EpochMetrics[];
  accuracy: number;
  /** True when the target accuracy was reached within maxEpochs. */
  converged: boolean;
}

/**
 * Trains until the training accuracy exceeds the target (the paper's stopping rule). With
 * `checkpoints`, continues from its stored state when there is one (refused naming the
 * `resume.*` field when it does not fit this network) and checkpoints as it asks.
 */
export function trainClassifier(
  data: LabelledPoints,
  cfg: ClassifierConfig,
  onEpoch?: (m: EpochMetrics) => void,
  checkpoints?: TrainingCheckpoints<EpochMetrics>,
): TrainedClassifier {
  const target = cfg.targetAccuracy ?? 0.95;
  if (!(target > 0 && target <= 1))
    throw new PhysmlInputError("targetAccuracy", "a number in (0, 1]", target);
  const batch = checkInt("batch", cfg.batch ?? 256, 1, 1 << 20);
  const maxEpochs = checkInt("maxEpochs", cfg.maxEpochs ?? 200, 1, 1e6);
  const net = new Classifier(data.dim, data.classes, cfg);
  const opt = adam({ lr: cfg.lr ?? 3e-3 });
  const params = net.init();
  const from = checkpoints?.from;
  let state: ClassifierState = from
    ? resumedState(from, params, maxEpochs)
    : { params, opt: opt.init(params), epoch: 0 };
  const history: EpochMetrics[] = from ? from.history.map((m) => ({ ...m })) : [];
  const saver = new Checkpointer("classifier", checkpoints);
  let accuracy = history.at(-1)?.accuracy ?? 0;
  const training = () => state.epoch < maxEpochs && !(accuracy > target);
  while (training()) {
    let m: EpochMetrics;
    [state, m] = classifierStep(net, opt, state, data, batch, cfg.seed);
    history.push(m);
    accuracy = m.accuracy;
    onEpoch?.(m);
    saver.afterEpoch(state, history, !training());
  }
  return { net, state, history, accuracy, converged: accuracy > target };
}

/** Embedding-layer activations of every point, row-major [n, embedding]. */
export function embeddings(t: TrainedClassifier, data: LabelledPoints): Float64Array {
  return t.net.embed(t.state.params, tensor(data.x, [data.n, data.dim])).toFloat64Array();
}
