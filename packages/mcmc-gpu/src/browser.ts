// The entry a browser bundle resolves (the `browser` export condition): the sampler on a WebGPU
// device the caller supplies, its results and the Philox stream. No CPU backend (worker
// threads), no Dawn, no Node built-ins; index.ts adds those.
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
export { ModelMeasurements } from "./model/measurements.js";
export type { SamplerOptions } from "./options.js";
export { philox4x32, philoxKey } from "./rng/philox.js";
export { type MeasureOptions, Sampler } from "./sampler.js";
