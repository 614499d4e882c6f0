// The replica-packed kernel on the CPU: one 32-bit word per site and 32-chain group, one work
// unit per group. Where the engine supports WebAssembly SIMD the groups live in the SIMD
// kernel's memory (4 groups side by side, stride 4; packed-simd.ts) and it runs the sweeps;
// otherwise, and for nn = 0, the JavaScript kernel (packed-kernel.ts) runs them on the same
// words. Measured without unpacking by measure-packed.ts.
import type { Couplings } from "@physml/lattice-core";
import { packedThresholds } from "../../acceptance.js";
import { measurePackedGroup } from "../measure-packed.js";
import {
  groupBase,
  type PackedKernelState,
  packedSweeps,
  packedUpdateColour,
  packLane,
  unpackLane,
} from "../packed-kernel.js";
import { createPackedSimdMemory, PackedSimd, packedSimdWords, SPINS_OFFSET } from "../packed-simd.js";
import { sharedBuffer } from "../shared-buffer.js";
import type { CpuIsingKernel, KernelRunner, MeasureTarget } from "./strategy.js";

// Rough single-thread cost per updated site of one 32-chain word (JavaScript) or of one word of
// a 128-chain vector (SIMD), measured on the 2-core dev machine with Node 20; only used for the
// break-even decision.
const NS_PER_SITE = { js: 60, simd: 18 } as const;

/** Chains per group: one bit each in a 32-bit word. */
const LANES = 32;

class PackedRunner implements KernelRunner {
  /** 4 for the SIMD kernel (a 128-chain vector group is one piece of shared memory), else 1. */
  readonly unitAlign: number;
  readonly nsPerSite: number;
  readonly code: KernelRunner["code"];

  constructor(
    private readonly st: PackedKernelState,
    private readonly chains: number,
    /** The WebAssembly SIMD kernel, when the memory is its and it runs here. */
    private readonly simd: PackedSimd | null,
  ) {
    this.unitAlign = simd ? 4 : 1;
    this.nsPerSite = simd ? NS_PER_SITE.simd : NS_PER_SITE.js;
    this.code = simd ? "WebAssembly SIMD" : "JavaScript";
  }

  get units(): number {
    return this.st.groups;
  }

  setCouplings(couplings: readonly Couplings[]): void {
    // All chains share one nn coupling (kernel/packed.ts).
    const nn = couplings[0].nn;
    const { t4, t8 } = packedThresholds(nn);
    this.st.params.set([nn > 0 ? 1 : nn < 0 ? -1 : 0, t4 | 0, t8 | 0]);
    this.simd?.writeHeader();
  }

  sweeps(from: number, to: number, n0: number, count: number): void {
    if (count <= 0) return;
    if (this.simd?.applies) this.simd.sweeps(from, to, n0, count);
    else packedSweeps(this.st, from, to, n0, count);
  }

  colourSlice(n: number, k: number, part: number, parts: number): void {
    const len = this.st.tables.classes[k].length;
    const from = Math.floor((len * part) / parts);
    const to = Math.floor((len * (part + 1)) / parts);
    const simd = this.simd;
    if (simd?.applies) {
      // Each thread updates its slice of colour k in every vector group.
      for (let v = 0; v < Math.ceil(this.st.groups / 4); v++) simd.colour(v, n, k, from, to);
    } else for (let g = 0; g < this.st.groups; g++) packedUpdateColour(this.st, g, n, k, from, to);
  }

  record(g: number, t: number, target: MeasureTarget): void {
    const st = this.st;
    const n = st.tables.nSites;
    const lanes = Math.min(LANES, this.chains - LANES * g);
    measurePackedGroup(
      st.tables,
      st.spins,
      groupBase(st, g),
      st.stride,
      lanes,
      LANES * g,
      t,
      target.samples,
      target.terms,
      target.features,
    );
    const conf = target.configurations;
    if (conf)
      for (let b = 0; b < lanes; b++) unpackLane(st, g, b, conf, ((LANES * g + b) * target.samples + t) * n);
  }

  writeChain(c: number, src: Int8Array): void {
    packLane(this.st, Math.floor(c / LANES), c % LANES, src, 0);
  }

  readChain(c: number, out: Int8Array, offset: number): void {
    unpackLane(this.st, Math.floor(c / LANES), c % LANES, out, offset);
  }
}

/** The replica-packed kernel of the CPU backend: nn-only couplings equal in all chains, 2 colours. */
export const PACKED_CPU_KERNEL: CpuIsingKernel = {
  kind: "packed",
  // The SIMD layout (whole 128-chain vector groups) is the larger one.
  spinBytes: (nSites, chains) => 4 * packedSimdWords(nSites, Math.ceil(chains / LANES)),
  allocate(nSites, chains, { simd }) {
    const groups = Math.ceil(chains / LANES);
    const memory = simd ? createPackedSimdMemory(nSites, groups) : null;
    return {
      spins: memory ? (memory.buffer as unknown as SharedArrayBuffer) : sharedBuffer(groups * nSites * 4),
      spinsOffset: memory ? SPINS_OFFSET : 0,
      // [mode, t4, t8] as int32 (PackedKernelState.params).
      params: sharedBuffer(12),
      simd: memory,
    };
  },
  open(desc, tables) {
    const groups = Math.ceil(desc.chains / LANES);
    const stride = desc.simd ? 4 : 1;
    const words = stride === 4 ? packedSimdWords(tables.nSites, groups) : groups * tables.nSites;
    const st: PackedKernelState = {
      tables,
      Lx: desc.Lx,
      Ly: desc.Ly,
      groups,
      lastLanes: desc.chains - LANES * (groups - 1),
      spins: new Int32Array(desc.spins, desc.spinsOffset ?? 0, words),
      stride,
      params: new Int32Array(desc.params),
      k0: desc.k0,
      k1: desc.k1,
    };
    return new PackedRunner(st, desc.chains, desc.simd ? PackedSimd.create(st, desc.simd) : null);
  },
};
