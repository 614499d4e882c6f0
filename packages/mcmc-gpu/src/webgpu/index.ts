export { createWebGpuBackend, ENTRIES_PER_SUBMIT, KERNEL_NAMES } from "./backend.js";
export { type PhiloxInput, philoxOnGpu } from "./philox-gpu.js";
