// Public surface of the WebGPU backend of @physml/autodiff (re-exported from the package entry;
// op-name types carry a Gpu prefix there so they cannot be confused with the CPU ops).
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
export {
  BINARY_OPS as GPU_BINARY_OPS,
  type BinaryOp as GpuBinaryOp,
  UNARY_OPS as GPU_UNARY_OPS,
  type UnaryOp as GpuUnaryOp,
} from "./kernels/elementwise.js";
export type { ReduceOp as GpuReduceOp } from "./kernels/reduce.js";
export { gpuToTensor, tensorToGpu } from "./tensor-bridge.js";
