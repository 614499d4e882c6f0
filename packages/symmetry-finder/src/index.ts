/**
 * @physml/symmetry-finder — symmetries of labelled data from a classifier's embedding layer and
 * their Lie-algebra generators (Krippendorf & Syvaeri, arXiv 2003.13679).
 */
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
  accuracyOf,
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
