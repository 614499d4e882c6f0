// @physml/runs: the run directory every physml learner writes (config, metrics, checkpoints,
// arrays, result, lock), resume semantics, progress on stderr, offline HTML reports, and sweeps
// (grids of runs executed locally or as Slurm job arrays).
export { type AddedField, fillAddedFields } from "./dir/added-fields.js";
export { CHECKPOINTS_KEPT, type LoadedCheckpoint } from "./dir/checkpoint.js";
export { configDifferences, deepMerge } from "./dir/config-diff.js";
export { FAILURE_FILE, failureOf, type RunFailure, readFailure } from "./dir/failure.js";
export {
  type InRunOptions,
  type InRunOutput,
  type InRunResult,
  type InRunWith,
  inRun,
  inRunFor,
} from "./dir/in-run.js";
export { acquireLock, EMPTY_LOCK_GRACE_MS, LOCK_FILE, type LockHolder, type RunLock } from "./dir/lock.js";
export { type Provenance, provenanceOf } from "./dir/provenance.js";
export { nestFields, renameFields, renameFieldsDeep } from "./dir/renamed-fields.js";
export {
  type OpenRunOptions,
  openRun,
  RUN_FORMAT,
  Run,
  type RunConfigFile,
  type RunMode,
  type RunStatus,
  readRunConfig,
} from "./dir/run.js";
export {
  CheckpointError,
  type ConfigDifference,
  ConfigMismatchError,
  RunDirError,
  RunExistsError,
  RunLockedError,
} from "./errors.js";
export { atomicWrite, fsyncDir } from "./fs/atomic.js";
export { GrowingNpy, openGrowingNpy, PARTIAL_SUFFIX } from "./fs/growing-npy.js";
export { checkOutputFile, ensureRunDir } from "./fs/out-path.js";
export { NON_FINITE_KEY, stateFromJson, stateToJson } from "./fs/state-json.js";
export { findRuns, listRuns, type RunSummary, summarizeRun } from "./index/summary.js";
export { createProgress, type Progress, type ProgressOptions } from "./progress/progress.js";
export { escapeHtml, type ReportContent, type ReportTable, reportHtml } from "./report/html.js";
export {
  type BarChartOptions,
  barChart,
  renderSvg,
  type TopLevelSpec,
  type XYChartOptions,
  type XYSeries,
  xyChart,
} from "./report/plot.js";
export {
  expandGrid,
  formatGridValue,
  type GridAxis,
  type GridPoint,
  type GridValue,
  MAX_GRID_POINTS,
  parseGridAxis,
  pointName,
} from "./sweep/grid.js";
export {
  type LocalOptions,
  pointThreads,
  runLocal,
  type WorkerExit,
  workerArgv,
  workerEnv,
} from "./sweep/local.js";
export {
  type OpenSweep,
  openSweep,
  pointDir,
  readSweep,
  SWEEP_FILE,
  SWEEP_FORMAT,
  SWEEP_LOCK,
  type SweepDefinition,
  type SweepManifest,
  type SweepPoint,
  type SweepSubmission,
  writeSweep,
} from "./sweep/manifest.js";
export { defaultPlotFields, sweepReport, sweepTable } from "./sweep/merge.js";
export { sweepOptionsSchema, sweepPointOptionsSchema } from "./sweep/options.js";
export {
  activeSlurmJobs,
  arraySpec,
  compressIndices,
  maxArraySize,
  type SlurmResources,
  type SlurmScriptOptions,
  type SlurmTaskState,
  shellQuote,
  slurmScript,
  slurmTaskStates,
  submitSlurm,
  waitForSlurmJob,
} from "./sweep/slurm.js";
export {
  type PointExit,
  type PointState,
  type PointStatus,
  pointLog,
  pointStatus,
  readPointExit,
  type SweepStatus,
  sweepStatus,
  writePointExit,
} from "./sweep/status.js";
export { type RunsTable, readParquetTable, runsTable, toArrow, toCsv, toParquet } from "./table/table.js";
