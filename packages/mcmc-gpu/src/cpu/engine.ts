// The CPU sampler state as plain shared memory plus the operations on a range of work units
// (chains for the int kernel, 32-chain groups for the packed kernel). The main thread and the
// worker threads each build an Engine over the same SharedArrayBuffers and work on disjoint
// unit ranges; since every random word is a function of (seed, chain/group, sweep, site), the
// result does not depend on how units are split.
import { N_TERMS, squareLattice } from "@physml/lattice-core";
import type { WasmMemory } from "@physml/wasm-encode";
import type { KernelKind } from "../backend.js";
import { barrierAbort, barrierWait } from "./barrier.js";
import { type IntKernelState, intBlocks, intSweeps, intUpdateColour } from "./int-kernel.js";
import { measureSpins, N_FEATURES } from "./measure.js";
import { measurePackedGroup } from "./measure-packed.js";
import {
  groupBase,
  type PackedKernelState,
  packedSweeps,
  packedUpdateColour,
  unpackLane,
} from "./packed-kernel.js";
import { PackedSimd, packedSimdWords } from "./packed-simd.js";
import { type LatticeTables, latticeTables } from "./tables.js";

/** Everything needed to rebuild an Engine in another thread (structured-clone friendly). */
export interface EngineDescriptor {
  kind: KernelKind;
  Lx: number;
  Ly: number;
  colours: 2 | 4;
  chains: number;
  k0: number;
  k1: number;
  /**
   * int: Int8 `[chain][site]`; packed: Int32 `[group][site]`, or with `simd` the memory's buffer,
   * the spins at `spinsOffset` in the SIMD kernel's layout (`[group / 4][site][group mod 4]`).
   */
  spins: SharedArrayBuffer | ArrayBuffer;
  /** Byte offset of the spins in `spins` (default 0). */
  spinsOffset?: number;
  /** int: Float64 `[chain][250]` thresholds (`acceptBelow` form); packed: Int32 `[mode, t4, t8]`. */
  params: SharedArrayBuffer | ArrayBuffer;
  /**
   * packed: the shared WebAssembly.Memory of the SIMD kernel (packed-simd.ts), or null to run
   * the JavaScript kernel (no WebAssembly SIMD here).
   */
  simd?: WasmMemory | null;
}

/** Output arrays of one measurement run (possibly shared between threads). */
export interface MeasureTarget {
  samples: number;
  terms: Float64Array;
  features: Float64Array;
  configurations?: Int8Array;
}

export class Engine {
  readonly desc: EngineDescriptor;
  readonly tables: LatticeTables;
  readonly nSites: number;
  /** Work units: chains (int) or 32-chain groups (packed). */
  readonly units: number;
  readonly intState: IntKernelState | null;
  readonly packedState: PackedKernelState | null;
  /** The WebAssembly SIMD packed kernel, when the descriptor has its memory and it runs here. */
  readonly simd: PackedSimd | null = null;
  /**
   * Unit ranges handed to different threads must start at multiples of this: 4 for the SIMD
   * kernel (a 128-chain vector group is one piece of shared memory), else 1.
   */
  readonly unitAlign: number = 1;

  constructor(desc: EngineDescriptor, tables?: LatticeTables) {
    this.desc = desc;
    this.tables = tables ?? latticeTables(squareLattice(desc.Lx, desc.Ly), desc.colours);
    this.nSites = this.tables.nSites;
    if (desc.kind === "int") {
      this.units = desc.chains;
      this.intState = {
        tables: this.tables,
        Lx: desc.Lx,
        Ly: desc.Ly,
        colours: desc.colours,
        spins: new Int8Array(desc.spins),
        acceptBelow: new Float64Array(desc.params),
        k0: desc.k0,
        k1: desc.k1,
      };
      this.packedState = null;
    } else {
      this.units = Math.ceil(desc.chains / 32);
      this.intState = null;
      const stride = desc.simd ? 4 : 1;
      const words = stride === 4 ? packedSimdWords(this.nSites, this.units) : this.units * this.nSites;
      this.packedState = {
        tables: this.tables,
        Lx: desc.Lx,
        Ly: desc.Ly,
        groups: this.units,
        lastLanes: desc.chains - 32 * (this.units - 1),
        spins: new Int32Array(desc.spins, desc.spinsOffset ?? 0, words),
        stride,
        params: new Int32Array(desc.params),
        k0: desc.k0,
        k1: desc.k1,
      };
      if (desc.simd) {
        this.simd = PackedSimd.create(this.packedState, desc.simd);
        if (this.simd) this.unitAlign = 4;
      }
    }
  }

  /** After new params: the SIMD kernel's header (call on the main thread, before any job). */
  paramsChanged(): void {
    this.simd?.writeHeader();
  }

  /** Sweeps `n0 … n0+count−1` on units `[from, to)`. */
  sweeps(from: number, to: number, n0: number, count: number): void {
    if (count <= 0) return;
    if (this.intState) intSweeps(this.intState, from, to, n0, count);
    else if (this.simd?.applies) this.simd.sweeps(from, to, n0, count);
    else if (this.packedState) packedSweeps(this.packedState, from, to, n0, count);
  }

  /**
   * Part `part` of `parts` threads of sweeps `n0 … n0+count−1` with the sites of every colour
   * class split across threads (few chains on a large lattice): each thread updates its slice
   * of colour k in every unit, then all meet at the barrier before colour k+1 is read. Slices
   * are whole Philox blocks, so the result is the single-threaded one bit for bit.
   */
  sweepsSplit(part: number, parts: number, n0: number, count: number, barrier: Int32Array): void {
    if (count <= 0) return;
    if (this.simd?.applies) {
      this.simdSweepsSplit(this.simd, part, parts, n0, count, barrier);
      return;
    }
    try {
      for (let s = 0; s < count; s++) {
        const n = (n0 + s) >>> 0;
        for (let k = 0; k < this.desc.colours; k++) {
          for (let u = 0; u < this.units; u++) {
            if (this.intState) {
              const blocks = intBlocks(this.intState, k);
              const from = Math.floor((blocks * part) / parts);
              intUpdateColour(this.intState, u, n, k, from, Math.floor((blocks * (part + 1)) / parts));
            } else if (this.packedState) {
              const len = this.tables.classes[k].length;
              const from = Math.floor((len * part) / parts);
              packedUpdateColour(this.packedState, u, n, k, from, Math.floor((len * (part + 1)) / parts));
            }
          }
          barrierWait(barrier, parts);
        }
      }
    } catch (e) {
      barrierAbort(barrier);
      throw e;
    }
  }

  /**
   * `sweepsSplit` on the SIMD kernel: each thread updates its slice of colour k in every vector
   * group, then all meet at the barrier before colour k+1 is read.
   */
  private simdSweepsSplit(
    simd: PackedSimd,
    part: number,
    parts: number,
    n0: number,
    count: number,
    barrier: Int32Array,
  ): void {
    const vectors = Math.ceil(this.units / 4);
    try {
      for (let s = 0; s < count; s++) {
        const sweep = (n0 + s) >>> 0;
        for (let k = 0; k < 2; k++) {
          const len = this.tables.classes[k].length;
          const from = Math.floor((len * part) / parts);
          const to = Math.floor((len * (part + 1)) / parts);
          for (let v = 0; v < vectors; v++) simd.colour(v, sweep, k, from, to);
          barrierWait(barrier, parts);
        }
      }
    } catch (e) {
      barrierAbort(barrier);
      throw e;
    }
  }

  /** Measures every unit at sample index t (after a site-split stretch of sweeps). */
  recordAll(t: number, target: MeasureTarget): void {
    for (let u = 0; u < this.units; u++) this.recordUnit(u, t, target);
  }

  /**
   * On units `[from, to)`: `sweeps` sweeps from sweep `n0`, measuring after every `every`-th
   * (SPEC.md layout of `target`). Each unit runs its whole schedule before the next one, which
   * keeps one chain's spins in cache.
   */
  measureRun(
    from: number,
    to: number,
    n0: number,
    sweeps: number,
    every: number,
    target: MeasureTarget,
  ): void {
    const samples = target.samples;
    // Chunks of unitAlign units: the SIMD kernel sweeps a whole vector group at once.
    const step = this.unitAlign;
    for (let u0 = from; u0 < to; u0 = Math.min(to, (Math.floor(u0 / step) + 1) * step)) {
      const u1 = Math.min(to, (Math.floor(u0 / step) + 1) * step);
      let sweep = n0;
      for (let t = 0; t < samples; t++) {
        this.sweeps(u0, u1, sweep, every);
        sweep += every;
        for (let u = u0; u < u1; u++) this.recordUnit(u, t, target);
      }
      this.sweeps(u0, u1, sweep, n0 + sweeps - sweep);
    }
  }

  private recordUnit(u: number, t: number, target: MeasureTarget): void {
    const n = this.nSites;
    if (this.intState) {
      this.record(u, t, this.intState.spins, u * n, target);
    } else if (this.packedState) {
      const ps = this.packedState;
      const lanes = Math.min(32, this.desc.chains - 32 * u);
      measurePackedGroup(
        this.tables,
        ps.spins,
        groupBase(ps, u),
        ps.stride,
        lanes,
        32 * u,
        t,
        target.samples,
        target.terms,
        target.features,
      );
      const conf = target.configurations;
      if (conf)
        for (let b = 0; b < lanes; b++) unpackLane(ps, u, b, conf, ((32 * u + b) * target.samples + t) * n);
    }
  }

  private record(chain: number, t: number, spins: Int8Array, offset: number, target: MeasureTarget): void {
    const row = chain * target.samples + t;
    measureSpins(this.tables, spins, offset, target.terms, row * N_TERMS, target.features, row * N_FEATURES);
    if (target.configurations)
      target.configurations.set(spins.subarray(offset, offset + this.nSites), row * this.nSites);
  }
}
