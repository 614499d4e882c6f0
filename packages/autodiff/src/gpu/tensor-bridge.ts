// Moving values between the CPU `Tensor` of this package and the GPU. GPU ops are not recorded
// by grad/jvp, so a tensor that is being traced by a transform is refused rather than silently
// cut off from its derivative.
import { Tensor } from "../core/tensor.js";
import type { WebGpuBackend } from "./backend.js";
import { GpuInputError } from "./errors.js";
import type { GpuTensor } from "./gpu-tensor.js";

/** Copies a concrete `Tensor` (float64 or float32) to the GPU as f32. */
export function tensorToGpu(gpu: WebGpuBackend, x: Tensor): GpuTensor {
  if (!(x instanceof Tensor)) throw new GpuInputError("tensorToGpu.x", "a Tensor", typeof x);
  if (x._trace !== null) {
    throw new GpuInputError(
      "tensorToGpu.x",
      "a concrete Tensor (GPU ops are not differentiable)",
      "a Tensor traced by grad/jvp",
    );
  }
  const raw = x._raw();
  return gpu.upload(raw instanceof Float32Array ? raw : Float32Array.from(raw), x.shape);
}

/**
 * Reads a GPU tensor back into a `Tensor`: float64 (the default, the CPU reference precision;
 * the values are the f32 results widened exactly) or float32.
 */
export async function gpuToTensor(t: GpuTensor, dtype: "float64" | "float32" = "float64"): Promise<Tensor> {
  const data = await t.toFloat32Array();
  return Tensor._of(dtype === "float64" ? Float64Array.from(data) : data, t.shape);
}
