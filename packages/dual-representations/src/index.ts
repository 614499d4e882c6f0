// @physml/dual-representations: dual variables as classifier inputs (Betzler–Krippendorf): the
// n-spin chain (exact dual partition function, stability classification, task-constrained
// autoencoder with feature-matching and correlation-function terms), 2D Ising temperature pairs
// against their Kramers–Wannier duals, and a learned Fourier representation with a
// feature-separation loss.

export {
  autoencoder,
  DECODER_KINDS,
  type DecoderSpec,
  ENCODER_KINDS,
  type EncoderSpec,
  latentOverlap,
} from "./chain/autoencoder.js";
export { type ConvDecoderParams, convDecoder } from "./chain/conv-decoder.js";
export { type ConvEncoderParams, convEncoder } from "./chain/conv-encoder.js";
export {
  type AffineReadoutParams,
  affineReadout,
  affineReadoutInit,
  CORRELATION_FUNCTIONS,
  CORRELATION_READOUTS,
  type CorrelationFunctions,
  type CorrelationReadout,
  correlationError,
  inputCorrelations,
  latentCorrelations,
} from "./chain/correlation-loss.js";
export { type ChainData, chainData, MAX_ENUMERATED_SITES } from "./chain/dataset.js";
export { type DualPartition, dualPartition, MAX_CONSTRAINT_BITS } from "./chain/dual-partition.js";
export {
  dualVariables,
  instanceCouplings,
  instanceSites,
  nSpinChain,
  siteInstances,
  stableFromDual,
  stableLabel,
} from "./chain/model.js";
export {
  type ChainPoint,
  chainPoint,
  EXACT_TOLERANCE,
  lowestLossRun,
  type SelectedRun,
} from "./chain/task.js";
export {
  type ChainConfig,
  type ChainConfigInput,
  chainConfigSchema,
  type FourierConfig,
  type FourierConfigInput,
  fourierConfigSchema,
  type Ising2dConfig,
  type Ising2dConfigInput,
  ising2dConfigSchema,
  resolveChainConfig,
  resolveFourierConfig,
  resolveIsing2dConfig,
} from "./config.js";
export {
  applyMatrix,
  bandAlignment,
  dftPairOrder,
  type FourierModes,
  fourierConcentration,
  modePowers,
  realDft,
  realFourierModes,
} from "./fourier/basis.js";
export { decorrelationLoss, inputCovariance } from "./fourier/decorrelation.js";
export {
  additiveHead,
  fitLearnedMap,
  type Head,
  type LearnedMapOptions,
  separationLoss,
} from "./fourier/front-end.js";
export {
  denseMap,
  kron,
  MAP_KINDS,
  type MapKind,
  type MapShape,
  mapShape,
  orthogonalMap,
  orthogonalSeparableMap,
  separableMap,
} from "./fourier/map-shapes.js";
export {
  PEAK_FEATURES,
  type PeakFeature,
  pairPeakScore,
  peakReward,
  peakScore,
} from "./fourier/peak-score.js";
export {
  headPairsOnOneFrequency,
  headRowOrder,
  pairByPowerCorrelation,
  powerCorrelations,
  reorderRows,
} from "./fourier/row-pairing.js";
export {
  SHARED_INPUTS,
  type SharedClassifier,
  type SharedInput,
  sharedClassifier,
} from "./fourier/shared-head.js";
export { bandSignals, signalNoiseSignals } from "./fourier/signals.js";
export {
  type FourierResult,
  fourierTask,
  type LearnedMap,
  type PairedMap,
  type SharedResult,
} from "./fourier/task.js";
export { bondWeightSpread, type DftFrontEnds, type LearnedFrontEnd } from "./ising2d/dft-front-end.js";
export { bondWeights, structureFactor } from "./ising2d/structure-factor.js";
export {
  dualTemperature,
  ENERGY_PULL_LIMIT,
  energyThresholdAccuracy,
  type Ising2dPoint,
  ising2dPoint,
  type PairResult,
} from "./ising2d/task.js";
export { currentDualrepResult, type RunDirOptions } from "./run/run-dir.js";
export type {
  ChainRunResult,
  DualrepValidation,
  FourierRunResult,
  Ising2dRunResult,
} from "./run/run-results.js";
export { runChain, runFourier, runIsing2d } from "./run/runners.js";
export type { Labelled } from "./train/dataset.js";
export {
  type Accuracy,
  accuracyOf,
  type EpochMetrics,
  type FitOptions,
  fitBinary,
  LR_SCHEDULES,
  learningRate,
} from "./train/fit.js";
export {
  checkTrainingsCheckpoint,
  type OnEpoch,
  prefixed,
  type StoredTraining,
  type TaggedFit,
  TrainingLedger,
  type TrainingsCheckpoint,
  taggedFit,
} from "./train/trainings.js";
