export * from "./backend-choice.js";
export * from "./buffer-pool.js";
export * from "./device.js";
export * from "./errors.js";
export * from "./pipeline-cache.js";
