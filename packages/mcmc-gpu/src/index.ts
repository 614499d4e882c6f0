// The Node entry: the browser-safe part (browser.ts) plus createSampler and the model samplers,
// which choose between the CPU backend (worker threads) and WebGPU on Dawn.
export * from "./browser.js";
export { createSampler } from "./create-sampler.js";
export type { ModelSampler } from "./model/model-sampler.js";
export { createModelSampler, type ModelSamplerOptions } from "./model/sampler.js";
export {
  betaLadder,
  createModelTempering,
  ModelTempering,
  type ModelTemperingOptions,
  type TemperingRun,
} from "./model/tempering.js";
export { isGenericRun, type McmcRunOptions, mcmcRunOptionsSchema, workersOption } from "./run-options.js";
