export type { KernelKind } from "./backend.js";
export { Measurements } from "./measurements.js";
export {
  checkMemory,
  estimateMemory,
  estimateModelMemory,
  type MemoryEstimate,
  MemoryLimitError,
  type MemoryPlan,
  type ModelMemoryPlan,
} from "./memory.js";
export { ModelMeasurements } from "./model/measurements.js";
export type { ModelSampler } from "./model/model-sampler.js";
export { createModelSampler, type ModelSamplerOptions } from "./model/sampler.js";
export {
  betaLadder,
  createModelTempering,
  ModelTempering,
  type ModelTemperingOptions,
  type TemperingRun,
} from "./model/tempering.js";
export type { SamplerOptions } from "./options.js";
export { philox4x32, philoxKey } from "./rng/philox.js";
export { isGenericRun, type McmcRunOptions, mcmcRunOptionsSchema, workersOption } from "./run-options.js";
export { createSampler, type MeasureOptions, Sampler } from "./sampler.js";
