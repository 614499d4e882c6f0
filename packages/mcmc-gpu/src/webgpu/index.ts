export { createWebGpuBackend, ENTRIES_PER_SUBMIT } from "./backend.js";
export { KERNEL_NAMES } from "./dispatch.js";
