// The compute side a model sampler drives, one implementation per place the spins live (the CPU
// engine, the packed CPU rule, the WebGPU kernels): its own file so they and the sampler share
// it without importing the sampler's factory.
import type { Model } from "@physml/lattice-core";

/** The compute side of a model sampler: owns the spins and runs sweeps. */
export interface ModelBackend {
  readonly name: "cpu" | "webgpu";
  readonly adapter: string;
  /** Sweeps `n0 … n0+count−1` of every chain. */
  sweep(n0: number, count: number): Promise<void>;
  /** The current spins (a copy or a live view that the caller does not keep). */
  spins(): Promise<Int8Array | Float64Array>;
  setModel(model: Model): void;
  dispose(): Promise<void>;
  /** Visits every chain's configuration; backends that store spins packed unpack a few at a time. */
  eachChain?(f: (spins: Int8Array | Float64Array, offset: number, chain: number) => void): Promise<void>;
}
