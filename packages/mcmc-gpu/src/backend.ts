// The contract between the sampler front-end (`createSampler`) and a compute backend.
// The CPU backend (src/cpu/) and the WebGPU backend (src/webgpu/) both implement it and follow
// SPEC.md bit for bit.
import type { Couplings, SquareLattice } from "@physml/lattice-core";

/** Which update kernel a backend runs (see SPEC.md). */
export type KernelKind = "int" | "packed";

/** Everything a backend needs to allocate and initialise its chains. */
export interface BackendInit {
  lattice: SquareLattice;
  chains: number;
  /** Integer in [0, 2^53). */
  seed: number;
  kernel: KernelKind;
  /** 2 or 4; always 2 for the packed kernel. */
  colours: 2 | 4;
  /** One coupling vector per chain (all equal for the packed kernel). */
  couplings: Couplings[];
  init: "cold" | "hot";
}

/** Raw measurement arrays (layout in SPEC.md, "Measurements"). */
export interface RawMeasurements {
  chains: number;
  /** Samples per chain. */
  samples: number;
  /** `[chain][sample][4]`: S_nn, S_plaq, S_nnn, M (integers stored as Float64). */
  terms: Float64Array;
  /** `[chain][sample][13]`: the 13 standard link-shape features (translation averages). */
  features: Float64Array;
  /** `[chain][sample][site]` ±1 configurations, only when asked for. */
  configurations?: Int8Array;
}

/** A compute backend: owns the spins of every chain and advances them. */
export interface SamplerBackend {
  readonly name: "cpu" | "webgpu";
  /** Human-readable adapter/CPU description for logs and results. */
  readonly adapter: string;
  /** Sweeps done so far (the `n` of SPEC.md). */
  readonly sweepCount: number;
  /** Replaces the per-chain couplings (recomputes acceptance thresholds); chains keep their spins. */
  setCouplings(couplings: Couplings[]): void;
  /** Advances every chain by `n` sweeps. */
  sweep(n: number): Promise<void>;
  /**
   * Runs `sweeps` sweeps and measures after every `every`-th one (samples = floor(sweeps/every)).
   */
  measure(sweeps: number, every: number, withConfigurations: boolean): Promise<RawMeasurements>;
  /** Current configurations, `[chain][site]` ±1. */
  snapshot(): Promise<Int8Array>;
  /** Replaces the configurations and the sweep counter (checkpoint resume). */
  restore(spins: Int8Array, sweepCount: number): Promise<void>;
  /** Frees buffers / workers. */
  dispose(): Promise<void>;
}
