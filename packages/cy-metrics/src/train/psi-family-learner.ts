// The ψ-dependent learned-H family (models/psi-family.ts) as a learner for `cy train --psi-range`:
// start at the balanced metric of the range's centre ψ (or Fubini–Study with 0 iterations), one
// metric G(ψ) for every ψ, then Adam passes over the training ψ's points. The model's ψ at a
// point set is the set's own quintic's ψ, so σ at any Dwork member is `eta` on its points.
import { tensor } from "@physml/autodiff";
import { type AdamStateJson, saveAdamState } from "@physml/autodiff/optim";
import { evaluateMetric } from "../donaldson/algebraic-metric.js";
import { sectionBasis } from "../donaldson/sections.js";
import { dworkQuintic } from "../geometry/quintic.js";
import type { PointSet } from "../geometry/sample.js";
import { allowedEntries } from "../models/phase-symmetry.js";
import {
  PSI_FEATURES,
  type PsiFamily,
  type PsiRange,
  psiFamily,
  psiFamilyEpoch,
  psiFamilyMetric,
  psiFamilyOptimizer,
  psiFamilySteps,
} from "../models/psi-family.js";
import type { CyTrainConfig } from "../options.js";
import { startingMetric } from "./algebraic-learner.js";
import { PSI_RANGE_TRAIN, type PsiFamilyData, type TrainingData } from "./data.js";
import type { CyLearner, EpochState } from "./learner.js";
import { adamOf } from "./state-json.js";

/** State of the ψ family: the fixed scaling S and the coefficients of every feature's Y. */
export interface PsiFamilyState extends EpochState {
  scale: number[];
  coefficients: number[];
  adam: AdamStateJson;
}

// a generic Dwork member (ψ ≠ 0): its symmetry is the one every member shares
const GENERIC_DWORK = dworkQuintic({ re: 1, im: 0 });

function familyData(data: TrainingData): PsiFamilyData {
  if (data.family === undefined) throw new Error("a ψ-range run needs the points of its training ψ");
  return data.family;
}

/** The feature range of a run's ψ interval: centre and half-width. */
export function featureRange(config: CyTrainConfig): PsiRange {
  const r = config.psiRange;
  if (r === undefined) throw new Error("not a ψ-range configuration");
  return { centre: { re: (r.from + r.to) / 2, im: 0 }, radius: (r.to - r.from) / 2 };
}

function familyOf(config: CyTrainConfig, state: PsiFamilyState): PsiFamily {
  const basis = sectionBasis(GENERIC_DWORK, config.k);
  const entries = allowedEntries(GENERIC_DWORK, basis);
  const model = {
    basis,
    entries,
    scale: Float64Array.from(state.scale),
    y: new Float64Array(entries.length),
  };
  return { model, range: featureRange(config), coefficients: Float64Array.from(state.coefficients) };
}

/** The family's metric at the ψ of `points` (a Dwork member). */
function metricAt(config: CyTrainConfig, state: PsiFamilyState, points: PointSet) {
  const psi = points.quintic.psi;
  if (psi === undefined) throw new Error("the ψ family is defined on Dwork quintics only");
  return psiFamilyMetric(familyOf(config, state), psi);
}

function optimizer(config: CyTrainConfig, data: TrainingData) {
  return psiFamilyOptimizer(config.lr, config.epochs, psiFamilySteps(familyData(data).train, config.batch));
}

/** The ψ-family learner. */
export const psiFamilyLearner: CyLearner<PsiFamilyState> = {
  init(config, data, log) {
    const centre = familyData(data).train[PSI_RANGE_TRAIN >> 1];
    const start = startingMetric(
      config,
      { ...data, quintic: dworkQuintic(centre.psi), train: centre.points },
      log,
    );
    const f = psiFamily(start, featureRange(config));
    return {
      epoch: 0,
      scale: Array.from(f.model.scale),
      coefficients: Array.from(f.coefficients),
      adam: saveAdamState(optimizer(config, data).init([tensor(f.coefficients, [f.coefficients.length])])),
    };
  },

  epoch(config, data, state) {
    const r = psiFamilyEpoch(
      familyOf(config, state),
      familyData(data).train,
      optimizer(config, data),
      adamOf(state.adam, [tensor(state.coefficients, [state.coefficients.length])]),
      config.batch,
      config.loss,
    );
    return {
      state: {
        ...state,
        epoch: state.epoch + 1,
        coefficients: Array.from(r.coefficients),
        adam: saveAdamState(r.adam),
      },
      loss: r.loss,
    };
  },

  eta(config, _data, state, points) {
    const { det } = evaluateMetric(metricAt(config, state, points), points);
    return det.map((d, i) => d / points.omega2[i]);
  },

  metric(config, _data, state, points) {
    return evaluateMetric(metricAt(config, state, points), points, { metrics: true }).g as Float64Array;
  },

  validate(config, _data, raw) {
    const s = raw as Partial<PsiFamilyState>;
    const basis = sectionBasis(GENERIC_DWORK, config.k);
    const C = PSI_FEATURES * allowedEntries(GENERIC_DWORK, basis).length;
    const finite = (a: unknown, n: number) =>
      Array.isArray(a) && a.length === n && a.every((v) => Number.isFinite(v));
    if (!Number.isInteger(s.epoch) || (s.epoch as number) < 0) throw new Error("epoch is not a count");
    if (!finite(s.scale, basis.size)) throw new Error(`scale is not ${basis.size} finite numbers`);
    if (!finite(s.coefficients, C)) throw new Error(`coefficients is not ${C} finite numbers`);
    adamOf(s.adam, [tensor(new Float64Array(C), [C])]);
    return s as PsiFamilyState;
  },

  arrays(config, data, state) {
    const f = familyOf(config, state);
    const { basis, G } = psiFamilyMetric(f, data.quintic.psi ?? { re: 0, im: 0 });
    const N = basis.size;
    const h = new Float64Array(2 * N * N);
    for (let i = 0; i < N * N; i++) {
      h[2 * i] = G.re[i];
      h[2 * i + 1] = G.im[i];
    }
    const P2 = f.model.y.length;
    return {
      h: { data: h, shape: [N, N, 2] },
      sections: { data: Int32Array.from(basis.exponents), shape: [N, 5] },
      "psi-coefficients": { data: f.coefficients, shape: [PSI_FEATURES, P2] },
      "psi-entries": { data: Int32Array.from(f.model.entries), shape: [P2 / 2, 2] },
      "psi-scale": { data: f.model.scale, shape: [N] },
    };
  },
};
