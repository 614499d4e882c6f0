export * from "./acceptance.js";
export type { BackendInit, KernelKind, RawMeasurements, SamplerBackend } from "./backend.js";
export { type CpuBackendOptions, createCpuBackend } from "./cpu/backend.js";
export { N_FEATURES, SHAPE_MASKS } from "./cpu/measure.js";
export { Measurements, TERM_INDEX } from "./measurements.js";
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
export { PACKED_MIN_CHAINS } from "./model/packed/choose.js";
export { packedCircuit, packedRefusal } from "./model/packed/circuit.js";
export {
  createModelSampler,
  MAX_MODEL_CHAINS,
  type ModelSampler,
  type ModelSamplerOptions,
} from "./model/sampler.js";
export {
  betaLadder,
  createModelTempering,
  MAX_TEMPERING_SLOTS,
  ModelTempering,
  type ModelTemperingOptions,
  type TemperingRun,
} from "./model/tempering.js";
export type { UpdateRule } from "./model/update-rule.js";
export type { SamplerOptions } from "./options.js";
export { lowbias32, packedAcceptMask, packedWord } from "./rng/packed-hash.js";
export { philox, philox4x32, philoxKey } from "./rng/philox.js";
export {
  isGenericRun,
  MAX_RUN_CHAINS,
  MAX_RUN_SIDE,
  type McmcRunOptions,
  mcmcRunOptionsSchema,
  workersOption,
} from "./run-options.js";
export { createSampler, type MeasureOptions, Sampler } from "./sampler.js";
export { Tempering } from "./tempering.js";
