// Kernel names and the dispatch geometry shared by the WebGPU kernels: the workgroup size and
// how measurements split the rows.

/** Kernel names used in errors. */
export const KERNEL_NAMES = {
  int: "ising_int.sweep",
  packed: "ising_packed.sweep",
  measureInt: "measure_int.measure",
  measurePacked: "measure_packed.measure",
} as const;

/** Workgroup size along x of every kernel. */
export const WG = 64;
/**
 * Row blocks per chain (or group) in a measurement: each invocation walks ⌈Ly/16⌉ rows and
 * adds its partial sums with one atomic per quantity (atomics are slow on software adapters).
 */
const MEASURE_ROW_BLOCKS = 16;

/** Rows each measurement invocation walks on a lattice of `ly` rows. */
export function rowsPerInvocation(ly: number): number {
  return Math.max(1, Math.ceil(ly / MEASURE_ROW_BLOCKS));
}

/** Measurement invocations per chain (or group): row blocks of {@link rowsPerInvocation} rows. */
export function measureRowBlocks(ly: number): number {
  return Math.ceil(ly / rowsPerInvocation(ly));
}
