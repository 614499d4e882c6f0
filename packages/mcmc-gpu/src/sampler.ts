// The sampler front-end over any backend: what is backend independent (persistent couplings,
// replica exchange, result helpers, checkpoints). Creating one, with its choice of backend, is
// create-sampler.ts (Node) or gpu-sampler.ts (a given WebGPU device, also in a browser).

import {
  type Couplings,
  checkInt,
  N_TERMS,
  PhysmlInputError,
  type SquareLattice,
} from "@physml/lattice-core";
import type { BackendInit, KernelKind, RawMeasurements, SamplerBackend } from "./backend.js";
import { N_FEATURES } from "./cpu/measure.js";
import { Measurements } from "./measurements.js";
import { checkCouplingsFit, couplingsPerChain, type ResolvedOptions } from "./options.js";
import { philoxKey } from "./rng/philox.js";
import { Tempering } from "./tempering.js";

/** Options of {@link Sampler.measure}. */
export interface MeasureOptions {
  /** Sweeps to run (≥ 1). */
  sweeps: number;
  /** Measure after every `every`-th sweep (default 1); samples = ⌊sweeps / every⌋. */
  every?: number;
  /** Also return every measured configuration (`[chain][sample][site]`). Default false. */
  configurations?: boolean;
}

/**
 * Many Markov chains of an Ising-type model on one lattice, advanced by checkerboard
 * Metropolis on the CPU or a GPU (bit-identical for the same seed). Create with
 * `createSampler` (Node: CPU or WebGPU) or `createGpuSampler` (a given WebGPU device).
 */
export class Sampler {
  readonly lattice: SquareLattice;
  readonly chains: number;
  readonly seed: number;
  readonly kernel: KernelKind;
  readonly colours: 2 | 4;
  private slotCouplings: Couplings[];
  private readonly tempering: Tempering | null;
  private untilExchange: number;
  private disposed = false;

  /** @internal use `createSampler` or `createGpuSampler`. */
  constructor(
    private readonly impl: SamplerBackend,
    opts: ResolvedOptions,
  ) {
    this.lattice = opts.lattice;
    this.chains = opts.chains;
    this.seed = opts.seed;
    this.kernel = opts.kernel;
    this.colours = opts.colours;
    this.slotCouplings = opts.couplings;
    const [k0, k1] = philoxKey(opts.seed);
    this.tempering = opts.temperingEvery > 0 ? new Tempering(opts.chains, opts.temperingEvery, k0, k1) : null;
    this.untilExchange = opts.temperingEvery;
  }

  /** `cpu` or `webgpu`. */
  get backend(): "cpu" | "webgpu" {
    return this.impl.name;
  }

  /** The CPU model or GPU adapter that runs the chains. */
  get adapter(): string {
    return this.impl.adapter;
  }

  /** Sweeps done so far (mod 2^32; the sweep counter of the random stream). */
  get sweepCount(): number {
    return this.impl.sweepCount;
  }

  /** Current couplings per chain (per slot with tempering); copies. */
  get couplings(): Couplings[] {
    return this.slotCouplings.map((c) => ({ ...c }));
  }

  /** Replica-exchange statistics per slot pair (s, s+1), or null without tempering. */
  get exchangeStats(): { proposed: Float64Array; accepted: Float64Array; events: number } | null {
    if (!this.tempering) return null;
    return {
      proposed: this.tempering.proposed.slice(),
      accepted: this.tempering.accepted.slice(),
      events: this.tempering.events,
    };
  }

  private live(): void {
    if (this.disposed)
      throw new PhysmlInputError("sampler", "a sampler that has not been disposed", "disposed");
  }

  /** Advances every chain by `n` sweeps. */
  async sweep(n: number): Promise<void> {
    this.live();
    checkInt("sweeps", n, 0, 2 ** 32 - 1);
    if (!this.tempering) {
      if (n > 0) await this.impl.sweep(n);
      return;
    }
    let left = n;
    while (left > 0) {
      const chunk = Math.min(left, this.untilExchange);
      left -= chunk;
      await this.advanceTempered(chunk, false);
    }
  }

  /**
   * Runs `chunk` sweeps (never past the next exchange) and exchanges if one is due. Returns
   * the measurement of the chunk's last sweep when asked or needed, in chain order.
   */
  private async advanceTempered(
    chunk: number,
    wantSample: boolean,
    conf = false,
  ): Promise<RawMeasurements | null> {
    const t = this.tempering as Tempering;
    this.untilExchange -= chunk;
    const due = this.untilExchange === 0;
    if (!due && !wantSample) {
      await this.impl.sweep(chunk);
      return null;
    }
    const m = await this.impl.measure(chunk, chunk, conf);
    if (due) {
      this.untilExchange = t.every;
      if (t.exchange(this.slotCouplings, m.terms))
        this.impl.setCouplings(t.chainCouplings(this.slotCouplings));
    }
    return m;
  }

  /** Runs `sweeps` sweeps and returns per-chain series measured after every `every`-th. */
  async measure(opts: MeasureOptions): Promise<Measurements> {
    this.live();
    if (opts === null || typeof opts !== "object")
      throw new PhysmlInputError("measure options", "{ sweeps, every?, configurations? }", typeof opts);
    const sweeps = checkInt("sweeps", opts.sweeps, 1, 2 ** 32 - 1);
    const every = checkInt("every", opts.every ?? 1, 1, sweeps);
    const conf = opts.configurations ?? false;
    if (typeof conf !== "boolean") throw new PhysmlInputError("configurations", "a boolean", typeof conf);
    const samples = Math.floor(sweeps / every);
    const nSites = this.lattice.nSites;
    if (conf && this.chains * samples * nSites > 2 ** 31) {
      throw new PhysmlInputError(
        "configurations",
        `at most 2^31 stored spins (chains·samples·N)`,
        this.chains * samples * nSites,
      );
    }
    const couplingsDuring = this.couplings;
    if (!this.tempering) {
      const raw = await this.impl.measure(sweeps, every, conf);
      return new Measurements({ ...raw, nSites, couplings: couplingsDuring });
    }
    // Tempering: advance in chunks that stop at every measurement and exchange point, and
    // file each measurement under the slot its chain carried at that moment.
    const terms = new Float64Array(this.chains * samples * N_TERMS);
    const features = new Float64Array(this.chains * samples * N_FEATURES);
    const configurations = conf ? new Int8Array(this.chains * samples * nSites) : undefined;
    const t = this.tempering;
    let pos = 0;
    let sample = 0;
    while (pos < sweeps) {
      const nextMeasure = sample < samples ? (sample + 1) * every : Number.POSITIVE_INFINITY;
      const next = Math.min(nextMeasure, pos + this.untilExchange, sweeps);
      const isMeasure = next === nextMeasure;
      // The slot assignment before this chunk's exchange is the one the measurement belongs to.
      const slotOfChain = t.slotOfChain.slice();
      const m = await this.advanceTempered(next - pos, isMeasure, conf && isMeasure);
      if (isMeasure && m) {
        for (let c = 0; c < this.chains; c++) {
          const row = slotOfChain[c] * samples + sample;
          terms.set(m.terms.subarray(N_TERMS * c, N_TERMS * (c + 1)), N_TERMS * row);
          features.set(m.features.subarray(N_FEATURES * c, N_FEATURES * (c + 1)), N_FEATURES * row);
          if (configurations && m.configurations) {
            configurations.set(m.configurations.subarray(c * nSites, (c + 1) * nSites), row * nSites);
          }
        }
        sample++;
      }
      pos = next;
    }
    return new Measurements({
      chains: this.chains,
      samples,
      nSites,
      terms,
      features,
      configurations,
      couplings: couplingsDuring,
    });
  }

  /**
   * Replaces the couplings (one for all chains or one per chain/slot); the chains keep their
   * spins, so a learner can continue persistent chains at new couplings.
   */
  async setCouplings(spec: Partial<Couplings> | readonly Partial<Couplings>[]): Promise<void> {
    this.live();
    const cs = couplingsPerChain(spec, this.chains);
    checkCouplingsFit(cs, this.kernel, this.colours, "couplings");
    this.slotCouplings = cs;
    this.impl.setCouplings(this.tempering ? this.tempering.chainCouplings(cs) : cs);
  }

  /** Current configurations `[chain][site]` (slot order with tempering), ±1. */
  async snapshot(): Promise<Int8Array> {
    this.live();
    const raw = await this.impl.snapshot();
    if (!this.tempering) return raw;
    const n = this.lattice.nSites;
    const out = new Int8Array(raw.length);
    for (let s = 0; s < this.chains; s++) {
      const c = this.tempering.chainOfSlot[s];
      out.set(raw.subarray(c * n, (c + 1) * n), s * n);
    }
    return out;
  }

  /** Writes {@link snapshot} as an int8 `.npy` file of shape [chains, Ly, Lx] (Node only). */
  async writeSnapshotNpy(path: string): Promise<void> {
    // lattice-core's browser entry has no file functions: there the method refuses, naming why.
    const { writeNpy } = (await import("@physml/lattice-core")) as unknown as {
      writeNpy?: (path: string, data: Int8Array, shape: number[]) => Promise<void>;
    };
    if (!writeNpy) {
      throw new PhysmlInputError(
        "path",
        "a file path under Node (a browser has no file system: use snapshot() and encodeNpy)",
        path,
      );
    }
    await writeNpy(path, await this.snapshot(), [this.chains, this.lattice.Ly, this.lattice.Lx]);
  }

  /**
   * Restores configurations `[chain][site]` (slot order) and the sweep counter, e.g. from a
   * snapshot; with tempering the slot assignment restarts from the identity.
   */
  async restore(spins: Int8Array, sweepCount: number = this.sweepCount): Promise<void> {
    this.live();
    const n = this.lattice.nSites;
    if (!(spins instanceof Int8Array) || spins.length !== this.chains * n) {
      throw new PhysmlInputError(
        "spins",
        `an Int8Array of chains·N = ${this.chains * n} values ±1`,
        spins?.length,
      );
    }
    for (let i = 0; i < spins.length; i++) {
      if (spins[i] !== 1 && spins[i] !== -1) throw new PhysmlInputError(`spins[${i}]`, "+1 or -1", spins[i]);
    }
    checkInt("sweepCount", sweepCount, 0, 2 ** 32 - 1);
    if (this.tempering) {
      this.tempering.reset();
      this.impl.setCouplings(this.slotCouplings);
    }
    await this.impl.restore(spins, sweepCount);
  }

  /** Frees workers and GPU buffers. The sampler cannot be used afterwards. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.impl.dispose();
  }
}

/** The backend's initial state for validated options (couplings copied). */
export function backendInit(opts: ResolvedOptions): BackendInit {
  return {
    lattice: opts.lattice,
    chains: opts.chains,
    seed: opts.seed,
    kernel: opts.kernel,
    colours: opts.colours,
    couplings: opts.couplings.map((c) => ({ ...c })),
    init: opts.init,
  };
}
