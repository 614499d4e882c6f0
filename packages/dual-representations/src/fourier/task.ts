// The Fourier task: the same simple classifier (per-coordinate linear and quadratic features,
// then a logistic read-out) on the signals in position space, in the DFT basis, and behind a
// learned linear map W trained with the cross-entropy alone or with the feature-separation loss
// added. The question is whether W becomes the DFT without being handed it.

import { seedPlus } from "@physml/lattice-core";
import type { FourierConfig } from "../config.js";
import { splitRows } from "../train/dataset.js";
import { type Accuracy, accuracyOf as accOf } from "../train/fit.js";
import { mlpClassifier } from "../train/models.js";
import { type TaggedFit, taggedFit } from "../train/trainings.js";
import { applyMatrix, bandAlignment, fourierConcentration, realDft } from "./basis.js";
import { additive, fitLearnedMap, zerosHead } from "./front-end.js";
import { bandSignals, signalNoiseSignals } from "./signals.js";

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
  /** Best test, final test and final training accuracy (`accuracy` is a single number in the CLI). */
  accuracies: Accuracy;
  /** Mean over rows of W of the largest power share in one frequency pair. */
  fourierConcentration: number;
  /** Mean over rows of W of the larger power share in one of the two bands. */
  bandAlignment: number;
  /** ‖W Wᵀ − 1‖_F / √N. */
  orthogonalityResidual: number;
}

function learnMap(
  c: FourierConfig,
  split: ReturnType<typeof splitRows>,
  separation: number,
  fit: TaggedFit,
  tag: string,
): LearnedMap {
  const N = c.length;
  const o = {
    orthogonalityWeight: c.orthogonalityWeight,
    separationWeight: separation,
    initSeed: seedPlus(c.seed, 5),
  };
  const r = fitLearnedMap(fit, tag, split, o, fitOpts(c));
  return {
    accuracies: accOf(r.fit),
    fourierConcentration: fourierConcentration(r.W, N, N),
    bandAlignment: bandAlignment(r.W, N, N),
    orthogonalityResidual: r.orthogonalityResidual,
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
