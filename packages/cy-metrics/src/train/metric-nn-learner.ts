// The additive and multiplicative metric models as learners (one shared implementation; the
// model files mult-learner.ts and add-learner.ts fix the kind). The start is exactly Fubini–Study
// (the network's last layer is zero), then Adam with cosine decay on α_MA 𝓛_MA + α_dJ 𝓛_dJ +
// α_T 𝓛_T + α_vol 𝓛_vol (neural/metric-nn-loss.ts). --k and --iterations are not used.
import {
  type AdamStateJson,
  adam,
  cosineDecay,
  type LinearParams,
  saveAdamState,
  tensor,
} from "@physml/autodiff";
import { type MetricNn, type MetricNnKind, metricNn } from "../neural/metric-nn.js";
import {
  type MetricLossWeights,
  metricNnEta,
  metricNnLossAndGrad,
  metricNnValues,
} from "../neural/metric-nn-loss.js";
import type { CyTrainConfig } from "../options.js";
import { adamOf } from "./adam-json.js";
import { stepsPerEpoch, type TrainingData } from "./data.js";
import type { CyLearner, EpochState } from "./learner.js";
import { minibatchEpoch } from "./minibatch-epoch.js";

/** State of a metric-network model: its kind and the network's parameters. */
export interface MetricNnState<K extends MetricNnKind> extends EpochState {
  kind: K;
  params: { w: number[]; b: number[] }[];
  adam: AdamStateJson;
}

/** The loss weights of a configuration. */
export function lossWeightsOf(config: CyTrainConfig): MetricLossWeights {
  const [ma, dJ, T, vol] = config.alpha;
  return { ma, dJ, T, vol };
}

/** The network of a state (shapes from the configuration, values from the state). */
export function metricNnOf(
  kind: MetricNnKind,
  config: CyTrainConfig,
  params: MetricNnState<MetricNnKind>["params"],
): MetricNn {
  const shell = metricNn(kind, config.hidden, config.seed);
  return {
    ...shell,
    params: shell.params.map((p, i) => ({
      w: tensor(Float64Array.from(params[i].w), p.w.shape),
      b: tensor(Float64Array.from(params[i].b), p.b.shape),
    })),
  };
}

const paramsToJson = (ps: readonly LinearParams[]) =>
  ps.map((p) => ({ w: Array.from(p.w.toFloat64Array()), b: Array.from(p.b.toFloat64Array()) }));

function optimizer(config: CyTrainConfig, data: TrainingData) {
  return adam({ lr: cosineDecay(config.lr, config.epochs * stepsPerEpoch(config, data), 0.05) });
}

/** The learner of the metric-network model of `kind`. */
export function metricNnLearner<K extends MetricNnKind>(kind: K): CyLearner<MetricNnState<K>> {
  return {
    init(config, data) {
      const model = metricNn(kind, config.hidden, config.seed);
      return {
        epoch: 0,
        kind,
        params: paramsToJson(model.params),
        adam: saveAdamState(optimizer(config, data).init(model.params)),
      };
    },

    epoch(config, data, state) {
      const model = metricNnOf(kind, config, state.params);
      const alpha = lossWeightsOf(config);
      const r = minibatchEpoch(
        optimizer(config, data),
        model.params,
        adamOf(state.adam, model.params),
        data.train.n,
        config.batch,
        (params, from, to) =>
          metricNnLossAndGrad({ ...model, params }, data.train, from, to, config.loss, alpha),
      );
      return {
        state: {
          ...state,
          epoch: state.epoch + 1,
          params: paramsToJson(r.params),
          adam: saveAdamState(r.adam),
        },
        loss: r.loss,
      };
    },

    eta(config, _data, state, points) {
      return metricNnEta(metricNnOf(kind, config, state.params), points);
    },

    metric(config, _data, state, points) {
      return metricNnValues(metricNnOf(kind, config, state.params), points);
    },

    validate(config, _data, raw) {
      const s = raw as Partial<MetricNnState<K>>;
      const shell = metricNn(kind, config.hidden, config.seed);
      const finite = (a: unknown, n: number) =>
        Array.isArray(a) && a.length === n && a.every((v) => Number.isFinite(v));
      if (!Number.isInteger(s.epoch) || (s.epoch as number) < 0) throw new Error("epoch is not a count");
      if (s.kind !== kind) throw new Error(`kind is not "${kind}"`);
      if (
        !Array.isArray(s.params) ||
        s.params.length !== shell.params.length ||
        !s.params.every(
          (p, i) => finite(p?.w, shell.params[i].w.size) && finite(p?.b, shell.params[i].b.size),
        )
      )
        throw new Error(`params do not match the network ${config.hidden.join("×")}`);
      adamOf(s.adam, shell.params);
      return s as MetricNnState<K>;
    },

    arrays(config, _data, state) {
      const out: Record<string, { data: Float64Array; shape: number[] }> = {};
      const shell = metricNn(kind, config.hidden, config.seed);
      state.params.forEach((p, i) => {
        out[`layer${i}-w`] = { data: Float64Array.from(p.w), shape: shell.params[i].w.shape.slice() };
        out[`layer${i}-b`] = { data: Float64Array.from(p.b), shape: shell.params[i].b.shape.slice() };
      });
      return out;
    },
  };
}
