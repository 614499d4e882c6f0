// @physml/duality-learner: learn the Kramers–Wannier dual of the 2d Ising model from
// correlators alone (Gupta, Ferrari, Iqbal, ICML 2025), fast and in both phases.
export {
  CANDIDATE_TERMS,
  type CandidateTerm,
  type DualityConfig,
  type DualityConfigInput,
  dualityConfigSchema,
  learnedTermIndices,
  resolveConfig,
} from "./config.js";
export { featuresBatch, linkVariablesBatch, type ShapeTables, shapeTables } from "./model/features.js";
export {
  cacheSlotImages,
  imageSums,
  type ShapeImage,
  type SlotImages,
  type SlotMomentPlan,
  sharedSlotMoments,
  slotImages,
  slotMomentPlan,
} from "./model/moment-plan.js";
export {
  featuresFromMoments,
  headCoefficients,
  headJacobian,
  headLoss,
  type MomentLayout,
  meanMoments,
  momentLayout,
  profileGram,
  slotMoments,
  solveHead,
} from "./model/moments.js";
export {
  type AttentionParams,
  attentionFeatures,
  attentionWeights,
  FeatureGeometry,
  type ForwardOptions,
  type MlpParams,
  mlpFeatures,
} from "./model/observable.js";
export { EXTENDED_SHAPES, resolveShapes, STAR_SHAPES } from "./model/shapes.js";
export { type CandidateSlot, candidateSlots, type SlotKind, windowTable } from "./model/window.js";
export { runReport, type SweepRow, sweepReport, type WithError } from "./run/report.js";
export {
  DUALITY_RUN_KIND,
  gridPointNames,
  gridPoints,
  MAX_SWEEP_POINTS,
  parseBetas,
  parseNnns,
  parsePlaquettes,
  pointNames,
  type RunDirOptions,
  runDuality,
  runSweep,
  type SweepGrid,
  type SweepOptions,
  type SweepPoint,
  type SweepResult,
} from "./run/runner.js";
export {
  batchMeans,
  couplingGradient,
  type GradientInput,
  type GradientOutput,
  precondition,
  solveDamped,
} from "./stats/gradient.js";
export type { ExactGroup, GroupState, GumbelGroup, MlpGroup } from "./train/group-state.js";
export { headSummary } from "./train/head-summary.js";
export { learnDuality } from "./train/learner.js";
export { checkDualityMemory, estimateDualityMemory } from "./train/memory-estimate.js";
export { currentDualityResult } from "./train/renamed-fields.js";
export type { DualityResult, LearnerRun, LearnHooks, StepMetrics } from "./train/result.js";
export type { StepContext } from "./train/step-context.js";
export { measureTarget } from "./train/target.js";
export type { TargetData } from "./train/target-data.js";
