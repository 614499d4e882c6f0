// The CPU sampler state as plain shared memory plus the operations on a range of work units
// (what a unit is belongs to the kernel: a chain for the int kernel, a 32-chain group for the
// packed one; cpu/kernel/). The main thread and the worker threads each build an Engine over
// the same SharedArrayBuffers and work on disjoint unit ranges; since every random word is a
// function of (seed, chain/group, sweep, site), the result does not depend on how units are split.
import { squareLattice } from "@physml/lattice-core";
import { barrierAbort, barrierWait } from "./barrier.js";
import { cpuKernel } from "./kernel/registry.js";
import type { EngineDescriptor, KernelRunner, MeasureTarget } from "./kernel/strategy.js";
import { type LatticeTables, latticeTables } from "./tables.js";

export type { EngineDescriptor, MeasureTarget };

export class Engine {
  readonly desc: EngineDescriptor;
  readonly tables: LatticeTables;
  readonly nSites: number;
  /** This thread's runner of the descriptor's kernel. */
  readonly kernel: KernelRunner;
  /** Work units: chains (int) or 32-chain groups (packed). */
  readonly units: number;
  /** Unit ranges handed to different threads must start at multiples of this. */
  readonly unitAlign: number;

  constructor(desc: EngineDescriptor, tables?: LatticeTables) {
    this.desc = desc;
    this.tables = tables ?? latticeTables(squareLattice(desc.Lx, desc.Ly), desc.colours);
    this.nSites = this.tables.nSites;
    this.kernel = cpuKernel(desc.kind).open(desc, this.tables);
    this.units = this.kernel.units;
    this.unitAlign = this.kernel.unitAlign;
  }

  /** Sweeps `n0 … n0+count−1` on units `[from, to)`. */
  sweeps(from: number, to: number, n0: number, count: number): void {
    if (count <= 0) return;
    this.kernel.sweeps(from, to, n0, count);
  }

  /**
   * Part `part` of `parts` threads of sweeps `n0 … n0+count−1` with the sites of every colour
   * class split across threads (few chains on a large lattice): each thread updates its slice
   * of colour k in every unit, then all meet at the barrier before colour k+1 is read. Slices
   * are whole Philox blocks, so the result is the single-threaded one bit for bit.
   */
  sweepsSplit(part: number, parts: number, n0: number, count: number, barrier: Int32Array): void {
    if (count <= 0) return;
    try {
      for (let s = 0; s < count; s++) {
        const n = (n0 + s) >>> 0;
        for (let k = 0; k < this.desc.colours; k++) {
          this.kernel.colourSlice(n, k, part, parts);
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
    for (let u = 0; u < this.units; u++) this.kernel.record(u, t, target);
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
        for (let u = u0; u < u1; u++) this.kernel.record(u, t, target);
      }
      this.sweeps(u0, u1, sweep, n0 + sweeps - sweep);
    }
  }
}
