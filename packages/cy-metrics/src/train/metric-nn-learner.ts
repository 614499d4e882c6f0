// The additive and multiplicative metric models as learners (one shared implementation; the
// model files mult-learner.ts and add-learner.ts fix the kind). The start is exactly Fubini–Study
// (the network's last layer is zero), then Adam with cosine decay on α_MA 𝓛_MA + α_dJ 𝓛_dJ +
// α_T 𝓛_T + α_vol 𝓛_vol (neural/metric-nn-loss.ts). --k and --iterations are not used.
import { type MetricNn, type MetricNnKind, metricNn } from "../neural/metric-nn.js";
import {
  type MetricLossWeights,
  metricNnEta,
  metricNnLossAndGrad,
  metricNnValues,
} from "../neural/metric-nn-loss.js";
import type { CyTrainConfig } from "../options.js";
import type { CyLearner } from "./learner.js";
import { type NetworkState, networkArrays, networkEpoch, networkStart } from "./network-state.js";
import { adamOf, paramsOf } from "./state-json.js";

/** State of a metric-network model: its kind and the network's parameters. */
export interface MetricNnState<K extends MetricNnKind> extends NetworkState {
  kind: K;
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

/** The learner of the metric-network model of `kind`. */
export function metricNnLearner<K extends MetricNnKind>(kind: K): CyLearner<MetricNnState<K>> {
  return {
    init(config, data) {
      const model = metricNn(kind, config.hidden, config.seed);
      return { epoch: 0, kind, ...networkStart(config, data, model.params) };
    },

    epoch(config, data, state) {
      const model = metricNnOf(kind, config, state.params);
      const alpha = lossWeightsOf(config);
      return networkEpoch(config, data, state, model.params, (params, from, to) =>
        metricNnLossAndGrad({ ...model, params }, data.train, from, to, config.loss, alpha),
      );
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
      return networkArrays(metricNnOf(kind, config, state.params).params);
    },
  };
}
