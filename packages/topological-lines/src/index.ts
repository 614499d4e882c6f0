// @physml/topological-lines: a link observable O(s_i s_j) learned from samples with the
// path-independence loss; it rediscovers the Z2 line chunk s_i s_j (paths along links) and the
// disorder line chunk e^{−2K s_i s_j} (paths across links), and says when neither fits.
export { type LinesConfig, type LinesConfigInput, linesConfigSchema, resolveLinesConfig } from "./config.js";
export { meanHistograms, type PathHistogram, pathHistograms } from "./data/histograms.js";
export { type BlockedMeans, blockedMeans, jackknifeOf } from "./eval/jackknife.js";
export {
  type Candidate,
  type CandidateComparison,
  gaussNewtonShift,
  lossLandscape,
  type PairCheck,
  type Validation,
  validateLine,
} from "./eval/validate.js";
export {
  DEFAULT_GROUPS,
  GEOMETRIES,
  type Geometry,
  type Move,
  type PathGroup,
  pathLinks,
  pathPairs,
  symmetryImages,
} from "./paths/paths.js";
export {
  checkLinesMemory,
  disorderName,
  type GeometryResult,
  type LinesResult,
  linesMemory,
  runLines,
  Z2_NAME,
} from "./run/lines.js";
export { linesReport } from "./run/report.js";
export { type LinesRunOptions, runLinesDir } from "./run/run.js";
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
  angleDiff,
  angleOf,
  disorderAngle,
  lineValue,
  pathLoss,
  TRIVIAL_ANGLE,
  tableAt,
  Z2_ANGLE,
} from "./train/table.js";
