export { createWebGpuBackend, ENTRIES_PER_SUBMIT } from "./backend.js";
export { KERNEL_NAMES } from "./dispatch.js";
export { type PhiloxInput, philoxOnGpu } from "./philox-gpu.js";
