export * from "./elementwise.js";
export * from "./indexing.js";
export * from "./linalg.js";
export * from "./matmul.js";
export * from "./reduce.js";
export * from "./shape.js";
