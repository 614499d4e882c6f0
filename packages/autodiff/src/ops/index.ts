export * from "./conv.js";
export { defineUnary, type UnaryOpSpec } from "./define-unary.js";
export * from "./elementwise.js";
export * from "./indexing.js";
export * from "./linalg.js";
export { matmul, matmulT } from "./matmul.js";
export * from "./reduce.js";
export * from "./shape.js";
export * from "./special.js";
