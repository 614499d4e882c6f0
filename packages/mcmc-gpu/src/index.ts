// The Node entry: the browser-safe part (browser.ts) plus createSampler, createModelSampler and
// createModelTempering, which choose between the CPU backend (worker threads) and WebGPU on Dawn.
export * from "./browser.js";
export { createSampler } from "./create-sampler.js";
export { createModelSampler, type ModelSamplerOptions } from "./model/sampler.js";
export { createModelTempering, type ModelTemperingOptions } from "./model/tempering.js";
export { isGenericRun, type McmcRunOptions, mcmcRunOptionsSchema, workersOption } from "./run-options.js";
