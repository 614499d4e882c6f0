// The WebGPU backend's kernels by name.
import type { KernelKind } from "../../backend.js";
import { kernelRules } from "../../kernel/registry.js";
import { INT_GPU_KERNEL } from "./int.js";
import { PACKED_GPU_KERNEL } from "./packed.js";
import type { GpuIsingKernel } from "./strategy.js";

const KERNELS: Readonly<Record<KernelKind, GpuIsingKernel>> = {
  int: INT_GPU_KERNEL,
  packed: PACKED_GPU_KERNEL,
};

/** The WebGPU kernel `kind` (a PhysmlInputError naming `kernel` for an unknown name). */
export function gpuKernel(kind: KernelKind): GpuIsingKernel {
  return KERNELS[kernelRules(kind).kind];
}
