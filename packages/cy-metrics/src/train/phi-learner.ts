// The φ-model as a learner: K = K_alg + NN(z, z̄), the base K_alg being the starting algebraic
// metric of degree k (balanced on the training points, or Fubini–Study with 0 iterations; with
// k = 1 and 0 iterations this is cymetric's K_FS + NN). The network's last layer starts at zero,
// so training starts at the base metric. The base matrix is part of the state, so a resumed run
// does not balance again; its metric values at the points are computed once per process.
import { type AlgebraicMetric, evaluateMetric } from "../donaldson/algebraic-metric.js";
import { sectionBasis } from "../donaldson/sections.js";
import type { PointSet } from "../geometry/sample.js";
import {
  type BaseMetric,
  type PhiModel,
  phiEta,
  phiLossAndGrad,
  phiMetricValues,
  phiModel,
} from "../neural/phi-model.js";
import type { CyTrainConfig } from "../options.js";
import { startingMetric } from "./algebraic-learner.js";
import type { TrainingData } from "./data.js";
import type { CyLearner } from "./learner.js";
import { type NetworkState, networkArrays, networkEpoch, networkStart } from "./network-state.js";
import { adamOf, paramsOf } from "./state-json.js";

/** State of the φ-model: the base matrix G (split, row-major) and the network's parameters. */
export interface PhiState extends NetworkState {
  base: { re: number[]; im: number[] };
}

const baseCache = new WeakMap<number[], Map<PointSet, BaseMetric>>();

function baseMetric(config: CyTrainConfig, data: TrainingData, state: PhiState): AlgebraicMetric {
  const basis = sectionBasis(data.quintic, config.k);
  const N = basis.size;
  return { basis, G: { n: N, re: Float64Array.from(state.base.re), im: Float64Array.from(state.base.im) } };
}

/** The base metric's values at `points` (cached per base matrix and point set). */
function baseAt(config: CyTrainConfig, data: TrainingData, state: PhiState, points: PointSet): BaseMetric {
  let byPoints = baseCache.get(state.base.re);
  if (!byPoints) {
    byPoints = new Map();
    baseCache.set(state.base.re, byPoints);
  }
  let g = byPoints.get(points);
  if (!g) {
    g = evaluateMetric(baseMetric(config, data, state), points, { metrics: true }).g as Float64Array;
    byPoints.set(points, g);
  }
  return g;
}

/** The network of a state (shapes from the configuration, values from the state). */
function modelOf(config: CyTrainConfig, state: PhiState): PhiModel {
  const shell = phiModel(config.hidden, config.seed);
  return { mlp: shell.mlp, params: paramsOf(state.params, shell.params) };
}

/** The φ-model learner. */
export const phiLearner: CyLearner<PhiState> = {
  init(config, data, log) {
    const start = startingMetric(config, data, log);
    const model = phiModel(config.hidden, config.seed);
    return {
      epoch: 0,
      base: { re: Array.from(start.G.re), im: Array.from(start.G.im) },
      ...networkStart(config, data, model.params),
    };
  },

  epoch(config, data, state) {
    const model = modelOf(config, state);
    const base = baseAt(config, data, state, data.train);
    return networkEpoch(config, data, state, model.params, (params, from, to) =>
      phiLossAndGrad({ mlp: model.mlp, params }, data.train, from, to, config.loss, base),
    );
  },

  eta(config, data, state, points) {
    return phiEta(modelOf(config, state), points, baseAt(config, data, state, points));
  },

  metric(config, data, state, points) {
    return phiMetricValues(modelOf(config, state), points, baseAt(config, data, state, points));
  },

  validate(config, data, raw) {
    const s = raw as Partial<PhiState>;
    const N = sectionBasis(data.quintic, config.k).size;
    const shell = phiModel(config.hidden, config.seed);
    const finite = (a: unknown, n: number) =>
      Array.isArray(a) && a.length === n && a.every((v) => Number.isFinite(v));
    if (!Number.isInteger(s.epoch) || (s.epoch as number) < 0) throw new Error("epoch is not a count");
    if (!s.base || !finite(s.base.re, N * N) || !finite(s.base.im, N * N))
      throw new Error(`base is not a ${N} × ${N} matrix`);
    paramsOf(s.params, shell.params);
    adamOf(s.adam, shell.params);
    return s as PhiState;
  },

  arrays(config, _data, state) {
    const out: Record<string, { data: Float64Array; shape: number[] }> = networkArrays(
      modelOf(config, state).params,
    );
    const N = Math.round(Math.sqrt(state.base.re.length));
    const h = new Float64Array(2 * N * N);
    for (let i = 0; i < N * N; i++) {
      h[2 * i] = state.base.re[i];
      h[2 * i + 1] = state.base.im[i];
    }
    out.h = { data: h, shape: [N, N, 2] };
    return out;
  },
};
