// Series returned by `ModelSampler.measure`: rows `[chain][sample][width]` in the layout of
// measure.ts, with helpers for the quantities users ask for.
import { energyFromTermSums, type Model, PhysmlInputError } from "@physml/lattice-core";
import { type MeasureLayout, measureLayout } from "./measure.js";

export class ModelMeasurements {
  readonly layout: MeasureLayout;
  readonly nSites: number;

  constructor(
    readonly model: Model,
    readonly chains: number,
    readonly samples: number,
    nSites: number,
    /** `[chain][sample][layout.width]`. */
    readonly rows: Float64Array,
  ) {
    this.layout = measureLayout(model);
    this.nSites = nSites;
  }

  private series(chain: number, f: (row: number) => number): Float64Array {
    if (!Number.isInteger(chain) || chain < 0 || chain >= this.chains) {
      throw new PhysmlInputError("chain", `an integer in [0, ${this.chains - 1}]`, chain);
    }
    const out = new Float64Array(this.samples);
    for (let t = 0; t < this.samples; t++) out[t] = f((chain * this.samples + t) * this.layout.width);
    return out;
  }

  /** Series of S_k (term index or name) of one chain. */
  term(k: number | string, chain: number): Float64Array {
    const kk = typeof k === "string" ? this.model.terms.findIndex((t) => t.name === k) : k;
    if (!Number.isInteger(kk) || kk < 0 || kk >= this.model.terms.length) {
      throw new PhysmlInputError("term", `0…${this.model.terms.length - 1} or a term name`, k);
    }
    return this.series(chain, (r) => this.rows[r + kk]);
  }

  /** H/N per sample (β absorbed in the couplings). */
  reducedEnergyPerSite(chain: number): Float64Array {
    return this.series(chain, (r) => energyFromTermSums(this.model, this.rows, r) / this.nSites);
  }

  /** |M|/N per sample (the length of the magnetisation vector for O(n) spins). */
  magnetizationPerSite(chain: number): Float64Array {
    const { magnetization: m, components } = this.layout;
    return this.series(chain, (r) => {
      let s = 0;
      for (let a = 0; a < components; a++) s += this.rows[r + m + a] ** 2;
      return Math.sqrt(s) / this.nSites;
    });
  }

  /** Component a of M/N per sample. */
  magnetizationComponent(a: number, chain: number): Float64Array {
    if (!Number.isInteger(a) || a < 0 || a >= this.layout.components) {
      throw new PhysmlInputError("component", `an integer in [0, ${this.layout.components - 1}]`, a);
    }
    return this.series(chain, (r) => this.rows[r + this.layout.magnetization + a] / this.nSites);
  }

  /**
   * Per-sample estimator of the reduced helicity modulus βΥ (twist in the (s⁰, s¹) plane along
   * x): (e_x − j_x²)/N, whose mean is βΥ = (⟨e_x⟩ − ⟨j_x²⟩)/N (⟨j_x⟩ = 0 by symmetry). The BKT
   * criterion of the 2D XY model is βΥ = 2/π. O(n) models only.
   */
  helicityModulus(chain: number): Float64Array {
    const { helicityE: e, helicityJ: j } = this.layout;
    if (e < 0) throw new PhysmlInputError("helicityModulus", "an O(n) model", "ising");
    return this.series(chain, (r) => (this.rows[r + e] - this.rows[r + j] ** 2) / this.nSites);
  }

  /** (vortices + antivortices) per site; XY on the square lattice only. */
  vortexDensity(chain: number): Float64Array {
    const v = this.layout.vortices;
    if (v < 0) throw new PhysmlInputError("vortexDensity", "an XY model on a square lattice", "other model");
    return this.series(chain, (r) => this.rows[r + v] / this.nSites);
  }
}
