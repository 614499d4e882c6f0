// @physml/inverse-ising: couplings of any Ising model description from samples (pseudo-likelihood,
// Newton, jackknife errors), and the line-based duality (disorder-line correlators → dual couplings).

export {
  type InverseConfig,
  type InverseConfigInput,
  inverseConfigSchema,
  resolveInverseConfig,
} from "./config.js";
export { exactSamples } from "./data/exact.js";
export { type SampledData, type SampleModelOptions, sampleModel } from "./data/sample-model.js";
export { checkSamples, readSamples, type Samples, samplesFromNpy } from "./data/samples.js";
export {
  type CouplingEstimate,
  type InverseIsingOptions,
  type InverseIsingResult,
  inverseIsing,
} from "./fit/inverse-ising.js";
export { type NewtonOptions, type NewtonResult, newtonFit } from "./fit/newton.js";
export { logSigmoid, type ObjectiveValue, pseudoLikelihoodObjective, sigmoid } from "./fit/objective.js";
export { localPatterns, type Patterns } from "./fit/patterns.js";
export {
  type LineDualityConfig,
  type LineDualityConfigInput,
  type LineDualityRunResult,
  lineDualityConfigSchema,
  runLineDuality,
} from "./line/config.js";
export {
  type CouplingCovariance,
  type CovarianceAxis,
  couplingCovariance,
  principalAxes2,
  propagateCovariance,
} from "./line/coupling-covariance.js";
export {
  type DisorderSeries,
  disorderLineSeries,
  type LineCouplings,
  type LineEndpoints,
} from "./line/disorder.js";
export { type DualFit, type DualFitOptions, matchDualCouplings } from "./line/dual-fit.js";
export { type ExactDualMoments, exactDualMoments } from "./line/exact-dual.js";
export {
  dualSiteMask,
  type ExactDualHamiltonian,
  exactDualHamiltonian,
} from "./line/exact-dual-hamiltonian.js";
export {
  type DualTerms,
  type LineDualityOptions,
  type LineDualityResult,
  lineDuality,
} from "./line/line-duality.js";
export { deformedOriginal, type OriginalCouplings } from "./line/original.js";
export { estimateFileMemory, estimateSamplingMemory } from "./memory.js";
export { type InverseRunResult, type RecoveredTerm, runInverseIsing } from "./run.js";
