// The replica-packed kernel on the GPU (shaders/ising_packed.wgsl, measure_packed.wgsl): one
// u32 per site and 32-chain group, and a measurement that counts distinct corner products
// per lane (measure-plan.ts), assembled into terms and shapes on the CPU.
import { packedThresholds } from "../../acceptance.js";
import { SHAPE_MASKS } from "../../cpu/measure.js";
import { KERNEL_NAMES, measureRowBlocks, rowsPerInvocation, WG } from "../dispatch.js";
import { fromPackedLayout, groupCount, toPackedLayout } from "../layout.js";
import { packedMeasurePlan } from "../measure-plan.js";
import type { GpuIsingKernel } from "./strategy.js";

/** What the packed measurement counts (distinct corner products; see measure-plan.ts). */
const PLAN = packedMeasurePlan(SHAPE_MASKS);

/** The replica-packed kernel of the WebGPU backend. */
export const PACKED_GPU_KERNEL: GpuIsingKernel = {
  kind: "packed",
  sweepName: KERNEL_NAMES.packed,
  measureName: KERNEL_NAMES.measurePacked,
  sweepShader: (constants) => ({
    kernel: KERNEL_NAMES.packed,
    files: ["philox.wgsl", "packed_hash.wgsl", "layout.wgsl", "ising_packed.wgsl"],
    constants,
  }),
  measureShader(init, constants) {
    const rows = rowsPerInvocation(init.lattice.Ly);
    return {
      kernel: KERNEL_NAMES.measurePacked,
      files: ["layout.wgsl", "measure_packed.wgsl"],
      constants: {
        ...constants,
        CHAINS: init.chains,
        N_QUANTITIES: PLAN.masks.length,
        ROWS_PER_INVOCATION: rows,
        // Counters must hold a count of rows·Lx sites: its bit length.
        COUNTER_BITS: 32 - Math.clz32(rows * init.lattice.Lx),
      },
    };
  },
  // All chains share one nn coupling (kernel/packed.ts): two thresholds and the sign of J
  // (mode 0: J = 0, 1: J > 0, 2: J < 0) travel in every Pass entry; no table.
  thresholdWords: () => 1,
  couplingParams(couplings) {
    const nn = couplings[0].nn;
    const { t4, t8 } = packedThresholds(nn);
    return { thresholds: null, pass: [t4, t8, nn > 0 ? 1 : nn < 0 ? 2 : 0] };
  },
  spinWords: (chains, nSites) => groupCount(chains) * nSites,
  measureTable: PLAN.masks,
  sumsPerSample: PLAN.masks.length,
  assemble: PLAN.assemble,
  toLayout: toPackedLayout,
  fromLayout(bytes, chains, slots, out, offset, chainStride) {
    fromPackedLayout(new Uint32Array(bytes), chains, slots, out, offset, chainStride);
  },
  grids({ lattice, chains }) {
    // One invocation per block of 4 class positions (one Philox call), per group; blocks are
    // flattened over x and y so that large lattices stay within 65535 workgroups per dimension.
    const blockGroups = Math.ceil(Math.ceil(lattice.nSites / 2 / 4) / WG);
    const sx = Math.min(blockGroups, 32768);
    return {
      sweep: [sx, Math.ceil(blockGroups / sx), groupCount(chains)],
      // One per (row block, group, quantity).
      measure: [Math.ceil(measureRowBlocks(lattice.Ly) / WG), groupCount(chains), PLAN.masks.length],
    };
  },
};
