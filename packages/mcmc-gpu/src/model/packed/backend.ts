// The CPU side of a packed model sampler: owns the `[group][site]` spin words (1 bit per spin
// per chain) and runs the packed rule group by group. Measurements unpack 32 chains at a time
// into a scratch of 32·N bytes, so no full byte-per-spin copy exists except for `spins()`.
import { type Model, modelTables } from "@physml/lattice-core";
import { initialSpins } from "../../webgpu/initial.js";
import type { ModelBackend } from "../model-backend.js";
import type { IsingPacked, PackedChainState } from "../rules/ising-packed.js";

/** Packs `[chain][site]` ±1 rows (chains 32g … 32g + rows − 1) into group g of `words`. */
export function packGroup(words: Int32Array, N: number, g: number, rows: Int8Array, count: number): void {
  const off = g * N;
  for (let i = 0; i < N; i++) {
    let x = 0;
    for (let b = 0; b < count; b++) if (rows[b * N + i] > 0) x |= 1 << b;
    words[off + i] = x;
  }
}

/** Unpacks lanes 0 … count−1 of group g into `[lane][site]` ±1 rows. */
export function unpackGroup(words: Int32Array, N: number, g: number, out: Int8Array, count: number): void {
  const off = g * N;
  for (let b = 0; b < count; b++)
    for (let i = 0; i < N; i++) out[b * N + i] = ((words[off + i] >>> b) & 1) * 2 - 1;
}

export class PackedCpuBackend implements ModelBackend {
  readonly name = "cpu";
  readonly adapter = "cpu (1 thread, replica-packed)";
  readonly state: PackedChainState;
  private readonly N: number;
  private readonly scratch: Int8Array;

  constructor(
    model: Model,
    chains: number,
    seed: number,
    init: "cold" | "hot",
    keys: readonly [number, number],
    private readonly rule: IsingPacked,
  ) {
    const N = modelTables(model).lattice.nSites;
    this.N = N;
    const groups = Math.ceil(chains / 32);
    const words = new Int32Array(groups * N);
    this.scratch = new Int8Array(32 * N);
    for (let g = 0; g < groups; g++) {
      const count = Math.min(32, chains - 32 * g);
      packGroup(words, N, g, initialSpins(init, count, N, seed, 32 * g), count);
    }
    this.state = { chains, groups, words, k0: keys[0], k1: keys[1] };
  }

  async sweep(n0: number, count: number): Promise<void> {
    for (let g = 0; g < this.state.groups; g++)
      for (let n = n0; n < n0 + count; n++) this.rule.sweep(this.state, g, n >>> 0);
  }

  async spins(): Promise<Int8Array> {
    const { chains, groups, words } = this.state;
    const out = new Int8Array(chains * this.N);
    for (let g = 0; g < groups; g++) {
      const count = Math.min(32, chains - 32 * g);
      unpackGroup(words, this.N, g, this.scratch, count);
      out.set(this.scratch.subarray(0, count * this.N), 32 * g * this.N);
    }
    return out;
  }

  async eachChain(f: (spins: Int8Array, offset: number, chain: number) => void): Promise<void> {
    const { chains, groups, words } = this.state;
    for (let g = 0; g < groups; g++) {
      const count = Math.min(32, chains - 32 * g);
      unpackGroup(words, this.N, g, this.scratch, count);
      for (let b = 0; b < count; b++) f(this.scratch, b * this.N, 32 * g + b);
    }
  }

  setModel(model: Model): void {
    this.rule.setModel(model);
  }

  async dispose(): Promise<void> {}
}
