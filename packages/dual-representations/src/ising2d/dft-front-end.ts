// The Fourier task's front ends on 2D Ising configurations: the per-coordinate classifier
// (logit = b + Σ_j u_j z_j + v_j z_j²) on the handed 2D real DFT of the spins, and behind a
// learned map z = W s trained by the cross-entropy alone or with the feature-separation loss. In
// the DFT basis the nn energy is Σ_j λ_j z_j² with λ = cos k_x + cos k_y the weight of the row's
// wavevector, so the per-coordinate classifier can read the sufficient statistic exactly; a
// learned W can do the same only if it diagonalises the nn bonds, i.e. if each of its rows lies
// in one eigenspace of λ (any rotation inside one is as good), which is what the bond-weight
// spread measures.

import { seedPlus } from "@physml/lattice-core";
import type { Ising2dConfig } from "../config.js";
import {
  applyMatrix,
  type FourierModes,
  fourierConcentration,
  modePowers,
  realFourierModes,
} from "../fourier/basis.js";
import { additive, fitLearnedMap, type LearnedMapOptions, zerosHead } from "../fourier/front-end.js";
import { type MapKind, mapShape } from "../fourier/map-shapes.js";
import type { Labelled } from "../train/dataset.js";
import { type Accuracy, accuracyOf, type FitOptions } from "../train/fit.js";
import type { TaggedFit } from "../train/trainings.js";

/** The separation terms of a learned map (the "+ separation" map's: the Fisher score, decorrelation). */
type Separation = Pick<LearnedMapOptions, "separationWeight" | "decorrelationWeight">;

/** A learned front end W in front of the per-coordinate classifier, and how DFT-like W became. */
export interface LearnedFrontEnd {
  /** Best test, final test and final training accuracy (`accuracy` is a single number in the CLI). */
  accuracies: Accuracy;
  /** Mean over rows of W of the largest power share in one pair ±k (DFT: 1, identity: ≈ 2/N). */
  fourierConcentration: number;
  /** Mean over rows of W of the power-weighted spread of λ(k) (DFT: 0, identity: 1). */
  bondWeightSpread: number;
  /** ‖W Wᵀ − 1‖_F / √N. */
  orthogonalityResidual: number;
}

/** The DFT front ends of one temperature pair. */
export interface DftFrontEnds {
  /** How the learned maps are parameterised, and their learned entries. */
  map: { kind: MapKind; parameters: number };
  /** The per-coordinate classifier on the handed 2D real DFT of the (centred) spins. */
  handed: Accuracy;
  learned: LearnedFrontEnd;
  learnedWithSeparation: LearnedFrontEnd;
}

/**
 * Per row of W (m × L², sites row-major), the standard deviation of λ(k) = cos k_x + cos k_y
 * under the row's power spectrum; the mean over rows. 0 when every row lies in one eigenspace of
 * the nn bond matrix (as the DFT rows do), 1 for single sites.
 */
export function bondWeightSpread(W: Float64Array, m: number, L: number, modes?: FourierModes): number {
  const md = modes ?? realFourierModes([L, L]);
  const lambda = md.wavevectors.map(
    ([a, b]) => Math.cos((2 * Math.PI * a) / L) + Math.cos((2 * Math.PI * b) / L),
  );
  const rows = modePowers(W, m, md);
  let spread = 0;
  for (const p of rows) {
    let w = 0;
    let s1 = 0;
    let s2 = 0;
    p.forEach((v, k) => {
      w += v;
      s1 += v * lambda[k];
      s2 += v * lambda[k] ** 2;
    });
    if (w > 0) spread += Math.sqrt(Math.max(0, s2 / w - (s1 / w) ** 2));
  }
  return spread / m;
}

/**
 * Trains the three DFT front ends on a (centred) spin split: tags "dft", "learned" and
 * "learned+separation", after the pair's spin and structure-factor networks; the learned maps are
 * parameterised as `c.map` says (dense or separable).
 */
export function dftFrontEnds(
  c: Ising2dConfig,
  split: { train: Labelled; test: Labelled },
  seed: number,
  train: TaggedFit,
  opts: FitOptions,
): DftFrontEnds {
  const N = c.L * c.L;
  const modes = realFourierModes([c.L, c.L]);
  const dftSplit = {
    train: applyMatrix(modes.basis, N, split.train),
    test: applyMatrix(modes.basis, N, split.test),
  };
  const shape = mapShape(c.map, [c.L, c.L]);
  const handed = accuracyOf(train("dft", additive, zerosHead(N), dftSplit, opts));
  const learned = (separation: Separation, tag: string): LearnedFrontEnd => {
    const o = {
      orthogonalityWeight: c.orthogonalityWeight,
      headDecay: c.headDecay,
      ...separation,
      initSeed: seedPlus(seed, 6),
    };
    const r = fitLearnedMap(train, tag, split, o, opts, shape);
    return {
      accuracies: accuracyOf(r.fit),
      fourierConcentration: fourierConcentration(r.W, N, [c.L, c.L]),
      bondWeightSpread: bondWeightSpread(r.W, N, c.L, modes),
      orthogonalityResidual: r.orthogonalityResidual,
    };
  };
  return {
    map: { kind: shape.kind, parameters: shape.parameters },
    handed,
    learned: learned({ separationWeight: 0 }, "learned"),
    learnedWithSeparation: learned(
      { separationWeight: c.separationWeight, decorrelationWeight: c.decorrelationWeight },
      "learned+separation",
    ),
  };
}
