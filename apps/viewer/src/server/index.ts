// @physml/viewer: a local web viewer over a physml runs directory (`physml view`).
export {
  type ArrayData,
  type ArrayEntry,
  arrayData,
  type CurrentSummary,
  MAX_ARRAY_ELEMENTS,
  type RunDetail,
  type RunList,
  runDetail,
  runList,
  type SweepData,
  type SweepPoint,
  type SweepSummary,
  sweepData,
} from "./api.js";
export { MetricsTail, type TailEvents } from "./live.js";
export { viewerOptionsSchema } from "./options.js";
export { resolveInside, ViewerPathError } from "./paths.js";
export { type ExactValue, exactCurve, exactOf, type Reference, referenceOf } from "./reference.js";
export { builtClientDir, startViewer, type Viewer, type ViewerOptions, ViewerPortError } from "./server.js";
