// @physml/topological-lines: a link observable O(s_i s_j) learned from samples with the
// path-independence loss; it rediscovers the Z2 line chunk s_i s_j (paths along links) and the
// disorder line chunk e^{−2K s_i s_j} (paths across links), and says when neither fits; or a
// six-entry chunk that also sees the frustrated plaquettes beside the link.
export {
  CHUNK_DEFAULTS,
  LINES_RENAMED_FIELDS,
  type LinesConfig,
  type LinesConfigInput,
  linesConfigSchema,
  resolveLinesConfig,
} from "./config.js";
export { meanHistograms, type PathHistogram, pathHistograms } from "./data/histograms.js";
export { LINK_TYPES, linkType, linkTypes, typeParts } from "./data/link-types.js";
export { countVectors, type MonomialHistogram, monomialHistograms } from "./data/monomial-histograms.js";
export { type BlockedMeans, blockedMeans, jackknifeCovarianceOf, jackknifeOf } from "./eval/jackknife.js";
export {
  type NeighbourhoodCandidate,
  type NeighbourhoodCandidateComparison,
  type NeighbourhoodStatistics,
  type NeighbourhoodValidation,
  validateNeighbourhood,
} from "./eval/neighbourhood-validate.js";
export { type PairCovarianceTest, pairCovarianceTest, pairTestSummary } from "./eval/pair-covariance.js";
export {
  type Candidate,
  type CandidateComparison,
  gaussNewtonShift,
  type LineStatistics,
  lossLandscape,
  type PairCheck,
  pairCheckList,
  pairChi2,
  type Validation,
  validateLine,
} from "./eval/validate.js";
export { EXTENDED_GROUPS, minimalPathGroup } from "./paths/minimal-paths.js";
export {
  DEFAULT_GROUPS,
  GEOMETRIES,
  type Geometry,
  type Move,
  type PathGroup,
  pathLinks,
  pathPairs,
  placementLinks,
  symmetryImages,
} from "./paths/paths.js";
export { type LineCheck, type LinesValidation, linesValidation } from "./run/line-checks.js";
export {
  checkLinesMemory,
  disorderName,
  type GeometryResult,
  type LinesResult,
  linesMemory,
  runLines,
  Z2_NAME,
} from "./run/lines.js";
export { LINES_CHECKPOINT_SECONDS } from "./run/lines-checkpoint.js";
export {
  NEIGHBOURHOOD_ENTRIES,
  type NeighbourhoodGeometryResult,
  type NeighbourhoodLinesResult,
  PLAQUETTE_DISORDER_NAME,
  runNeighbourhoodLines,
} from "./run/neighbourhood-lines.js";
export { neighbourhoodReport } from "./run/neighbourhood-report.js";
export type { FinishedGeometry, LinesPhases } from "./run/phases.js";
export { linesReport } from "./run/report.js";
export { type AnyLinesResult, type LinesRunOptions, runLinesDir } from "./run/run.js";
export { type LineSamples, type LinesRunSummary, runSummary, sampleLineSets } from "./run/samples.js";
export { currentLinesResult } from "./run/stored-lines.js";
export { type LearnResult, learnLine, type StartResult } from "./train/learn.js";
export {
  excludeTrivial,
  initLearner,
  type LearnerOptions,
  type LearnerState,
  learnerStep,
  polishAngle,
  type StepMetrics,
} from "./train/learner.js";
export {
  learnNeighbourhoodLine,
  type NeighbourhoodLearnResult,
  type NeighbourhoodStart,
} from "./train/neighbourhood-learn.js";
export {
  excludeTrivialTables,
  initNeighbourhoodLearner,
  type NeighbourhoodLearnerOptions,
  type NeighbourhoodLearnerState,
  type NeighbourhoodStepMetrics,
  neighbourhoodStep,
  tangentGaussNewton,
  tangentStep,
} from "./train/neighbourhood-learner.js";
export {
  CONSTANT_TABLE,
  disorderTable,
  lineAngle,
  type MonomialMeans,
  monomialValue,
  neighbourhoodLoss,
  normaliseTable,
  PLAQUETTE_PARITY_TABLE,
  pairDifferences,
  plaquetteDisorderTable,
  TABLE_NORM2,
  tableOf,
  trivialTables,
  Z2_TABLE,
} from "./train/neighbourhood-table.js";
export {
  type LearnerStateJson,
  loadLearnerState,
  loadNeighbourhoodLearnerState,
  type NeighbourhoodLearnerStateJson,
  type StoredStateShape,
  saveLearnerState,
  saveNeighbourhoodLearnerState,
} from "./train/state-json.js";
export {
  angleDiff,
  angleOf,
  disorderAngle,
  lineValue,
  pathLoss,
  TRIVIAL_ANGLE,
  tableAt,
  Z2_ANGLE,
} from "./train/table.js";
