// The Fourier task: the same simple classifier (per-coordinate linear and quadratic features,
// then a logistic read-out) on the signals in position space, in the DFT basis, and behind a
// learned linear map W trained with the cross-entropy alone or with the feature-separation loss
// added (the Fisher score of z_j², and with a peak weight the excess kurtosis of z_j,
// peak-score.ts). The question is whether W becomes the DFT without being handed it. Optionally
// the same four again with the shared classifier (shared-head.ts), which can see a peak.

import { type Tensor, type Tree, tensor } from "@physml/autodiff";
import type { LinearParams } from "@physml/autodiff/nn";
import { seedPlus } from "@physml/lattice-core";
import type { FourierConfig } from "../config.js";
import { splitRows } from "../train/dataset.js";
import { type Accuracy, accuracyOf as accOf } from "../train/fit.js";
import { mlpClassifier } from "../train/models.js";
import { type TaggedFit, taggedFit } from "../train/trainings.js";
import { applyMatrix, bandAlignment, fourierConcentration, realDft } from "./basis.js";
import {
  additive,
  fitLearnedMap,
  type Head,
  type LearnedMapFit,
  type LearnedMapOptions,
  zerosHead,
} from "./front-end.js";
import { headPairsOnOneFrequency, headRowOrder, pairByPowerCorrelation, reorderRows } from "./row-pairing.js";
import { type SharedInput, sharedClassifier } from "./shared-head.js";
import { bandSignals, signalNoiseSignals } from "./signals.js";

/** Result of the Fourier task. */
export interface FourierResult {
  task: "band" | "signal-noise";
  position: Accuracy;
  fourier: Accuracy;
  /** A dense tanh classifier [N, denseHidden, 1] on position and on DFT inputs (`denseHidden` > 0). */
  dense?: { position: Accuracy; fourier: Accuracy };
  /**
   * The shared classifier (logit = Σ g(t), one ReLU network g [input, sharedHidden, 1] on every
   * coordinate or pair; `sharedHidden` > 0) on position and DFT inputs and behind both learned maps.
   */
  shared?: SharedResult;
  /**
   * W learned with the cross-entropy alone, and with the separation loss added (`separationWeight`
   * × the Fisher term, and `peakWeight` × the peak reward).
   */
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

/** The shared classifier's trainings in a Fourier result (`FourierResult.shared`). */
export interface SharedResult {
  /** What g reads: one coordinate or a pair of neighbours. */
  input: SharedInput;
  /** Weights and biases of g. */
  parameters: number;
  position: Accuracy;
  fourier: Accuracy;
  learned: LearnedMap;
  learnedWithSeparation: LearnedMap;
  /** The learned map + separation with its rows paired after `pairedAtEpoch` epochs (`pairRows` > 0). */
  learnedPaired?: PairedMap;
}

/**
 * A learned map + separation behind the shared classifier, trained `pairedAtEpoch` epochs, its rows
 * then reordered so each pair the classifier reads is the two coordinates whose powers are most
 * correlated on the training rows (row-pairing.ts), and trained for the remaining epochs. The
 * accuracies are those of the epochs after the reordering.
 */
export interface PairedMap extends LearnedMap {
  pairedAtEpoch: number;
  /** Best test accuracy of the epochs before the reordering. */
  bestTestBeforePairing: number;
  /** Of the classifier's N/2 pairs, how many hold one frequency: before the reordering, and at the end. */
  headPairsOnOneFrequencyBefore: number;
  headPairsOnOneFrequency: number;
}

export interface LearnedMap {
  /** Best test, final test and final training accuracy (`accuracy` is a single number in the CLI). */
  accuracies: Accuracy;
  /** Mean over rows of W of the largest power share in one frequency pair. */
  fourierConcentration: number;
  /** Mean over rows of W of the larger power share in one of the two bands. */
  bandAlignment: number;
  /** ‖W Wᵀ − 1‖_F / √N. */
  orthogonalityResidual: number;
}

/** The cross-entropy alone. */
const NO_SEPARATION = { separationWeight: 0, peakWeight: 0 };

/** The separation terms of the "+ separation" maps: the Fisher score and the peak reward. */
const separationOf = (c: FourierConfig) => ({
  separationWeight: c.separationWeight,
  peakWeight: c.peakWeight,
  peakFeature: c.peakFeature,
});

const mapOptions = (c: FourierConfig, separation: Separation): LearnedMapOptions => ({
  orthogonalityWeight: c.orthogonalityWeight,
  ...separation,
  initSeed: seedPlus(c.seed, 5),
});

type Separation = Pick<LearnedMapOptions, "separationWeight" | "peakWeight" | "peakFeature">;

const measures = <H extends Tree>(r: LearnedMapFit<{ W: Tensor }, H>, N: number): LearnedMap => ({
  accuracies: accOf(r.fit),
  fourierConcentration: fourierConcentration(r.W, N, N),
  bandAlignment: bandAlignment(r.W, N, N),
  orthogonalityResidual: r.orthogonalityResidual,
});

function learnMap<H extends Tree>(
  c: FourierConfig,
  split: ReturnType<typeof splitRows>,
  separation: Separation,
  fit: TaggedFit,
  tag: string,
  head?: Head<H>,
): LearnedMap {
  return measures(
    fitLearnedMap(fit, tag, split, mapOptions(c, separation), fitOpts(c), undefined, head),
    c.length,
  );
}

/** {@link PairedMap}: the same start and loss as the shared "learned+separation" map. */
function learnPairedMap(
  c: FourierConfig,
  split: ReturnType<typeof splitRows>,
  fit: TaggedFit,
  head: Head<LinearParams[]>,
): PairedMap {
  const N = c.length;
  const o = mapOptions(c, separationOf(c));
  const before = fitLearnedMap(
    fit,
    "shared learned+separation, before pairing",
    split,
    o,
    {
      ...fitOpts(c),
      epochs: c.pairRows,
    },
    undefined,
    head,
  );
  const z = applyMatrix(before.W, N, split.train).x;
  const order = headRowOrder(pairByPowerCorrelation(z, split.train.n, N), N);
  const start = { W: tensor(reorderRows(before.W, order, N), [N, N]), head: before.fit.params.head };
  // g is the same network on every pair, so reordering the pairs leaves it as trained.
  const after = fitLearnedMap<{ W: Tensor }, LinearParams[]>(
    fit,
    "shared learned+separation, paired",
    split,
    o,
    { ...fitOpts(c), epochs: c.epochs - c.pairRows },
    undefined,
    head,
    start,
  );
  return {
    ...measures(after, N),
    pairedAtEpoch: c.pairRows,
    bestTestBeforePairing: before.fit.bestTestAccuracy,
    headPairsOnOneFrequencyBefore: headPairsOnOneFrequency(before.W, N),
    headPairsOnOneFrequency: headPairsOnOneFrequency(after.W, N),
  };
}

const fitOpts = (c: FourierConfig) => ({
  epochs: c.epochs,
  batch: c.batch,
  lr: c.lr,
  lrSchedule: c.lrSchedule,
  seed: c.seed,
});

/**
 * The shared classifier's four trainings, each from the same start (g's initial weights from one
 * seed; the learned maps start as in the per-coordinate runs), so the representations are
 * compared with one network.
 */
function sharedTrainings(
  c: FourierConfig,
  split: ReturnType<typeof splitRows>,
  dftSplit: ReturnType<typeof splitRows>,
  fit: TaggedFit,
): SharedResult {
  const h = sharedClassifier(c.length, c.sharedInput, c.sharedHidden, seedPlus(c.seed, 9));
  return {
    input: c.sharedInput,
    parameters: h.parameters,
    position: accOf(fit("shared position", h.model, h.init, split, fitOpts(c))),
    fourier: accOf(fit("shared fourier", h.model, h.init, dftSplit, fitOpts(c))),
    learned: learnMap(c, split, NO_SEPARATION, fit, "shared learned", h),
    learnedWithSeparation: learnMap(c, split, separationOf(c), fit, "shared learned+separation", h),
    ...(c.pairRows > 0 ? { learnedPaired: learnPairedMap(c, split, fit, h) } : {}),
  };
}

/**
 * Runs the classifiers of the Fourier task; `fit` runs the trainings (`taggedFit(onEpoch)`, or a
 * run's TrainingLedger, which checkpoints them).
 */
export function fourierTask(c: FourierConfig, fit: TaggedFit = taggedFit()): FourierResult {
  const N = c.length;
  const signals = c.task === "band" ? bandSignals : signalNoiseSignals;
  const data = signals(N, c.examples, c.amplitude, c.noise, c.seed);
  const split = splitRows(data, c.trainFraction, seedPlus(c.seed, 1));
  const F = realDft(N);
  const dftSplit = { train: applyMatrix(F, N, split.train), test: applyMatrix(F, N, split.test) };
  const position = fit("position", additive, zerosHead(N), split, fitOpts(c));
  const fourier = fit("fourier", additive, zerosHead(N), dftSplit, fitOpts(c));
  const denseFit = (s: typeof split, tag: string) => {
    const m = mlpClassifier(N, [c.denseHidden], seedPlus(c.seed, 7));
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
    learned: learnMap(c, split, NO_SEPARATION, fit, "learned"),
    learnedWithSeparation: learnMap(c, split, separationOf(c), fit, "learned+separation"),
    ...(c.sharedHidden > 0 ? { shared: sharedTrainings(c, split, dftSplit, fit) } : {}),
    concentrationPosition: fourierConcentration(identity, N, N),
    concentrationDft: fourierConcentration(F, N, N),
    bandAlignmentPosition: bandAlignment(identity, N, N),
    bandAlignmentDft: bandAlignment(F, N, N),
    train: split.train.n,
    test: split.test.n,
  };
}
