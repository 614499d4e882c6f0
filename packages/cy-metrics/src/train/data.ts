// The points a training run uses, derived from its configuration alone (so a resumed run
// regenerates exactly the same ones): training points from `seed`, held-out points from
// `seed + 1` (never trained on; σ per epoch and the final check). A ψ-range run also has points
// at 5 training ψ spread over the range (seeds seed + 2 …) and at the 4 midpoints between them,
// the held-out ψ (seeds seed + 7 …), which it never trains on.

import { seedPlus } from "@physml/lattice-core";
import type { Complex } from "../complex.js";
import { dworkQuintic, type Quintic } from "../geometry/quintic.js";
import { type PointSet, samplePoints } from "../geometry/sample.js";
import type { PsiPoints } from "../models/psi-family.js";
import type { CyTrainConfig, PsiInterval } from "../options.js";

/** Number of training ψ of a ψ-range run (5: the degree-4 ψ features can fit them exactly). */
export const PSI_RANGE_TRAIN = 5;

/** Points of a ψ-range run: at the training ψ and at the held-out ψ. */
export interface PsiFamilyData {
  train: PsiPoints[];
  held: PsiPoints[];
}

/** Training and held-out points of a run. */
export interface TrainingData {
  quintic: Quintic;
  train: PointSet;
  held: PointSet;
  /** Only for a ψ-range run (then `train` is the centre ψ's training points). */
  family?: PsiFamilyData;
}

/**
 * The training ψ (equally spaced, ends included) and the held-out ψ (the midpoints between them),
 * rounded to 12 significant digits so that 0:0.6 gives 0.15, 0.3, … and not 0.30000000000000004.
 */
export function psiRangeValues(range: PsiInterval): { train: Complex[]; held: Complex[] } {
  const last = PSI_RANGE_TRAIN - 1;
  const at = (t: number) => ({
    re: Number(((range.from * (last - t) + range.to * t) / last).toPrecision(12)),
    im: 0,
  });
  return {
    train: Array.from({ length: PSI_RANGE_TRAIN }, (_, i) => at(i)),
    held: Array.from({ length: last }, (_, i) => at(i + 0.5)),
  };
}

/** The run's points. */
export function trainingData(config: CyTrainConfig): TrainingData {
  const quintic = dworkQuintic(config.psi);
  const held = samplePoints(quintic, config.evalPoints, seedPlus(config.seed, 1));
  if (config.psiRange === undefined) {
    return { quintic, train: samplePoints(quintic, config.points, config.seed), held };
  }
  const psis = psiRangeValues(config.psiRange);
  const at = (psi: Complex, n: number, seed: number): PsiPoints => ({
    psi,
    points: samplePoints(dworkQuintic(psi), n, seed),
  });
  const family: PsiFamilyData = {
    train: psis.train.map((p, i) => at(p, config.points, seedPlus(config.seed, 2 + i))),
    held: psis.held.map((p, j) => at(p, config.evalPoints, seedPlus(config.seed, 2 + PSI_RANGE_TRAIN + j))),
  };
  return { quintic, train: family.train[PSI_RANGE_TRAIN >> 1].points, held, family };
}

/** Adam steps per epoch. */
export function stepsPerEpoch(config: CyTrainConfig, data: TrainingData): number {
  return Math.ceil(data.train.n / config.batch);
}
