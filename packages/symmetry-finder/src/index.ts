/**
 * @physml/symmetry-finder — symmetries of labelled data from a classifier's embedding layer and
 * their Lie-algebra generators (Krippendorf & Syvaeri, arXiv 2003.13679).
 */

export { accuracyError } from "./cicy/accuracy-error.js";
export {
  type CicyNeighbourReport,
  cicyNeighbourShares,
  cicyNeighbours,
  cicyNeighboursOn,
  type HodgeClassNeighbours,
  inputsOf,
  largestHodgeClass,
} from "./cicy/analysis.js";
export { type CicyOptions, cicyConfigOf, cicysOf } from "./cicy/config.js";
export {
  arrangementKey,
  augment as augmentCicys,
  CICY_COLS,
  CICY_DEFAULT_PATH,
  CICY_ROWS,
  type Cicy,
  cicyListMissing,
  readCicyList,
  writePermuted,
} from "./cicy/data.js";
export { CicyEquivariantNet, type EquivariantConfig, type EquivariantParams } from "./cicy/equivariant.js";
export {
  type AnyCicyParams,
  type CicyConfig,
  type CicyInputs,
  type CicyMetrics,
  CicyNet,
  type CicyParams,
  type CicyState,
  cicyNetwork,
  cicySplit,
  cicyStep,
  fixedTrainingSet,
  H11_CLASSES,
  H21_CLASSES,
  type HeadAccuracy,
  type HodgeNetwork,
  hodgeAccuracy,
  sampleInputs,
  TRAIN_EVAL_MAX,
  type TrainedCicy,
  testAccuracy,
  trainCicy,
} from "./cicy/model.js";
export { type CicySplit, splitCicys, splitPermutations } from "./cicy/split.js";
export {
  type AlgebraName,
  doubleWell,
  harmonic,
  PAPER_HALF_WIDTH,
  POTENTIALS,
  type Potential,
  type PotentialName,
  paperLevels,
  quartic2d,
  so2xso2,
  so3in4,
} from "./data/potentials.js";
export { type LabelledPoints, pointsOfClass, type SampleOptions, samplePotential } from "./data/sample.js";
export { readLabelledPoints } from "./data/user.js";
export {
  cutAtLargestJump,
  type NeighbourOptions,
  type NeighbourReport,
  neighbourAnalysis,
} from "./eval/neighbours.js";
export {
  antisymmetryError,
  type Closure,
  closure,
  commutator,
  distanceToSpan,
  frob,
  type Generator,
  orthonormalityError,
  planeRotation,
  soBasis,
  toMatrix,
  trueAlgebra,
} from "./generators/algebra.js";
export {
  findGeneratorsByPlanes,
  PLANE_DEFAULTS,
  type PlaneOptions,
  planeCandidates,
  prepare,
} from "./generators/planes.js";
export {
  type AlgebraReport,
  algebraFromCandidates,
  dimensionAtLargestGap,
  largestPrincipalAngle,
} from "./generators/report.js";
export {
  findGeneratorsByTangents,
  type TangentAlgebra,
  type TangentOptions,
  tangentAlgebra,
} from "./generators/tangent.js";
export {
  GENERATOR_TARGETS,
  type GeneratorEvidence,
  type GeneratorTargets,
  type GeneratorValidation,
  validateGenerators,
  validationLine,
} from "./generators/validation.js";
export { checkSymmetryMemory, estimateSymmetryMemory } from "./memory.js";
export {
  accuracyOf,
  argmaxRows,
  Classifier,
  type ClassifierConfig,
  type ClassifierParams,
  type ClassifierState,
  classifierStep,
  crossEntropy,
  type EpochMetrics,
  embeddings,
  type TrainedClassifier,
  trainClassifier,
} from "./model/classifier.js";
export { analyseNoScale, type NoScaleOptions, type NoScaleReport } from "./noscale/analyse.js";
export { type KahlerPotential, parseKahler } from "./noscale/expression.js";
export {
  BUILTIN_GROUPS,
  type BuiltinGroup,
  CICY_RENAMED_FIELDS,
  cicyOptionsSchema,
  generatorsOptionsSchema,
  noscaleOptionsSchema,
  parseInterval,
  parseParameters,
  potentialOptionsSchema,
} from "./options.js";
export {
  checkClassSizes,
  defaultGeneratorKind,
  expectedPlaneCandidates,
  type GeneratorKind,
  type GeneratorMethod,
  generatorMethod,
  minPointsPerClass,
} from "./pipeline/method.js";
export {
  type EmbeddingOptions,
  type EmbeddingStage,
  embedData,
  embedPotential,
  type GeneratorStage,
  generatorsOf,
  predictedCloud,
} from "./pipeline/potential.js";
export { cicyReport, distanceCurves, generatorsReport, pca2, potentialReport } from "./report/reports.js";
export {
  checkTrainingCheckpoint,
  type TrainingCheckpoint,
  type TrainingCheckpoints,
  type TrainingKind,
} from "./run/checkpoint.js";
export { inSymmetryRun } from "./run/run.js";
export {
  CHECKPOINT_SECONDS,
  type TrainingRun,
  type TrainingRunOptions,
  trainingRun,
} from "./run/training-run.js";
