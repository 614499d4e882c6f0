// The entry a browser bundle resolves (the `browser` export condition): contexts around a
// caller's WebGPU device, typed GPU errors, the pipeline cache and the buffer pool; no Node
// built-ins and no Dawn. index.ts adds Dawn's device (device.ts) and the backend choice.
export * from "./buffer-pool.js";
export * from "./context.js";
export * from "./errors.js";
export * from "./pipeline-cache.js";
