// The CPU backend's kernels by name.
import type { KernelKind } from "../../backend.js";
import { kernelRules } from "../../kernel/registry.js";
import { INT_CPU_KERNEL } from "./int.js";
import { PACKED_CPU_KERNEL } from "./packed.js";
import type { CpuIsingKernel } from "./strategy.js";

const KERNELS: Readonly<Record<KernelKind, CpuIsingKernel>> = {
  int: INT_CPU_KERNEL,
  packed: PACKED_CPU_KERNEL,
};

/** The CPU kernel `kind` (a PhysmlInputError naming `kernel` for an unknown name). */
export function cpuKernel(kind: KernelKind): CpuIsingKernel {
  return KERNELS[kernelRules(kind).kind];
}
