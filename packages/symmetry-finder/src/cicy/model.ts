// The paper's CICY network (Table 1): configuration matrix → 315 → 315 → 100 → 100 (the
// embedding layer) → two softmax heads, h¹¹ and h²¹. Trained on freshly permuted matrices every
// epoch, so the augmentation is unbounded instead of the paper's fixed 686,464 samples.
import {
  type AdamState,
  adam,
  add,
  Linear,
  type LinearParams,
  MLP,
  type Optimizer,
  random,
  type Tensor,
  tensor,
  valueAndGrad,
} from "@physml/autodiff";
import { checkInt } from "@physml/lattice-core";
import { accuracyOf, crossEntropy } from "../model/classifier.js";
import { augment, CICY_COLS, CICY_ROWS, type Cicy } from "./data.js";

export const H11_CLASSES = 20;
export const H21_CLASSES = 102;

export interface CicyConfig {
  /** Body widths after the input (default the paper's [315, 315, 100, 100]; the last is the embedding). */
  widths?: readonly number[];
  lr?: number;
  batch?: number;
  /** Permuted copies of every CICY per epoch (default 4). */
  copies?: number;
  /** Stop when both heads exceed this on held-out permutations (default 0.95). */
  targetAccuracy?: number;
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
      activation: "tanh",
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

export interface CicyState {
  readonly params: CicyParams;
  readonly opt: AdamState;
  readonly epoch: number;
}

export interface CicyMetrics {
  epoch: number;
  loss: number;
  h11Accuracy: number;
  h21Accuracy: number;
  seconds: number;
  samples: number;
}

const D = CICY_ROWS * CICY_COLS;

function labelsOf(cicys: readonly Cicy[], index: Int32Array): [Int32Array, Int32Array] {
  return [Int32Array.from(index, (i) => cicys[i].h11), Int32Array.from(index, (i) => cicys[i].h21)];
}

/** Accuracy of both heads on inputs x [n, 180]. */
export function hodgeAccuracy(
  net: CicyNet,
  p: CicyParams,
  cicys: readonly Cicy[],
  data: { x: Float64Array; index: Int32Array },
): { h11: number; h21: number } {
  const [y11, y21] = labelsOf(cicys, data.index);
  const n = data.index.length;
  const [z11, z21] = net.heads(p, tensor(data.x, [n, D]));
  return { h11: accuracyOf(z11, y11), h21: accuracyOf(z21, y21) };
}

/** One epoch over freshly permuted copies of every CICY. */
export function cicyStep(
  net: CicyNet,
  opt: Optimizer<AdamState>,
  state: CicyState,
  cicys: readonly Cicy[],
  cfg: CicyConfig,
): [CicyState, { loss: number; samples: number }] {
  const batch = cfg.batch ?? 128;
  const data = augment(cicys, cfg.copies ?? 4, cfg.seed * 7919 + state.epoch + 1, false);
  const [y11, y21] = labelsOf(cicys, data.index);
  const n = data.index.length;
  const perm = random.permutation(random.key(cfg.seed * 31 + state.epoch), n);
  const lossFn = (p: CicyParams, xb: Tensor, a: Int32Array, b: Int32Array) => {
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
  net: CicyNet;
  state: CicyState;
  history: CicyMetrics[];
  converged: boolean;
}

/** Trains until both heads exceed the target on held-out permutations, or a limit is hit. */
export function trainCicy(
  cicys: readonly Cicy[],
  cfg: CicyConfig,
  onEpoch?: (m: CicyMetrics) => void,
): TrainedCicy {
  const target = cfg.targetAccuracy ?? 0.95;
  const maxEpochs = checkInt("maxEpochs", cfg.maxEpochs ?? 1000, 1, 1e6);
  const net = new CicyNet(cfg);
  const opt = adam({ lr: cfg.lr ?? 1e-3 });
  const p0 = net.init();
  let state: CicyState = { params: p0, opt: opt.init(p0), epoch: 0 };
  const heldOut = augment(cicys, 1, cfg.seed * 7919 + 999_983, false);
  const history: CicyMetrics[] = [];
  const t0 = performance.now();
  let samples = 0;
  let converged = false;
  while (state.epoch < maxEpochs) {
    const [next, m] = cicyStep(net, opt, state, cicys, cfg);
    state = next;
    samples += m.samples;
    const acc = hodgeAccuracy(net, state.params, cicys, heldOut);
    const seconds = (performance.now() - t0) / 1000;
    const metrics = {
      epoch: state.epoch,
      loss: m.loss,
      h11Accuracy: acc.h11,
      h21Accuracy: acc.h21,
      seconds,
      samples,
    };
    history.push(metrics);
    onEpoch?.(metrics);
    converged = acc.h11 > target && acc.h21 > target;
    if (converged || (cfg.maxSeconds !== undefined && seconds > cfg.maxSeconds)) break;
  }
  return { net, state, history, converged };
}
