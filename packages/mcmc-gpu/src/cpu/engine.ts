// The CPU sampler state as plain shared memory plus the operations on a range of work units
// (chains for the int kernel, 32-chain groups for the packed kernel). The main thread and the
// worker threads each build an Engine over the same SharedArrayBuffers and work on disjoint
// unit ranges; since every random word is a function of (seed, chain/group, sweep, site), the
// result does not depend on how units are split.
import { squareLattice } from "@physml/lattice-core";
import type { KernelKind } from "../backend.js";
import { type IntKernelState, intSweeps } from "./int-kernel.js";
import { measureSpins, N_FEATURES } from "./measure.js";
import { measurePackedGroup } from "./measure-packed.js";
import { type PackedKernelState, packedSweeps, unpackLane } from "./packed-kernel.js";
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
  /** int: Int8 `[chain][site]`; packed: Int32 `[group][site]`. */
  spins: SharedArrayBuffer | ArrayBuffer;
  /** int: Uint32 `[chain][250]` thresholds; packed: Int32 `[mode, t4, t8]`. */
  params: SharedArrayBuffer | ArrayBuffer;
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

  constructor(desc: EngineDescriptor, tables?: LatticeTables) {
    this.desc = desc;
    this.tables = tables ?? latticeTables(squareLattice(desc.Lx, desc.Ly), desc.colours);
    this.nSites = this.tables.nSites;
    if (desc.kind === "int") {
      this.units = desc.chains;
      this.intState = {
        tables: this.tables,
        colours: desc.colours,
        spins: new Int8Array(desc.spins),
        thresholds: new Uint32Array(desc.params),
        k0: desc.k0,
        k1: desc.k1,
      };
      this.packedState = null;
    } else {
      this.units = Math.ceil(desc.chains / 32);
      this.intState = null;
      this.packedState = {
        tables: this.tables,
        groups: this.units,
        lastLanes: desc.chains - 32 * (this.units - 1),
        spins: new Int32Array(desc.spins),
        params: new Int32Array(desc.params),
        k0: desc.k0,
        k1: desc.k1,
      };
    }
  }

  /** Sweeps `n0 … n0+count−1` on units `[from, to)`. */
  sweeps(from: number, to: number, n0: number, count: number): void {
    if (count <= 0) return;
    if (this.intState) intSweeps(this.intState, from, to, n0, count);
    else if (this.packedState) packedSweeps(this.packedState, from, to, n0, count);
  }

  /**
   * On units `[from, to)`: `sweeps` sweeps from sweep `n0`, measuring after every `every`-th
   * (SPEC.md layout of `target`). Each unit runs its whole schedule before the next one, which
   * keeps one chain's spins in cache.
   */
  measureRun(from: number, to: number, n0: number, sweeps: number, every: number, target: MeasureTarget): void {
    const samples = target.samples;
    const n = this.nSites;
    for (let u = from; u < to; u++) {
      let sweep = n0;
      for (let t = 0; t < samples; t++) {
        this.sweeps(u, u + 1, sweep, every);
        sweep += every;
        if (this.intState) {
          this.record(u, t, this.intState.spins, u * n, target);
        } else if (this.packedState) {
          const lanes = Math.min(32, this.desc.chains - 32 * u);
          const ps = this.packedState;
          measurePackedGroup(this.tables, ps.spins, u, lanes, 32 * u, t, samples, target.terms, target.features);
          const conf = target.configurations;
          if (conf) for (let b = 0; b < lanes; b++) unpackLane(ps, u, b, conf, ((32 * u + b) * samples + t) * n);
        }
      }
      this.sweeps(u, u + 1, sweep, n0 + sweeps - sweep);
    }
  }

  private record(chain: number, t: number, spins: Int8Array, offset: number, target: MeasureTarget): void {
    const row = chain * target.samples + t;
    measureSpins(this.tables, spins, offset, target.terms, row * 4, target.features, row * N_FEATURES);
    if (target.configurations) target.configurations.set(spins.subarray(offset, offset + this.nSites), row * this.nSites);
  }
}
