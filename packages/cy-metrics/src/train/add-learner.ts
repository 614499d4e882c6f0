// The additive metric model g = g_FS + NN as a `cy train` learner.
import { type MetricNnState, metricNnLearner } from "./metric-nn-learner.js";

/** State of the additive model (the network's parameters and Adam's moments). */
export type AddState = MetricNnState<"add">;

/** The additive model's learner. */
export const addLearner = metricNnLearner("add");
