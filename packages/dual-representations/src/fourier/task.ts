// The Fourier task: the same simple classifier (per-coordinate linear and quadratic features,
// then a logistic read-out) on the signals in position space, in the DFT basis, and behind a
// learned linear map W trained with the cross-entropy alone or with the feature-separation loss
// added. The question is whether W becomes the DFT without being handed it.
import {
  add,
  concat,
  div,
  eye,
  matmul,
  mean,
  mT,
  mul,
  random,
  reshape,
  square,
  sub,
  sum,
  type Tensor,
  tensor,
} from "@physml/autodiff";
import type { Accuracy } from "../chain/task.js";
import type { FourierConfig } from "../config.js";
import { splitRows } from "../train/dataset.js";
import type { BinaryModel } from "../train/fit.js";
import { bceWithLogits, mlpClassifier } from "../train/models.js";
import { type TaggedFit, taggedFit } from "../train/trainings.js";
import {
  applyMatrix,
  bandAlignment,
  bandSignals,
  fourierConcentration,
  realDft,
  signalNoiseSignals,
} from "./signals.js";

interface AdditiveParams {
  [k: string]: Tensor;
  u: Tensor;
  v: Tensor;
  b: Tensor;
}

interface LearnedParams {
  [k: string]: Tensor | AdditiveParams;
  W: Tensor;
  head: AdditiveParams;
}

/** The simple network: logit = b + Σ_j (u_j z_j + v_j z_j²), one coordinate at a time. */
function additiveLogits(p: AdditiveParams, z: Tensor): Tensor {
  const lin = matmul(concat([z, square(z)], 1), reshape(concat([p.u, p.v], 0), [-1, 1]));
  return add(reshape(lin, [z.shape[0]]), p.b);
}

const zerosHead = (d: number): AdditiveParams => ({
  u: tensor(new Float64Array(d)),
  v: tensor(new Float64Array(d)),
  b: tensor(new Float64Array(1)),
});

const additive: BinaryModel<AdditiveParams> = {
  logits: additiveLogits,
  loss: (p, x, y) => bceWithLogits(additiveLogits(p, x), y),
};

/**
 * Feature separation: for each feature f_j = z_j², the squared difference of the class means
 * over the sum of the class variances (a Fisher score), averaged and negated (lower is better).
 */
export function separationLoss(z: Tensor, y: Tensor): Tensor {
  const f = square(z);
  const n1 = Math.max(1, sum(y).item());
  const n0 = Math.max(1, z.shape[0] - n1);
  const w1 = reshape(mul(y, 1 / n1), [1, -1]);
  const w0 = reshape(mul(sub(1, y), 1 / n0), [1, -1]);
  const m1 = matmul(w1, f);
  const m0 = matmul(w0, f);
  const v1 = sub(matmul(w1, square(f)), square(m1));
  const v0 = sub(matmul(w0, square(f)), square(m0));
  // The small constant keeps a feature that is constant on a batch from dividing by zero.
  return mul(-1, mean(div(square(sub(m1, m0)), add(add(v1, v0), 1e-6))));
}

/** Result of the Fourier task. */
export interface FourierResult {
  task: "band" | "signal-noise";
  position: Accuracy;
  fourier: Accuracy;
  /** A dense tanh classifier [N, denseHidden, 1] on position and on DFT inputs (`denseHidden` > 0). */
  dense?: { position: Accuracy; fourier: Accuracy };
  /** W learned with the cross-entropy alone, and with the separation loss added. */
  learned: LearnedMap;
  learnedWithSeparation: LearnedMap;
  /** Both measures for the identity (position) and the DFT rows, for scale. */
  concentrationPosition: number;
  concentrationDft: number;
  bandAlignmentPosition: number;
  bandAlignmentDft: number;
  train: number;
  test: number;
}

export interface LearnedMap {
  accuracy: Accuracy;
  /** Mean over rows of W of the largest power share in one frequency pair. */
  fourierConcentration: number;
  /** Mean over rows of W of the larger power share in one of the two bands. */
  bandAlignment: number;
  /** ‖W Wᵀ − 1‖_F / √N. */
  orthogonalityResidual: number;
}

const accOf = (r: {
  bestTestAccuracy: number;
  finalTestAccuracy: number;
  finalTrainAccuracy: number;
}): Accuracy => ({
  bestTest: r.bestTestAccuracy,
  finalTest: r.finalTestAccuracy,
  finalTrain: r.finalTrainAccuracy,
});

function learnMap(
  c: FourierConfig,
  split: ReturnType<typeof splitRows>,
  separation: number,
  fit: TaggedFit,
  tag: string,
): LearnedMap {
  const N = c.length;
  // Start in position space (W = 1) plus a small random part that breaks the symmetry.
  const W0 = add(eye(N), random.normal(random.key(c.seed + 5), [N, N], { std: 0.05 }));
  const logits = (p: LearnedParams, x: Tensor) => additiveLogits(p.head, matmul(x, mT(p.W)));
  const model: BinaryModel<LearnedParams> = {
    logits,
    loss: (p, x, y) => {
      const z = matmul(x, mT(p.W));
      const ortho = mean(square(sub(matmul(p.W, mT(p.W)), eye(N))));
      let l = add(bceWithLogits(additiveLogits(p.head, z), y), mul(c.orthogonalityWeight, ortho));
      if (separation > 0) l = add(l, mul(separation, separationLoss(z, y)));
      return l;
    },
  };
  const r = fit(tag, model, { W: W0, head: zerosHead(N) }, split, fitOpts(c));
  const W = r.params.W.toFloat64Array();
  let res = 0;
  for (let i = 0; i < N; i++)
    for (let k = 0; k < N; k++) {
      let s = 0;
      for (let j = 0; j < N; j++) s += W[i * N + j] * W[k * N + j];
      res += (s - (i === k ? 1 : 0)) ** 2;
    }
  return {
    accuracy: accOf(r),
    fourierConcentration: fourierConcentration(W, N, N),
    bandAlignment: bandAlignment(W, N, N),
    orthogonalityResidual: Math.sqrt(res / N),
  };
}

const fitOpts = (c: FourierConfig) => ({ epochs: c.epochs, batch: c.batch, lr: c.lr, seed: c.seed });

/**
 * Runs the classifiers of the Fourier task; `fit` runs the trainings (`taggedFit(onEpoch)`, or a
 * run's TrainingLedger, which checkpoints them).
 */
export function fourierTask(c: FourierConfig, fit: TaggedFit = taggedFit()): FourierResult {
  const N = c.length;
  const signals = c.task === "band" ? bandSignals : signalNoiseSignals;
  const data = signals(N, c.examples, c.amplitude, c.noise, c.seed);
  const split = splitRows(data, c.trainFraction, c.seed + 1);
  const F = realDft(N);
  const dftSplit = { train: applyMatrix(F, N, split.train), test: applyMatrix(F, N, split.test) };
  const position = fit("position", additive, zerosHead(N), split, fitOpts(c));
  const fourier = fit("fourier", additive, zerosHead(N), dftSplit, fitOpts(c));
  const denseFit = (s: typeof split, tag: string) => {
    const m = mlpClassifier(N, [c.denseHidden], c.seed + 7);
    return accOf(fit(tag, m.model, m.params, s, fitOpts(c)));
  };
  const dense =
    c.denseHidden > 0
      ? { position: denseFit(split, "dense position"), fourier: denseFit(dftSplit, "dense fourier") }
      : undefined;
  const identity = new Float64Array(N * N);
  for (let i = 0; i < N; i++) identity[i * N + i] = 1;
  return {
    task: c.task,
    position: accOf(position),
    fourier: accOf(fourier),
    ...(dense ? { dense } : {}),
    learned: learnMap(c, split, 0, fit, "learned"),
    learnedWithSeparation: learnMap(c, split, c.separationWeight, fit, "learned+separation"),
    concentrationPosition: fourierConcentration(identity, N, N),
    concentrationDft: fourierConcentration(F, N, N),
    bandAlignmentPosition: bandAlignment(identity, N, N),
    bandAlignmentDft: bandAlignment(F, N, N),
    train: split.train.n,
    test: split.test.n,
  };
}
