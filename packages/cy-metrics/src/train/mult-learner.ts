// The multiplicative metric model g = g_FS ∘ (1 + NN) as a `cy train` learner.
import { type MetricNnState, metricNnLearner } from "./metric-nn-learner.js";

/** State of the multiplicative model (the network's parameters and Adam's moments). */
export type MultState = MetricNnState<"mult">;

/** The multiplicative model's learner. */
export const multLearner = metricNnLearner("mult");
