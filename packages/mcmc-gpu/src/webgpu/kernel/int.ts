// The int kernel on the GPU (shaders/ising_int.wgsl, measure_int.wgsl): one i32 spin per site
// and chain, per-chain threshold tables, and a measurement that sums the 4 terms and the 13
// shapes per chain directly.
import { N_TERMS } from "@physml/lattice-core";
import {
  THRESHOLD_CENTRE,
  THRESHOLD_STRIDES,
  THRESHOLDS_PER_CHAIN,
  thresholdTables,
} from "../../acceptance.js";
import { N_FEATURES, SHAPE_MASKS } from "../../cpu/measure.js";
import { KERNEL_NAMES, measureRowBlocks, rowsPerInvocation, WG } from "../dispatch.js";
import { fromIntLayout, toIntLayout } from "../layout.js";
import type { GpuIsingKernel } from "./strategy.js";

/** Sums per chain and sample: the terms, then the shapes (N_SUMS of measure_int.wgsl). */
const N_SUMS = N_TERMS + N_FEATURES;

/** The threshold table's layout as ising_int.wgsl's override constants: derived, never restated. */
const TABLE_CONSTANTS = {
  TABLE_PER_CHAIN: THRESHOLDS_PER_CHAIN,
  TABLE_CENTRE: THRESHOLD_CENTRE,
  STRIDE_SPIN: THRESHOLD_STRIDES.spin,
  STRIDE_NN: THRESHOLD_STRIDES.nn,
  STRIDE_PLAQ: THRESHOLD_STRIDES.plaquette,
  STRIDE_NNN: THRESHOLD_STRIDES.nnn,
};

/** The int kernel of the WebGPU backend. */
export const INT_GPU_KERNEL: GpuIsingKernel = {
  kind: "int",
  sweepName: KERNEL_NAMES.int,
  measureName: KERNEL_NAMES.measureInt,
  sweepShader: (constants) => ({
    kernel: KERNEL_NAMES.int,
    files: ["philox.wgsl", "layout.wgsl", "ising_int.wgsl"],
    constants: { ...constants, ...TABLE_CONSTANTS },
  }),
  measureShader: (init, constants) => ({
    kernel: KERNEL_NAMES.measureInt,
    files: ["layout.wgsl", "measure_int.wgsl"],
    constants: { ...constants, ROWS_PER_INVOCATION: rowsPerInvocation(init.lattice.Ly) },
  }),
  thresholdWords: (chains) => chains * THRESHOLDS_PER_CHAIN,
  // The int sweep reads per-chain tables; the Pass words of the packed kernel stay 0.
  couplingParams: (couplings, lattice) => ({
    thresholds: thresholdTables(couplings, lattice),
    pass: [0, 0, 0],
  }),
  spinWords: (chains, nSites) => chains * nSites,
  measureTable: Uint32Array.from(SHAPE_MASKS),
  sumsPerSample: N_SUMS,
  assemble(raw, rows, nSites, terms, features) {
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < N_TERMS; k++) terms[N_TERMS * r + k] = raw[N_SUMS * r + k];
      for (let a = 0; a < N_FEATURES; a++)
        features[N_FEATURES * r + a] = raw[N_SUMS * r + N_TERMS + a] / nSites;
    }
  },
  toLayout: toIntLayout,
  fromLayout(bytes, chains, slots, out, offset, chainStride) {
    fromIntLayout(new Int32Array(bytes), chains, slots, out, offset, chainStride);
  },
  grids({ lattice, chains, colours }) {
    return {
      // One invocation per 4 sites of the colour class (one Philox block), per chain.
      sweep: [Math.ceil(Math.ceil(lattice.nSites / colours / 4) / WG), chains, 1],
      // One per (row block, chain).
      measure: [Math.ceil(measureRowBlocks(lattice.Ly) / WG), chains, 1],
    };
  },
};
