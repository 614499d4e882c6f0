// Public surface of the WebGPU backend of @physml/autodiff (re-exported from the package entry).
export {
  type GpuTree,
  type TensorSource,
  type UploadInput,
  WebGpuBackend,
  type WebGpuBackendOptions,
  webgpuBackend,
} from "./backend.js";
export { GpuInputError } from "./errors.js";
export { GpuTensor } from "./gpu-tensor.js";
export { BINARY_OPS, type BinaryOp, UNARY_OPS, type UnaryOp } from "./kernels/elementwise.js";
export type { ReduceOp } from "./kernels/reduce.js";
