// The paper's CICY network (Table 1): configuration matrix → 315 → 315 → 100 → 100 (the
// embedding layer) → two softmax heads, h¹¹ and h²¹. Trained either as in the paper, on a fixed
// set of permuted matrices (`arrangements` per CICY, drawn once; the stopping rule is the
// training accuracy on that set), or on freshly permuted matrices every epoch (`copies` per CICY;
// the stopping rule is the accuracy on a separate validation draw of unseen arrangements).
import { add, random, type Tensor, tensor, valueAndGrad } from "@physml/autodiff";
import { Linear, type LinearParams, MLP } from "@physml/autodiff/nn";
import { type AdamState, adam, exponentialDecay, type Optimizer } from "@physml/autodiff/optim";
import { checkInt, seedAffine } from "@physml/lattice-core";
import { accuracyOf, crossEntropy } from "../model/classifier.js";
import { Checkpointer, resumedState, type TrainingCheckpoints } from "../run/checkpoint.js";
import { accuracyError } from "./accuracy-error.js";
import { augment, CICY_COLS, CICY_ROWS, type Cicy } from "./data.js";
import { CicyEquivariantNet, type EquivariantParams } from "./equivariant.js";
import { H11_CLASSES, H21_CLASSES } from "./heads.js";
import { type CicySplit, splitCicys, splitPermutations } from "./split.js";

export { H11_CLASSES, H21_CLASSES } from "./heads.js";

export interface CicyConfig {
  /** The paper's MLP (default) or the permutation-invariant network of equivariant.ts. */
  model?: "mlp" | "equivariant";
  /** Channels of the equivariant network's layers (default [32, 32, 32]). */
  channels?: readonly number[];
  /** Body widths after the input (default the paper's [315, 315, 100, 100]; the last is the embedding). */
  widths?: readonly number[];
  /** Hidden activation (default tanh, as in the paper); the embedding layer is always tanh. */
  activation?: "tanh" | "relu";
  /** Adam's learning rate (default 10⁻³). */
  lr?: number;
  /** Factor on the learning rate per epoch (default 1: constant). */
  lrDecay?: number;
  /** Mini-batch size (default 128). */
  batch?: number;
  /** Permuted copies of every CICY per epoch (default 4); ignored with `arrangements`. */
  copies?: number;
  /**
   * The paper's fixed augmented set: this many permuted arrangements of every training CICY,
   * drawn once and reused every epoch (the paper: 686,464 samples ≈ 87 per CICY). The stopping
   * rule is then the training accuracy on this set, as in the paper. Default: fresh draws.
   */
  arrangements?: number;
  /**
   * Stop when both heads exceed this: on the fixed training set with `arrangements` (the paper's
   * rule), else on validation arrangements of the training CICYs (default 0.95).
   */
  targetAccuracy?: number;
  /** What the test holds out: one arrangement of every CICY (default) or whole CICYs. */
  split?: "permutations" | "cicys";
  /** Share of CICYs held out by the "cicys" split (default 0.2). */
  testFraction?: number;
  maxEpochs?: number;
  /** Stop after this many seconds of training (default: no limit). */
  maxSeconds?: number;
  seed: number;
}

export interface CicyParams {
  [k: string]: LinearParams[] | LinearParams;
  body: LinearParams[];
  h11: LinearParams;
  h21: LinearParams;
}

export class CicyNet {
  readonly body: MLP;
  readonly h11: Linear;
  readonly h21: Linear;
  constructor(cfg: CicyConfig) {
    const widths = cfg.widths ?? [315, 315, 100, 100];
    for (const [i, w] of widths.entries()) checkInt(`widths[${i}]`, w, 1, 4096);
    const [kb, k1, k2] = random.split(random.key(cfg.seed), 3);
    this.body = new MLP([CICY_ROWS * CICY_COLS, ...widths], {
      key: kb,
      activation: cfg.activation ?? "tanh",
      finalActivation: "tanh",
    });
    const e = widths[widths.length - 1];
    this.h11 = new Linear(e, H11_CLASSES, { key: k1 });
    this.h21 = new Linear(e, H21_CLASSES, { key: k2 });
  }
  init(): CicyParams {
    return { body: this.body.params, h11: this.h11.params, h21: this.h21.params };
  }
  embed(p: CicyParams, x: Tensor): Tensor {
    return this.body.apply(p.body, x);
  }
  heads(p: CicyParams, x: Tensor): [Tensor, Tensor] {
    const e = this.embed(p, x);
    return [this.h11.apply(p.h11, e), this.h21.apply(p.h21, e)];
  }
}

/** Parameters of either network. */
export type AnyCicyParams = CicyParams | EquivariantParams;

/** What training and the analyses need of a CICY network. */
export interface HodgeNetwork {
  init(): AnyCicyParams;
  embed(p: AnyCicyParams, x: Tensor): Tensor;
  heads(p: AnyCicyParams, x: Tensor): [Tensor, Tensor];
}

/** The network a configuration asks for. */
export function cicyNetwork(cfg: CicyConfig): HodgeNetwork {
  if ((cfg.model ?? "mlp") === "mlp") return new CicyNet(cfg);
  return new CicyEquivariantNet({
    seed: cfg.seed,
    ...(cfg.channels ? { channels: cfg.channels } : {}),
    ...(cfg.widths ? { widths: cfg.widths } : {}),
    ...(cfg.activation ? { activation: cfg.activation } : {}),
  });
}

export interface CicyState {
  readonly params: AnyCicyParams;
  readonly opt: AdamState;
  readonly epoch: number;
}

export interface CicyMetrics {
  epoch: number;
  loss: number;
  /** Accuracy on validation arrangements of the training CICYs (the stopping rule without `arrangements`). */
  h11Accuracy: number;
  h21Accuracy: number;
  /** Accuracy on the fixed training set (with `arrangements`; the paper's stopping rule), else absent. */
  h11Train?: number;
  h21Train?: number;
  /** Accuracy on the split's test inputs (never trained on; not used to stop). */
  h11Test: number;
  h21Test: number;
  seconds: number;
  samples: number;
}

/** Accuracy of one head with its error bar ({@link accuracyError}) over n independent items. */
export interface HeadAccuracy {
  accuracy: number;
  error: number;
  n: number;
}

const D = CICY_ROWS * CICY_COLS;

function labelsOf(cicys: readonly Cicy[], index: Int32Array): [Int32Array, Int32Array] {
  return [Int32Array.from(index, (i) => cicys[i].h11), Int32Array.from(index, (i) => cicys[i].h21)];
}

/** Accuracy of both heads on inputs x [n, 180], evaluated in chunks. */
export function hodgeAccuracy(
  net: HodgeNetwork,
  p: AnyCicyParams,
  cicys: readonly Cicy[],
  data: { x: Float64Array; index: Int32Array },
): { h11: number; h21: number } {
  const [y11, y21] = labelsOf(cicys, data.index);
  const n = data.index.length;
  const chunk = 4096;
  let hit11 = 0;
  let hit21 = 0;
  for (let s = 0; s < n; s += chunk) {
    const m = Math.min(chunk, n - s);
    const [z11, z21] = net.heads(p, tensor(data.x.slice(s * D, (s + m) * D), [m, D]));
    hit11 += m * accuracyOf(z11, y11.subarray(s, s + m));
    hit21 += m * accuracyOf(z21, y21.subarray(s, s + m));
  }
  return { h11: Math.round(hit11) / n, h21: Math.round(hit21) / n };
}

/**
 * Test accuracy with its error bar. The inputs of one CICY are correlated, so n is the number of
 * distinct CICYs in the test set (conservative when a CICY appears in several arrangements).
 */
export function testAccuracy(
  net: HodgeNetwork,
  p: AnyCicyParams,
  cicys: readonly Cicy[],
  test: { x: Float64Array; index: Int32Array },
): { h11: HeadAccuracy; h21: HeadAccuracy } {
  const a = hodgeAccuracy(net, p, cicys, test);
  const n = new Set(test.index).size;
  const head = (acc: number): HeadAccuracy => ({ accuracy: acc, error: accuracyError(acc, n), n });
  return { h11: head(a.h11), h21: head(a.h21) };
}

/** Inputs of the CICYs with the index of each input's CICY. */
export interface CicyInputs {
  x: Float64Array;
  index: Int32Array;
}

/**
 * The paper's fixed augmented set: `arrangements` random arrangements of every training CICY
 * (held-out test arrangements redrawn), drawn once from the seed.
 */
export function fixedTrainingSet(
  cicys: readonly Cicy[],
  cfg: CicyConfig,
  split?: Pick<CicySplit, "train" | "exclude">,
): CicyInputs {
  const arrangements = checkInt("arrangements", cfg.arrangements ?? 87, 1, 100_000);
  return augment(cicys, arrangements, seedAffine(cfg.seed, 7919, 77_777), false, {
    which: split?.train,
    exclude: split?.exclude,
  });
}

/** At most `max` inputs of a set, a seeded random choice (all of them when there are fewer). */
export function sampleInputs(data: CicyInputs, max: number, seed: number): CicyInputs {
  const n = data.index.length;
  if (n <= max) return data;
  const pick = random.permutation(random.key(seed), n).subarray(0, max);
  const x = new Float64Array(max * D);
  pick.forEach((r, j) => {
    x.set(data.x.subarray(r * D, (r + 1) * D), j * D);
  });
  return { x, index: Int32Array.from(pick, (r) => data.index[r]) };
}

/**
 * One epoch: over the fixed set `fixed` when given, else over freshly permuted copies of the
 * training CICYs (held-out arrangements redrawn).
 */
export function cicyStep(
  net: HodgeNetwork,
  opt: Optimizer<AdamState>,
  state: CicyState,
  cicys: readonly Cicy[],
  cfg: CicyConfig,
  split?: Pick<CicySplit, "train" | "exclude">,
  fixed?: CicyInputs,
): [CicyState, { loss: number; samples: number }] {
  const batch = checkInt("batch", cfg.batch ?? 128, 1, 1 << 16);
  const data =
    fixed ??
    augment(cicys, cfg.copies ?? 4, seedAffine(cfg.seed, 7919, state.epoch + 1), false, {
      which: split?.train,
      exclude: split?.exclude,
    });
  const [y11, y21] = labelsOf(cicys, data.index);
  const n = data.index.length;
  const perm = random.permutation(random.key(seedAffine(cfg.seed, 31, state.epoch)), n);
  const lossFn = (p: AnyCicyParams, xb: Tensor, a: Int32Array, b: Int32Array) => {
    const [z11, z21] = net.heads(p, xb);
    return add(crossEntropy(z11, a), crossEntropy(z21, b));
  };
  let params = state.params;
  let os = state.opt;
  let lossSum = 0;
  for (let s = 0; s < n; s += batch) {
    const idx = perm.subarray(s, Math.min(n, s + batch));
    const xb = new Float64Array(idx.length * D);
    idx.forEach((r, j) => {
      xb.set(data.x.subarray(r * D, (r + 1) * D), j * D);
    });
    const a = Int32Array.from(idx, (r) => y11[r]);
    const b = Int32Array.from(idx, (r) => y21[r]);
    const [l, g] = valueAndGrad(lossFn)(params, tensor(xb, [idx.length, D]), a, b);
    lossSum += l.item() * idx.length;
    ({ params, state: os } = opt.step(params, g, os));
  }
  return [
    { params, opt: os, epoch: state.epoch + 1 },
    { loss: lossSum / n, samples: n },
  ];
}

export interface TrainedCicy {
  net: HodgeNetwork;
  state: CicyState;
  history: CicyMetrics[];
  converged: boolean;
  split: CicySplit;
}

/** The split a configuration asks for (seeded apart from the training draws). */
export function cicySplit(cicys: readonly Cicy[], cfg: CicyConfig): CicySplit {
  return (cfg.split ?? "permutations") === "cicys"
    ? splitCicys(cicys, cfg.testFraction ?? 0.2, 4, seedAffine(cfg.seed, 7919, 424_243))
    : splitPermutations(cicys, seedAffine(cfg.seed, 7919, 424_243));
}

/** Largest number of fixed-set inputs whose accuracy is evaluated per epoch (binomial error ≤ 0.006). */
export const TRAIN_EVAL_MAX = 8192;

/**
 * Trains until both heads exceed the target, or a limit is hit. With `arrangements` the target is
 * judged on the fixed training set (the paper's rule; on a seeded sample of at most
 * {@link TRAIN_EVAL_MAX} of its inputs), else on validation arrangements of the training CICYs.
 * The split's test accuracy is recorded every epoch but never decides anything. With
 * `checkpoints`, continues from its stored state when there is one (refused naming the
 * `resume.*` field when it does not fit this network; its seconds and samples go on from the
 * stored ones) and checkpoints as it asks.
 */
export function trainCicy(
  cicys: readonly Cicy[],
  cfg: CicyConfig,
  onEpoch?: (m: CicyMetrics) => void,
  checkpoints?: TrainingCheckpoints<CicyMetrics>,
): TrainedCicy {
  const target = cfg.targetAccuracy ?? 0.95;
  const maxEpochs = checkInt("maxEpochs", cfg.maxEpochs ?? 1000, 1, 1e6);
  const split = cicySplit(cicys, cfg);
  const net = cicyNetwork(cfg);
  const fixed = cfg.arrangements === undefined ? undefined : fixedTrainingSet(cicys, cfg, split);
  const trainEval = fixed
    ? sampleInputs(fixed, TRAIN_EVAL_MAX, seedAffine(cfg.seed, 7919, 55_555))
    : undefined;
  const perEpoch = fixed ? fixed.index.length : split.train.length * (cfg.copies ?? 4);
  const stepsPerEpoch = Math.ceil(perEpoch / (cfg.batch ?? 128));
  const lr = cfg.lr ?? 1e-3;
  const opt = adam({
    lr: (cfg.lrDecay ?? 1) === 1 ? lr : exponentialDecay(lr, stepsPerEpoch, cfg.lrDecay ?? 1),
  });
  const p0 = net.init();
  const from = checkpoints?.from;
  let state: CicyState = from
    ? resumedState(from, p0, maxEpochs)
    : { params: p0, opt: opt.init(p0), epoch: 0 };
  const validation = augment(cicys, 1, seedAffine(cfg.seed, 7919, 999_983), false, {
    which: split.train,
    exclude: split.exclude,
  });
  const history: CicyMetrics[] = from ? from.history.map((m) => ({ ...m })) : [];
  const saver = new Checkpointer("cicy", checkpoints);
  const t0 = performance.now();
  const last = history.at(-1);
  const seconds0 = last?.seconds ?? 0;
  let samples = last?.samples ?? 0;
  // the stopping rule on an epoch's record: the fixed set's accuracy when there is one (the
  // record has h11Train exactly then), else validation's; or the time limit
  const converged = (m: CicyMetrics | undefined) =>
    m !== undefined && (m.h11Train ?? m.h11Accuracy) > target && (m.h21Train ?? m.h21Accuracy) > target;
  const stops = (m: CicyMetrics | undefined) =>
    state.epoch >= maxEpochs ||
    converged(m) ||
    (m !== undefined && cfg.maxSeconds !== undefined && m.seconds > cfg.maxSeconds);
  while (!stops(history.at(-1))) {
    const [next, m] = cicyStep(net, opt, state, cicys, cfg, split, fixed);
    state = next;
    samples += m.samples;
    const seconds = seconds0 + (performance.now() - t0) / 1000;
    const val = hodgeAccuracy(net, state.params, cicys, validation);
    const test = hodgeAccuracy(net, state.params, cicys, split.test);
    const train = trainEval ? hodgeAccuracy(net, state.params, cicys, trainEval) : undefined;
    const metrics: CicyMetrics = {
      epoch: state.epoch,
      loss: m.loss,
      h11Accuracy: val.h11,
      h21Accuracy: val.h21,
      ...(train ? { h11Train: train.h11, h21Train: train.h21 } : {}),
      h11Test: test.h11,
      h21Test: test.h21,
      seconds,
      samples,
    };
    history.push(metrics);
    onEpoch?.(metrics);
    saver.afterEpoch(state, history, stops(metrics));
  }
  return { net, state, history, converged: converged(history.at(-1)), split };
}
