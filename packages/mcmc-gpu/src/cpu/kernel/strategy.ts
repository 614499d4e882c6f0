// The update kernels of the CPU backend as strategies: the backend and the engine call one
// object per kernel (int.ts, packed.ts) instead of branching on its name, so a new kernel is a
// new file plus one line in registry.ts. A kernel allocates its shared memory once on the main
// thread; every thread (main and workers) then opens its own runner over that memory.
import type { Couplings, SquareLattice } from "@physml/lattice-core";
import type { WasmMemory } from "@physml/wasm-encode";
import type { KernelKind } from "../../backend.js";
import type { LatticeTables } from "../tables.js";

/** The shared memory of a kernel's chains (sent to worker threads inside the engine descriptor). */
export interface KernelMemory {
  /** The spins, in the kernel's layout. */
  spins: SharedArrayBuffer | ArrayBuffer;
  /** Byte offset of the spins in `spins` (default 0). */
  spinsOffset?: number;
  /** The kernel's coupling parameters (thresholds). */
  params: SharedArrayBuffer | ArrayBuffer;
  /** packed: the shared WebAssembly.Memory of the SIMD kernel, or null to run the JavaScript kernel. */
  simd?: WasmMemory | null;
}

/** Everything needed to rebuild an Engine in another thread (structured-clone friendly). */
export interface EngineDescriptor extends KernelMemory {
  kind: KernelKind;
  Lx: number;
  Ly: number;
  colours: 2 | 4;
  chains: number;
  k0: number;
  k1: number;
}

/** Output arrays of one measurement run (possibly shared between threads). */
export interface MeasureTarget {
  samples: number;
  terms: Float64Array;
  features: Float64Array;
  configurations?: Int8Array;
}

/** One thread's view of a kernel over the shared memory of a descriptor. */
export interface KernelRunner {
  /** Work units: what one thread updates as a whole (chains, or 32-chain groups). */
  readonly units: number;
  /** Unit ranges handed to different threads must start at multiples of this. */
  readonly unitAlign: number;
  /** Rough single-thread cost of one site update of one unit (ns), for the threads' break-even. */
  readonly nsPerSite: number;
  /** What runs the hot loop, for the adapter description. */
  readonly code: "JavaScript" | "WebAssembly SIMD";
  /** Writes the parameters of one coupling vector per chain (main thread, before any job). */
  setCouplings(couplings: readonly Couplings[], lattice: SquareLattice): void;
  /** Sweeps `n0 … n0+count−1` on units `[from, to)`. */
  sweeps(from: number, to: number, n0: number, count: number): void;
  /**
   * Slice `part` of `parts` of colour class k at sweep n, in every unit (site-split sweeps:
   * each thread takes one slice, then all meet at a barrier). Slices are whole Philox blocks,
   * so the result is the single-threaded one bit for bit.
   */
  colourSlice(n: number, k: number, part: number, parts: number): void;
  /** Measures unit u as sample t into `target` (SPEC.md layout). */
  record(u: number, t: number, target: MeasureTarget): void;
  /** Writes a ±1 configuration into chain c. */
  writeChain(c: number, src: Int8Array): void;
  /** Copies chain c's ±1 configuration to `out[offset …]`. */
  readChain(c: number, out: Int8Array, offset: number): void;
}

/** One update kernel of the CPU backend (SPEC.md). */
export interface CpuIsingKernel {
  readonly kind: KernelKind;
  /** Bytes of the spins of `chains` chains of `nSites` sites at most (memory.ts's estimate). */
  spinBytes(nSites: number, chains: number): number;
  /** Allocates the shared memory for `chains` chains of `nSites` sites (main thread). */
  allocate(nSites: number, chains: number, opts: { simd: boolean }): KernelMemory;
  /** This thread's runner over `desc`'s memory. */
  open(desc: EngineDescriptor, tables: LatticeTables): KernelRunner;
}
