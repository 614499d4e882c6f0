// The update kernels of the WebGPU backend as strategies: the backend asks one object per
// kernel (int.ts, packed.ts) for what differs between them — the spin layout, the WGSL
// modules, the dispatch shape and how the measurement's sums become terms and features — so a
// new kernel is a new file plus one line in registry.ts.
import type { Couplings, SquareLattice } from "@physml/lattice-core";
import type { BackendInit, KernelKind } from "../../backend.js";
import type { WgslFile } from "../wgsl-sources.generated.js";

/** What to compile for one kernel: its name (errors), WGSL files and override constants. */
export interface ShaderSpec {
  kernel: string;
  files: readonly WgslFile[];
  constants: Record<string, number>;
}

/** Workgroup counts of the sweep and measurement dispatches. */
export interface DispatchGrids {
  sweep: number[];
  measure: number[];
}

/** What a kernel reads of the couplings. */
export interface CouplingParams {
  /** The sweep's threshold table (binding 2), `thresholdWords` u32 words, or null when it reads none. */
  thresholds: Uint32Array | null;
  /** Words 6…8 of every Pass entry (layout.wgsl: t4, t8, mode). */
  pass: readonly [number, number, number];
}

/** One update kernel on the GPU (SPEC.md; shaders/ising_<kind>.wgsl and measure_<kind>.wgsl). */
export interface GpuIsingKernel {
  readonly kind: KernelKind;
  /** Name of the sweep kernel in errors. */
  readonly sweepName: string;
  /** Name of the measurement kernel in errors. */
  readonly measureName: string;
  /** The sweep pipeline; `constants` are the lattice's (LX, LY, COLOURS). */
  sweepShader(constants: Record<string, number>): ShaderSpec;
  /** The measurement pipeline for `init`; `constants` are the lattice's. */
  measureShader(init: BackendInit, constants: Record<string, number>): ShaderSpec;
  /** u32 words of the sweep's threshold table for `chains` chains (at least 1: it is always bound). */
  thresholdWords(chains: number): number;
  /** The kernel's parameters for one coupling vector per chain on `lattice`. */
  couplingParams(couplings: readonly Couplings[], lattice: SquareLattice): CouplingParams;
  /** u32 words of spins of `chains` chains on `nSites` sites. */
  spinWords(chains: number, nSites: number): number;
  /** The measurement's read-only table (binding 2). */
  readonly measureTable: Uint32Array;
  /** i32 sums the measurement writes per chain and sample. */
  readonly sumsPerSample: number;
  /** Turns `[chain][sample][sumsPerSample]` sums into terms `[..][N_TERMS]` and features `[..][N_FEATURES]` (÷ N). */
  assemble(raw: Int32Array, rows: number, nSites: number, terms: Float64Array, features: Float64Array): void;
  /** `[chain][site]` ±1 → the words uploaded to the spin buffer. */
  toLayout(spins: Int8Array, chains: number, slots: Int32Array): Uint32Array | Int32Array;
  /** Spin-buffer bytes → ±1 spins, site i of chain c at `out[offset + c·chainStride + i]`. */
  fromLayout(
    bytes: ArrayBuffer,
    chains: number,
    slots: Int32Array,
    out: Int8Array,
    offset: number,
    chainStride: number,
  ): void;
  /** Workgroup counts for `init`. */
  grids(init: BackendInit): DispatchGrids;
}
