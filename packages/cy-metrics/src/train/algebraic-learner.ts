// The learned-H algebraic model as a learner: start at Donaldson's balanced metric of degree k on
// the training points (or at Fubini–Study with 0 iterations), then Adam on the Monge–Ampère loss
// with a cosine-decayed learning rate, the gradient in closed form (models/algebraic-grad.ts).
import { tensor } from "@physml/autodiff";
import { type AdamStateJson, saveAdamState } from "@physml/autodiff/optim";
import { type AlgebraicMetric, evaluateMetric } from "../donaldson/algebraic-metric.js";
import { donaldson } from "../donaldson/balance.js";
import { sectionBasis } from "../donaldson/sections.js";
import type { PointSet } from "../geometry/sample.js";
import { algebraicLossGrad } from "../models/algebraic-grad.js";
import {
  entryCount,
  type LearnedH,
  learnedH,
  learnedHGradient,
  learnedHMetric,
} from "../models/learned-h.js";
import { allowedEntries } from "../models/phase-symmetry.js";
import type { CyTrainConfig } from "../options.js";
import type { TrainingData } from "./data.js";
import type { CyLearner, EpochState } from "./learner.js";
import { trainingOptimizer } from "./optimizer.js";
import { adamOf } from "./state-json.js";

/** State of the learned-H model: the fixed scaling S and the parameters of Y (G = S Y S). */
export interface AlgebraicState extends EpochState {
  scale: number[];
  y: number[];
  adam: AdamStateJson;
}

/** G = diag(k!/Πe_j!): then sᵀ G s̄ = (Σ|z|²)^k and the metric is Fubini–Study. */
export function fubiniStudyMatrix(metricBasis: ReturnType<typeof sectionBasis>): AlgebraicMetric {
  const N = metricBasis.size;
  const re = new Float64Array(N * N);
  const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
  for (let a = 0; a < N; a++) {
    let d = 1;
    for (let j = 0; j < 5; j++) d *= fact(metricBasis.exponents[5 * a + j]);
    re[a * N + a] = fact(metricBasis.k) / d;
  }
  return { basis: metricBasis, G: { n: N, re, im: new Float64Array(N * N) } };
}

/** The starting algebraic metric of a run: balanced (iterations > 0) or Fubini–Study. */
export function startingMetric(
  config: CyTrainConfig,
  data: TrainingData,
  log: (m: string) => void,
): AlgebraicMetric {
  const basis = sectionBasis(data.quintic, config.k);
  if (config.iterations === 0) return fubiniStudyMatrix(basis);
  return donaldson(data.quintic, {
    k: config.k,
    iterations: config.iterations,
    integrationPoints: data.train,
    onIteration: (it) =>
      log(
        `balancing k = ${config.k}: iteration ${it.iteration}/${config.iterations}, ΔG ${it.change.toExponential(2)}`,
      ),
  }).metric;
}

function modelOf(config: CyTrainConfig, data: TrainingData, state: AlgebraicState): LearnedH {
  const basis = sectionBasis(data.quintic, config.k);
  return {
    basis,
    entries: allowedEntries(data.quintic, basis),
    scale: Float64Array.from(state.scale),
    y: Float64Array.from(state.y),
  };
}

/** The trained metric of a state. */
export function algebraicMetricOf(
  config: CyTrainConfig,
  data: TrainingData,
  state: AlgebraicState,
): AlgebraicMetric {
  return learnedHMetric(modelOf(config, data, state));
}

/** The learned-H learner. */
export const algebraicLearner: CyLearner<AlgebraicState> = {
  init(config, data, log) {
    const model = learnedH(data.quintic, startingMetric(config, data, log));
    const params = [tensor(model.y, [model.y.length])];
    return {
      epoch: 0,
      scale: Array.from(model.scale),
      y: Array.from(model.y),
      adam: saveAdamState(trainingOptimizer(config, data).init(params)),
    };
  },

  epoch(config, data, state) {
    const model = modelOf(config, data, state);
    const P2 = 2 * entryCount(model);
    const opt = trainingOptimizer(config, data);
    let params = [tensor(model.y, [P2])];
    let adamState = adamOf(state.adam, params);
    const grad = new Float64Array(P2);
    const { train } = data;
    let sum = 0;
    for (let from = 0; from < train.n; from += config.batch) {
      const to = Math.min(train.n, from + config.batch);
      model.y = params[0].toFloat64Array();
      const r = algebraicLossGrad(learnedHMetric(model), train, from, to, config.loss);
      learnedHGradient(model, r.Z, grad);
      sum += r.loss * (to - from);
      const s = opt.step(params, [tensor(grad.slice(), [P2])], adamState);
      params = s.params;
      adamState = s.state;
    }
    return {
      state: {
        ...state,
        epoch: state.epoch + 1,
        y: Array.from(params[0].toFloat64Array()),
        adam: saveAdamState(adamState),
      },
      loss: sum / train.n,
    };
  },

  eta(config, data, state, points: PointSet) {
    const { det } = evaluateMetric(algebraicMetricOf(config, data, state), points);
    return det.map((d, i) => d / points.omega2[i]);
  },

  metric(config, data, state, points) {
    return evaluateMetric(algebraicMetricOf(config, data, state), points, { metrics: true })
      .g as Float64Array;
  },

  validate(config, data, raw) {
    const s = raw as Partial<AlgebraicState>;
    const basis = sectionBasis(data.quintic, config.k);
    const P2 = allowedEntries(data.quintic, basis).length;
    const finite = (a: unknown, n: number) =>
      Array.isArray(a) && a.length === n && a.every((v) => Number.isFinite(v));
    if (!Number.isInteger(s.epoch) || (s.epoch as number) < 0) throw new Error("epoch is not a count");
    if (!finite(s.scale, basis.size)) throw new Error(`scale is not ${basis.size} finite numbers`);
    if (!finite(s.y, P2)) throw new Error(`y is not ${P2} finite numbers`);
    adamOf(s.adam, [tensor(new Float64Array(P2), [P2])]);
    return s as AlgebraicState;
  },

  arrays(config, data, state) {
    const { basis, G } = algebraicMetricOf(config, data, state);
    const N = basis.size;
    const h = new Float64Array(2 * N * N);
    for (let i = 0; i < N * N; i++) {
      h[2 * i] = G.re[i];
      h[2 * i + 1] = G.im[i];
    }
    return {
      h: { data: h, shape: [N, N, 2] },
      sections: { data: Int32Array.from(basis.exponents), shape: [N, 5] },
    };
  },
};
