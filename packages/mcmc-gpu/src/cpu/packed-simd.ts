// Runs the WebAssembly SIMD packed kernel (packed-simd-module.ts) for the CPU engine. The spins
// live in the module's shared WebAssembly.Memory, in its layout: after the header, one v128 per
// site per vector group, lane q = group 4v + q (`PackedKernelState.stride` = 4; the JavaScript
// kernel, the measurements, snapshots and restores read the same words through that stride).
// The memory is shared so that worker threads can update the vector groups, or the sites of
// one vector group, together.
import { WA, type WasmMemory } from "@physml/wasm-encode";
import { type PackedKernelState, packedSweeps } from "./packed-kernel.js";
import {
  H_INVERT,
  H_K0,
  H_K1,
  H_LEVELS,
  H_LX,
  H_LY,
  H_PHILOX_OUT,
  HEADER_BYTES,
  LEVEL_BYTES,
  packedSimdModule,
} from "./packed-simd-module.js";

type Colour = (
  ptr: number,
  g0: number,
  n: number,
  k: number,
  from: number,
  to: number,
  l0: number,
  l1: number,
  l2: number,
  l3: number,
) => void;
type Sweeps = (
  ptr: number,
  g0: number,
  n0: number,
  count: number,
  l0: number,
  l1: number,
  l2: number,
  l3: number,
) => void;

/** Int32 words of spins for `groups` 32-chain groups on `nSites` sites (whole vector groups). */
export function packedSimdWords(nSites: number, groups: number): number {
  return Math.ceil(groups / 4) * 4 * nSites;
}

/** Byte offset of the spins in the memory. */
export const SPINS_OFFSET = HEADER_BYTES;

function memoryBytes(nSites: number, groups: number): number {
  return HEADER_BYTES + 4 * packedSimdWords(nSites, groups);
}

const pagesFor = (nSites: number, groups: number) => Math.ceil(memoryBytes(nSites, groups) / 65536);

const compiled = new Map<number, object | null>();

// Stryker's vitest runner keeps modules loaded from one mutant to the next, so in a mutation
// run (PHYSML_MUTATION_RUN, set by stryker.shared.mjs) a module cached under one mutant of
// packed-simd-module.ts would hide the others: there every call builds the module afresh.
const rebuild = globalThis.process?.env?.PHYSML_MUTATION_RUN !== undefined;

/** The compiled module for a memory of `pages` pages, or null where the engine cannot run it. */
function moduleFor(pages: number): object | null {
  let m = rebuild ? undefined : compiled.get(pages);
  if (m === undefined) {
    try {
      const bytes = packedSimdModule(pages);
      m = WA?.validate(bytes) ? new WA.Module(bytes) : null;
    } catch {
      m = null;
    }
    compiled.set(pages, m);
  }
  return m;
}

/**
 * A shared memory for the SIMD kernel, or null where WebAssembly SIMD (or shared memory) is
 * missing — then the engine runs the JavaScript packed kernel.
 */
export function createPackedSimdMemory(nSites: number, groups: number): WasmMemory | null {
  const pages = pagesFor(nSites, groups);
  if (!WA || !moduleFor(pages)) return null;
  try {
    return new WA.Memory({ initial: pages, maximum: pages, shared: true });
  } catch {
    return null;
  }
}

/** One thread's instance of the SIMD kernel over the shared memory. */
export class PackedSimd {
  private readonly colourFn: Colour;
  private readonly sweepsFn: Sweeps;
  private readonly philoxFn: (g0: number, n: number, k: number, b: number) => void;
  private readonly words: Int32Array;
  private readonly lanes = new Int32Array(4);

  private constructor(
    private readonly st: PackedKernelState,
    memory: WasmMemory,
    exports: Record<string, unknown>,
  ) {
    this.colourFn = exports.colour as Colour;
    this.sweepsFn = exports.sweeps as Sweeps;
    this.philoxFn = exports.philox4 as (g0: number, n: number, k: number, b: number) => void;
    this.words = new Int32Array(memory.buffer);
  }

  /**
   * An instance for the packed state `st`, whose spins must be the stride-4 view of `memory`
   * at SPINS_OFFSET, or null if it cannot run here.
   */
  static create(st: PackedKernelState, memory: WasmMemory): PackedSimd | null {
    const pages = pagesFor(st.tables.nSites, st.groups);
    const m = moduleFor(pages);
    if (!m || !WA || memory.buffer.byteLength < pages * 65536) return null;
    if (st.stride !== 4 || st.spins.buffer !== memory.buffer || st.spins.byteOffset !== SPINS_OFFSET)
      throw new Error("mcmc-gpu: the SIMD kernel needs the spins in its memory");
    const inst = new WA.Instance(m, { env: { mem: memory } });
    return new PackedSimd(st, memory, inst.exports);
  }

  /** True when the current couplings need the kernel (nn = 0 flips everything: JavaScript). */
  get applies(): boolean {
    return this.st.params[0] !== 0;
  }

  /**
   * Writes the header from the state's key, lattice and params (`[mode, t4, t8]`): the level
   * table holds, for level m, bit 32 − m of T4 and of T8 as all-ones or all-zeros lanes and the
   * hash code 4·(m − 1). Call on one thread before the others run.
   */
  writeHeader(): void {
    const w = this.words;
    const st = this.st;
    w[H_K0 >> 2] = st.k0;
    w[H_K1 >> 2] = st.k1;
    w[H_LX >> 2] = st.Lx;
    w[H_LY >> 2] = st.Ly;
    w[H_INVERT >> 2] = st.params[0] > 0 ? -1 : 0;
    const t4 = st.params[1];
    const t8 = st.params[2];
    for (let m = 1; m <= 32; m++) {
      const row = (H_LEVELS + LEVEL_BYTES * (m - 1)) >> 2;
      w.fill(-((t4 >>> (32 - m)) & 1), row, row + 4);
      w.fill(-((t8 >>> (32 - m)) & 1), row + 4, row + 8);
      w.fill(4 * (m - 1), row + 8, row + 12);
    }
  }

  private base(v: number): number {
    return SPINS_OFFSET + v * this.st.tables.nSites * 16;
  }

  /** Lane masks of vector group v (lanes of missing groups get no coins). */
  private laneMasks(v: number): Int32Array {
    const st = this.st;
    for (let q = 0; q < 4; q++) {
      const g = 4 * v + q;
      const used = g === st.groups - 1 && st.lastLanes < 32 ? (1 << st.lastLanes) - 1 : -1;
      this.lanes[q] = g < st.groups ? used : 0;
    }
    return this.lanes;
  }

  /**
   * Sweeps n0 … n0 + count − 1 of groups [gFrom, gTo). A vector group is updated in place as a
   * whole, all 4 lanes, so groups of a vector group only partly in the range go to the
   * JavaScript kernel (same words; the backend's thread ranges never split a vector group).
   */
  sweeps(gFrom: number, gTo: number, n0: number, count: number): void {
    const groups = this.st.groups;
    for (let v = gFrom >> 2; 4 * v < gTo; v++) {
      const from = Math.max(gFrom, 4 * v);
      const to = Math.min(gTo, 4 * v + 4, groups);
      if (from !== 4 * v || to !== Math.min(4 * v + 4, groups)) {
        packedSweeps(this.st, from, to, n0, count);
        continue;
      }
      const l = this.laneMasks(v);
      this.sweepsFn(this.base(v), 4 * v, n0 >>> 0, count, l[0], l[1], l[2], l[3]);
    }
  }

  /** Class positions [from, to) of colour k in vector group v. */
  colour(v: number, n: number, k: number, from: number, to: number): void {
    const l = this.laneMasks(v);
    this.colourFn(this.base(v), 4 * v, n >>> 0, k, from, to, l[0], l[1], l[2], l[3]);
  }

  /** Philox(key, (g0 + q, n, k, b)) for q = 0…3 as words [lane][word] (tests). */
  philox4(g0: number, n: number, k: number, b: number): Uint32Array {
    this.philoxFn(g0, n, k, b);
    const out = new Uint32Array(16);
    const o = H_PHILOX_OUT >> 2;
    for (let q = 0; q < 4; q++) for (let w = 0; w < 4; w++) out[4 * q + w] = this.words[o + 4 * w + q];
    return out;
  }
}
