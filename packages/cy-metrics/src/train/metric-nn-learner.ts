// The additive and multiplicative metric models as learners (one shared implementation; the
// model files mult-learner.ts and add-learner.ts fix the kind). The start is exactly Fubini–Study
// (the network's last layer is zero), then Adam with cosine decay on α_MA 𝓛_MA + α_dJ 𝓛_dJ +
// α_T 𝓛_T + α_vol 𝓛_vol (neural/metric-nn-loss.ts). --k and --iterations are not used.
import { saveParams } from "@physml/autodiff/nn";
import { type AdamStateJson, adam, cosineDecay, saveAdamState } from "@physml/autodiff/optim";
import { type MetricNn, type MetricNnKind, metricNn } from "../neural/metric-nn.js";
import {
  type MetricLossWeights,
  metricNnEta,
  metricNnLossAndGrad,
  metricNnValues,
} from "../neural/metric-nn-loss.js";
import type { CyTrainConfig } from "../options.js";
import { stepsPerEpoch, type TrainingData } from "./data.js";
import type { CyLearner, EpochState } from "./learner.js";
import { minibatchEpoch } from "./minibatch-epoch.js";
import { adamOf, paramsOf } from "./state-json.js";

/** State of a metric-network model: its kind and the network's parameters. */
export interface MetricNnState<K extends MetricNnKind> extends EpochState {
  kind: K;
  /** The network's parameters, as autodiff's saveParams writes them. */
  params: string;
  adam: AdamStateJson;
}

/** The loss weights of a configuration. */
export function lossWeightsOf(config: CyTrainConfig): MetricLossWeights {
  const [ma, dJ, T, vol] = config.alpha;
  return { ma, dJ, T, vol };
}

/** The network of a state (shapes from the configuration, values from the state). */
export function metricNnOf(kind: MetricNnKind, config: CyTrainConfig, params: string): MetricNn {
  const shell = metricNn(kind, config.hidden, config.seed);
  return { ...shell, params: paramsOf(params, shell.params) };
}

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
        params: saveParams(model.params),
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
          params: saveParams(r.params),
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
      if (!Number.isInteger(s.epoch) || (s.epoch as number) < 0) throw new Error("epoch is not a count");
      if (s.kind !== kind) throw new Error(`kind is not "${kind}"`);
      paramsOf(s.params, shell.params);
      adamOf(s.adam, shell.params);
      return s as MetricNnState<K>;
    },

    arrays(config, _data, state) {
      const out: Record<string, { data: Float64Array; shape: number[] }> = {};
      metricNnOf(kind, config, state.params).params.forEach((p, i) => {
        out[`layer${i}-w`] = { data: p.w.toFloat64Array(), shape: p.w.shape.slice() };
        out[`layer${i}-b`] = { data: p.b.toFloat64Array(), shape: p.b.shape.slice() };
      });
      return out;
    },
  };
}
