// Kernel names and dispatch geometry of the WebGPU backend: how many workgroups each kernel
// launches, and how measurements split the rows.

import type { BackendInit } from "../backend.js";
import { SHAPE_MASKS } from "../cpu/measure.js";
import { groupCount } from "./layout.js";
import { packedMeasurePlan } from "./measure-plan.js";

/** Kernel names used in errors. */
export const KERNEL_NAMES = {
  int: "ising_int.sweep",
  packed: "ising_packed.sweep",
  measureInt: "measure_int.measure",
  measurePacked: "measure_packed.measure",
} as const;

/** Workgroup size along x of every kernel. */
export const WG = 64;
/** What the packed measurement counts (distinct corner products; see measure-plan.ts). */
export const PACKED_PLAN = packedMeasurePlan(SHAPE_MASKS);
/**
 * Row blocks per chain (or group) in a measurement: each invocation walks ⌈Ly/16⌉ rows and
 * adds its partial sums with one atomic per quantity (atomics are slow on software adapters).
 */
const MEASURE_ROW_BLOCKS = 16;

export function rowsPerInvocation(ly: number): number {
  return Math.max(1, Math.ceil(ly / MEASURE_ROW_BLOCKS));
}

/** Workgroup counts of the sweep and measurement dispatches (workgroups of 64 along x). */
export function dispatchGrids(init: BackendInit): { sweep: number[]; measure: number[] } {
  const { lattice, chains, colours } = init;
  const rowBlocks = Math.ceil(lattice.Ly / rowsPerInvocation(lattice.Ly));
  if (init.kernel === "packed") {
    const groups = groupCount(chains);
    // One invocation per block of 4 class positions (one Philox call), per group; blocks are
    // flattened over x and y so that large lattices stay within 65535 workgroups per dimension.
    const blockGroups = Math.ceil(Math.ceil(lattice.nSites / 2 / 4) / WG);
    const sx = Math.min(blockGroups, 32768);
    return {
      sweep: [sx, Math.ceil(blockGroups / sx), groups],
      // One per (row block, group, quantity).
      measure: [Math.ceil(rowBlocks / WG), groups, PACKED_PLAN.masks.length],
    };
  }
  return {
    // One invocation per 4 sites of the colour class (one Philox block), per chain.
    sweep: [Math.ceil(Math.ceil(lattice.nSites / colours / 4) / WG), chains, 1],
    // One per (row block, chain).
    measure: [Math.ceil(rowBlocks / WG), chains, 1],
  };
}
