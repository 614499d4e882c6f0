/**
 * @physml/integrability — data generators for integrable and non-integrable systems (symplectic
 * integrators, 1+1D fields), Lax-pair learning (arXiv 2103.07475) and symmetry-control networks
 * (arXiv 2104.14444).
 */

export { CONNECTION_ADDED_FIELDS, KDV_ADDED_FIELDS, SCNN_ADDED_FIELDS } from "./added-fields.js";
export { runSimulation, type SimulationConfig, type SimulationResult } from "./data/catalogue.js";
export { energyDrift } from "./data/energy-drift.js";
export { flaschkaPair } from "./data/flaschka.js";
export {
  energies,
  type HamiltonianSystem,
  hamiltonianGradients,
  type StateBatch,
  vectorField,
} from "./data/hamiltonian.js";
export {
  INTEGRATOR_ORDER,
  INTEGRATORS,
  type IntegratorName,
  integratorStep,
  type SimulateOptions,
  simulate,
  type Trajectories,
  YOSHIDA_WEIGHTS,
} from "./data/integrators.js";
export { type PhaseSamples, samplePhaseSpace } from "./data/sampling.js";
export { type NamedArray, SIMULATE_SYSTEMS, type SimulateSystemName } from "./data/simulation-names.js";
export {
  harmonicOscillator,
  henonHeiles,
  nonlinearRotor,
  type Perturbation,
  perturbedOscillator,
  toda,
  twoBody,
} from "./data/systems.js";
export {
  chainExponentials,
  type DictionaryTerm,
  type FittedFormula,
  fitFormula,
  monomials,
} from "./eval/dictionary.js";
export {
  type ConservedOptions,
  type ConservedReport,
  conservedQuantities,
  type LaxPairFns,
  laxFormulas,
  laxResidual,
} from "./eval/lax-metrics.js";
export {
  fieldMonodromy,
  fieldMonodromyReport,
  fieldMonodromyTrace,
  MONODROMY_MAX_FACTOR,
  MONODROMY_TOLERANCE,
  type MonodromyEstimate,
  type MonodromyQuadrature,
  type MonodromyReport,
  monodromyReport,
  monodromyTrace,
  refineField,
  traceOfFeatures,
} from "./eval/monodromy.js";
export { INDEPENDENCE_FLOOR, type TraceIndependence, traceIndependence } from "./eval/trace-independence.js";
export {
  FIELD_GRID_POINTS,
  type FieldDataOptions,
  type FieldGridPoints,
  type FieldSystem,
  type FieldTrajectories,
  fieldSamples,
  type SnapshotJet,
  sampleFieldPoints,
} from "./fields/field-system.js";
export {
  heisenbergAdvance,
  heisenbergEnergy,
  heisenbergStepConverges,
  type SpinField,
  spinNormError,
  spinWave,
} from "./fields/heisenberg.js";
export {
  HEISENBERG_DATA,
  HEISENBERG_GRID_POINTS,
  HEISENBERG_KINDS,
  heisenbergDefaultStep,
  heisenbergFieldSystem,
  heisenbergTrajectories,
} from "./fields/heisenberg-samples.js";
export { KdvEtdrk4, kdvInvariants, kdvSoliton } from "./fields/kdv.js";
export {
  type FieldSamples,
  featureNames,
  type KdvDataOptions,
  type KdvTrajectories,
  kdvAsFieldTrajectories,
  kdvFieldSamples,
  kdvFieldSystem,
  kdvTrajectories,
  type SnapshotFeatures,
  snapshotFeatures,
} from "./fields/kdv-samples.js";
export {
  type SineGordonState,
  sineGordonAdvance,
  sineGordonBreather,
  sineGordonEnergy,
  sineGordonKinkAntikink,
} from "./fields/sine-gordon.js";
export {
  SINE_GORDON_DATA,
  SINE_GORDON_KINDS,
  sineGordonFieldSystem,
  sineGordonTrajectories,
} from "./fields/sine-gordon-samples.js";
export { PeriodicGrid } from "./fields/spectral.js";
export { CARTAN_FLOOR, cartanRatio } from "./lax/cartan-ratio.js";
export {
  checkLaxCheckpoint,
  type LaxCheckpoint,
  type LaxCheckpointWant,
  type LaxRung,
  laxCheckpointStep,
  type PolishCheckpoint,
} from "./lax/checkpoint.js";
export { complexTracelessPart } from "./lax/complex-projection.js";
export {
  type ConnectionCheckpoint,
  type ConnectionMetrics,
  type ConnectionPolishProgress,
  checkConnectionCheckpoint,
  connectionCheckpointStep,
  type EarlierAttempt,
} from "./lax/connection-checkpoint.js";
export {
  type ConnectionObjective,
  type ConnectionTrainingConfig,
  type ConnectionTrainingResult,
  trainConnection,
} from "./lax/connection-trainer.js";
export {
  CONNECTION_TARGETS,
  type ConnectionTargets,
  type ConnectionValidation,
  QUADRATURE_SHARE,
  validateConnection,
} from "./lax/connection-validation.js";
export {
  FIELD_CONNECTION_SYSTEMS,
  type FieldConnectionSetup,
  type FieldConnectionSystemName,
  fieldConnectionSetup,
  HEISENBERG_GL_WEIGHTS,
  HEISENBERG_WEIGHTS,
  type LaxConnectionResult,
  learnLaxConnection,
  SEPARATION_TARGET,
  SINE_GORDON_WEIGHTS,
  withSeparation,
} from "./lax/field-connection-systems.js";
export {
  heisenbergConnection,
  heisenbergConnectionSu2,
  realify,
  sineGordonConnection,
} from "./lax/field-connections.js";
export {
  KILLING_SPAN_FLOOR,
  KILLING_SPAN_POINTS,
  KILLING_SPAN_RANK,
  killingSpanHinge,
  killingSpanRatio,
} from "./lax/killing-span.js";
export {
  type LaxValidation,
  LaxValidationError,
  type LearnLaxConfig,
  type LearnLaxResult,
  learnLax,
  validateLax,
} from "./lax/learn.js";
export {
  type LaxLossTerms,
  type LaxLossWeights,
  laxLoss,
  laxLossOf,
  proportionalityLoss,
  SPECTRUM_SPREAD,
  spectrumLoss,
} from "./lax/loss.js";
export {
  LAX_ACTIVATIONS,
  LAX_STRUCTURES,
  type LaxActivation,
  LaxModel,
  type LaxModelOptions,
  type LaxParams,
  type LaxStructure,
} from "./lax/model.js";
export {
  PERTURBATION_WEIGHTS,
  type PerturbationCheckpoint,
  type PerturbationRow,
  type PerturbationTestConfig,
  perturbationTest,
} from "./lax/perturbation.js";
export { checkPerturbationCheckpoint } from "./lax/perturbation-checkpoint.js";
export { quadraticLift } from "./lax/quadratic-lift.js";
export {
  MAX_SPECTRAL_DEGREE,
  MIN_SPECTRAL_POWER,
  readoutSlopeGaps,
  readoutSlopes,
  SPECTRAL_SLOPE_FLOOR,
  SpectralConnectionModel,
  type SpectralConnectionOptions,
  spectralInvariant,
  spectralSlopeGaps,
  spectralSlopes,
} from "./lax/spectral-connection.js";
export {
  checkSpectralRange,
  DEFAULT_SPECTRAL_RANGE,
  FIXED_START_SYSTEMS,
  type FixedStartRecord,
  HELD_OUT_FRACTIONS,
  heldOutLambdas,
  learnKdvSpectralConnection,
  learnSpectralConnection,
  SPECTRAL_FROM_FIXED_BUDGET,
  SPECTRAL_STARTS,
  type SpectralConnectionCheckpoint,
  type SpectralConnectionConfig,
  type SpectralConnectionResult,
  type SpectralHeldOut,
  type SpectralStart,
  traceMismatch,
} from "./lax/spectral-connection-learn.js";
export {
  checkFamilyRange,
  heisenbergFamilyParams,
  heldOutParameters,
  kdvFamilyParams,
  MAX_SPECTRAL_HEISENBERG,
  MAX_SPECTRAL_K,
  MAX_SPECTRAL_LAMBDA,
  SPECTRAL_FAMILY_SYSTEMS,
  SPECTRAL_RANGE_RULES,
  type SpectralFamily,
  type SpectralFamilySystemName,
  sineGordonFamilyParams,
  spectralFamily,
} from "./lax/spectral-families.js";
export {
  antisymmetricCoefficient,
  boostedSineGordonFamily,
  FIXED_START_SOLVE_ITER,
  familyFromFixed,
  galileanKdvFamily,
} from "./lax/spectral-fixed-start.js";
export {
  LAX_SYSTEMS,
  type LaxSetup,
  type LaxSystemModel,
  type LaxSystemName,
  type LaxTargets,
  laxSetup,
} from "./lax/systems.js";
export {
  type PairCheckpoint,
  type PairLosses,
  type PairRow,
  type PairTestConfig,
  todaVersusHenonHeiles,
} from "./lax/toda-henon-heiles.js";
export { checkPairCheckpoint } from "./lax/toda-henon-heiles-checkpoint.js";
export {
  DEFAULT_WEIGHTS,
  type LaxBatch,
  type LaxMetrics,
  LaxTrainer,
  type LaxTrainState,
  laxBatch,
  type PolishOptions,
  type PolishProgress,
  polishDone,
} from "./lax/train.js";
export {
  COMMUTATOR_FLOOR,
  type ConnectionFns,
  type ConnectionLossTerms,
  type ConnectionWeights,
  type CurvatureParts,
  curvatureParts,
  EQUATION_FLOOR,
  type FieldBatch,
  fieldBatch,
  KILLING_FLOOR,
  kdvConnection,
  tracelessPart,
  zeroCurvatureLoss,
  zeroCurvatureResidual,
  zeroCurvatureResiduals,
} from "./lax/zero-curvature.js";
export {
  CONNECTION_LIFTS,
  CONNECTION_WEIGHTS,
  type ConnectionLift,
  defaultConnectionRestarts,
  FIELD_CONNECTION_WEIGHTS,
  FIXED_CONNECTION_BUDGET,
  type FieldConnectionConfig,
  type FieldConnectionResult,
  KDV_LOSS_TERMS,
  type KdvLossTerms,
  type LearnConnectionConfig,
  type LearnConnectionResult,
  learnFieldConnection,
  learnKdvConnection,
  NETWORK_CLASS_RESTARTS,
  STALL_LOSS,
} from "./lax/zero-curvature-learn.js";
export {
  CONNECTION_TRAINING_DEFAULTS,
  type ConnectionOptionsInput,
  connectionInputs,
  connectionOptionsSchema,
  connectionParameters,
  type KdvOptionsInput,
  kdvModel,
  kdvOptionsSchema,
  type LaxOptionsInput,
  laxBudgets,
  laxOptionsSchema,
  type PerturbationOptionsInput,
  perturbationOptionsSchema,
  type ScnnOptionsInput,
  type SimulateOptionsInput,
  scnnOptionsSchema,
  simulateOptionsSchema,
  withConnectionTraining,
} from "./options.js";
export {
  inIntegrabilityRun,
  saveLearnedState,
} from "./run/run.js";
export type { SimulationRecord } from "./run/simulate-checkpoint.js";
export {
  SIMULATION_CHECKPOINT_SECONDS,
  type SimulationRunOptions,
  type SimulationRunResult,
  simulateInRun,
} from "./run/simulate-run.js";
export {
  checkTwoBodyCheckpoint,
  type ModelErrors,
  TWO_BODY_MODELS,
  type TwoBodyCheckpoint,
  type TwoBodyModelName,
} from "./scnn/checkpoint.js";
export {
  compareTwoBody,
  TWO_BODY_FRAMES,
  type TwoBodyConfig,
  type TwoBodyFrame,
  type TwoBodyResult,
  twoBodyLearningRate,
} from "./scnn/compare.js";
export { CENTRE_OF_MASS_MAP, symplecticDefect } from "./scnn/frame.js";
export {
  angularMomentum,
  COUPLING,
  circularSpeed,
  MAX_INVERSE_SQUARE,
  pericentreAdvance,
  REDUCED_MASS,
  rungeLenz,
  twoBodyEnergy,
  twoBodySystem,
} from "./scnn/kepler.js";
export {
  baselineModel,
  type FieldModel,
  GENERAL_STARTS,
  type GeneralStart,
  hnnModel,
  INDEPENDENCE_FORMS,
  type IndependenceForm,
  MAX_POINT_START_SPREAD,
  mechanicalEnergy,
  POINT_STARTS,
  type PointStart,
  polarStartFrame,
  SCNN_HAMILTONIANS,
  SCNN_TRANSFORMS,
  type ScnnHamiltonian,
  type ScnnOptions,
  type ScnnParams,
  type ScnnTransform,
  scnnModel,
} from "./scnn/models.js";
export {
  keplerInvariantPolynomials,
  type MomentumReadout,
  readMomenta,
  TWO_BODY_INVARIANT_POLYNOMIALS,
  TWO_BODY_INVARIANTS,
  twoBodyInvariantPolynomials,
  twoBodyInvariants,
} from "./scnn/momenta.js";
export { cotangentLift, type PointMap } from "./scnn/point.js";
export {
  alongOrbitShare,
  keptRestart,
  restartPasses,
  SCNN_RESTART_WITHIN,
  type ScnnRestart,
  type ScnnRestartRecord,
  type ScnnRestartReport,
} from "./scnn/restarts.js";
export { predictionErrors, rollout } from "./scnn/rollout.js";
export {
  type FieldLoss,
  type FieldTrainOptions,
  type FieldTrainState,
  trainFieldModel,
} from "./scnn/train.js";
export {
  type TwoBodyBoost,
  type TwoBodyOrbitShape,
  twoBodyInitialStates,
  twoBodyOrbits,
  twoBodyTrainingSet,
} from "./scnn/two-body-data.js";
export {
  SCNN_HELD_OUT_WITHIN,
  type ScnnValidation,
  validateCyclicMomenta,
} from "./scnn/validation.js";
