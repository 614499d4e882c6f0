// Per-chain measurement series returned by `Sampler.measure`, with small helpers for the
// quantities users ask for most.
import {
  type Couplings,
  couplingsDot,
  N_TERMS,
  PhysmlInputError,
  TERM_NAMES,
  type TermName,
} from "@physml/lattice-core";
import { N_FEATURES } from "./cpu/measure.js";

/** Index of each term in a term-sum vector (the order of lattice-core's `TERM_NAMES`). */
export const TERM_INDEX = Object.fromEntries(TERM_NAMES.map((name, k) => [name, k])) as Readonly<
  Record<TermName, number>
>;

/**
 * The series of one `measure` call. Rows are per chain (per coupling slot with tempering):
 * `terms[(chain·samples + t)·N_TERMS + k]` = [S_nn, S_plaq, S_nnn, M] (exact integers) and
 * `features[(chain·samples + t)·13 + a]` = the 13 standard link-shape averages ψ_a.
 */
export class Measurements {
  readonly chains: number;
  readonly samples: number;
  readonly nSites: number;
  readonly terms: Float64Array;
  readonly features: Float64Array;
  /** `[chain][sample][site]` ±1, only when asked for. */
  readonly configurations: Int8Array | undefined;
  /** The couplings of each chain (slot) during the run. */
  readonly couplings: readonly Couplings[];

  constructor(args: {
    chains: number;
    samples: number;
    nSites: number;
    terms: Float64Array;
    features: Float64Array;
    configurations?: Int8Array;
    couplings: readonly Couplings[];
  }) {
    this.chains = args.chains;
    this.samples = args.samples;
    this.nSites = args.nSites;
    this.terms = args.terms;
    this.features = args.features;
    this.configurations = args.configurations;
    this.couplings = args.couplings;
  }

  private chainIndex(chain: number): number {
    if (!Number.isInteger(chain) || chain < 0 || chain >= this.chains) {
      throw new PhysmlInputError("chain", `an integer in [0, ${this.chains - 1}]`, chain);
    }
    return chain;
  }

  /** Series of term k (0 S_nn, 1 S_plaq, 2 S_nnn, 3 M, or its name) of one chain. */
  term(k: number | keyof typeof TERM_INDEX, chain: number): Float64Array {
    const kk = typeof k === "string" ? TERM_INDEX[k] : k;
    if (!(Number.isInteger(kk) && kk >= 0 && kk < N_TERMS)) {
      throw new PhysmlInputError("term", `0…${N_TERMS - 1} or ${TERM_NAMES.join("|")}`, k);
    }
    const c = this.chainIndex(chain);
    const out = new Float64Array(this.samples);
    for (let t = 0; t < this.samples; t++) out[t] = this.terms[(c * this.samples + t) * N_TERMS + kk];
    return out;
  }

  /** Series of standard feature a (0…12, order of STANDARD_SHAPES) of one chain. */
  feature(a: number, chain: number): Float64Array {
    if (!Number.isInteger(a) || a < 0 || a >= N_FEATURES) {
      throw new PhysmlInputError("feature", `an integer in [0, ${N_FEATURES - 1}]`, a);
    }
    const c = this.chainIndex(chain);
    const out = new Float64Array(this.samples);
    for (let t = 0; t < this.samples; t++) out[t] = this.features[(c * this.samples + t) * N_FEATURES + a];
    return out;
  }

  /** H/N per sample (β absorbed in the couplings, as in lattice-core's `isingEnergy`). */
  reducedEnergyPerSite(chain: number): Float64Array {
    const c = this.chainIndex(chain);
    const k = this.couplings[c];
    const out = new Float64Array(this.samples);
    for (let t = 0; t < this.samples; t++) {
      out[t] = -couplingsDot(k, this.terms, (c * this.samples + t) * N_TERMS) / this.nSites;
    }
    return out;
  }

  /** −S_nn/N per sample: the nearest-neighbour energy per site in units of the coupling. */
  nnEnergyPerSite(chain: number): Float64Array {
    return this.term(TERM_INDEX.nn, chain).map((v) => -v / this.nSites);
  }

  /** m = M/N per sample. */
  magnetizationPerSite(chain: number): Float64Array {
    return this.term(TERM_INDEX.field, chain).map((v) => v / this.nSites);
  }

  /** |m| per sample. */
  absMagnetizationPerSite(chain: number): Float64Array {
    return this.term(TERM_INDEX.field, chain).map((v) => Math.abs(v) / this.nSites);
  }

  /** Configuration of one chain at sample t (a view), when configurations were recorded. */
  configuration(chain: number, t: number): Int8Array {
    if (!this.configurations) {
      throw new PhysmlInputError("configurations", "measure({ configurations: true }) first", "not recorded");
    }
    const c = this.chainIndex(chain);
    const o = (c * this.samples + t) * this.nSites;
    return this.configurations.subarray(o, o + this.nSites);
  }
}
