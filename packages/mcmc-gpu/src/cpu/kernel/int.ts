// The int kernel on the CPU: Int8 spins `[chain][site]`, per-chain threshold tables in the
// `acceptBelow` form (int-kernel.ts), one work unit per chain, measured by measure.ts.
import { type Couplings, N_TERMS, type SquareLattice } from "@physml/lattice-core";
import { THRESHOLDS_PER_CHAIN, thresholdTables } from "../../acceptance.js";
import { type IntKernelState, intBlocks, intSweeps, intUpdateColour, toAcceptBelow } from "../int-kernel.js";
import { measureSpins, N_FEATURES } from "../measure.js";
import { sharedBuffer } from "../shared-buffer.js";
import type { CpuIsingKernel, KernelRunner, MeasureTarget } from "./strategy.js";

// Rough single-thread cost per updated chain-site, measured on the 2-core dev machine with
// Node 20; only used for the break-even decision.
const NS_PER_SITE = 15;

class IntRunner implements KernelRunner {
  readonly unitAlign = 1;
  readonly nsPerSite = NS_PER_SITE;
  readonly code = "JavaScript";

  constructor(
    private readonly st: IntKernelState,
    readonly units: number,
  ) {}

  setCouplings(couplings: readonly Couplings[], lattice: SquareLattice): void {
    toAcceptBelow(thresholdTables(couplings, lattice), this.st.acceptBelow);
  }

  sweeps(from: number, to: number, n0: number, count: number): void {
    intSweeps(this.st, from, to, n0, count);
  }

  colourSlice(n: number, k: number, part: number, parts: number): void {
    const blocks = intBlocks(this.st, k);
    const from = Math.floor((blocks * part) / parts);
    const to = Math.floor((blocks * (part + 1)) / parts);
    for (let c = 0; c < this.units; c++) intUpdateColour(this.st, c, n, k, from, to);
  }

  record(c: number, t: number, target: MeasureTarget): void {
    const n = this.st.tables.nSites;
    const row = c * target.samples + t;
    measureSpins(
      this.st.tables,
      this.st.spins,
      c * n,
      target.terms,
      row * N_TERMS,
      target.features,
      row * N_FEATURES,
    );
    if (target.configurations) target.configurations.set(this.st.spins.subarray(c * n, (c + 1) * n), row * n);
  }

  writeChain(c: number, src: Int8Array): void {
    this.st.spins.set(src, c * this.st.tables.nSites);
  }

  readChain(c: number, out: Int8Array, offset: number): void {
    const n = this.st.tables.nSites;
    out.set(this.st.spins.subarray(c * n, (c + 1) * n), offset);
  }
}

/** The int kernel of the CPU backend: any couplings per chain, 2 or 4 colours. */
export const INT_CPU_KERNEL: CpuIsingKernel = {
  kind: "int",
  spinBytes: (nSites, chains) => chains * nSites,
  allocate: (nSites, chains) => ({
    spins: sharedBuffer(chains * nSites),
    params: sharedBuffer(chains * THRESHOLDS_PER_CHAIN * 8),
  }),
  open(desc, tables) {
    const st: IntKernelState = {
      tables,
      Lx: desc.Lx,
      Ly: desc.Ly,
      colours: desc.colours,
      spins: new Int8Array(desc.spins),
      acceptBelow: new Float64Array(desc.params),
      k0: desc.k0,
      k1: desc.k1,
    };
    return new IntRunner(st, desc.chains);
  },
};
