// @physml/runs: the run directory every physml learner writes (config, metrics, checkpoints,
// arrays, result, lock), resume semantics, progress on stderr and offline HTML reports.
export { CHECKPOINTS_KEPT, type LoadedCheckpoint } from "./dir/checkpoint.js";
export { configDifferences, deepMerge } from "./dir/config-diff.js";
export { LOCK_FILE, type LockHolder } from "./dir/lock.js";
export { type Provenance, provenanceOf } from "./dir/provenance.js";
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
export { ensureRunDir } from "./fs/out-path.js";
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
export { type RunsTable, readParquetTable, runsTable, toArrow, toCsv, toParquet } from "./table/table.js";
