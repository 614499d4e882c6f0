// The entry a browser bundle resolves (the `browser` export condition): the samplers on a WebGPU
// device the caller supplies (square lattices, any model description, replica exchange over
// model samplers), their results and the Philox stream. No CPU backend (worker threads), no
// Dawn, no Node built-ins; index.ts adds those.
export type { KernelKind } from "./backend.js";
export { createGpuSampler, type GpuSamplerOptions } from "./gpu-sampler.js";
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
export { createGpuModelSampler } from "./model/gpu-sampler.js";
export { createGpuModelTempering } from "./model/gpu-tempering.js";
export {
  betaLadder,
  type GpuModelTemperingOptions,
  ModelTempering,
  type TemperingRun,
} from "./model/ladder.js";
export { type MeasureLayout, measureLayout } from "./model/measure.js";
export { ModelMeasurements } from "./model/measurements.js";
export type { ModelSampler } from "./model/model-sampler.js";
export type { GpuModelSamplerOptions } from "./model/options.js";
export type { SamplerOptions } from "./options.js";
export { philox4x32, philoxKey } from "./rng/philox.js";
export { type MeasureOptions, Sampler } from "./sampler.js";
