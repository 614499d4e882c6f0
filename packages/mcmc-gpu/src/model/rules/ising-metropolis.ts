// Single-site Metropolis with integer thresholds for any Ising model description. Sites are
// updated colour class by colour class (lattice-core's proper colouring of the stencil); site
// j of class k in chain c at sweep n uses word (j mod 4) of Philox(key, (c, n, k, ⌊j/4⌋)) and
// flips iff word < T[index] or T = ALWAYS (SPEC.md's int-kernel stream and rule). The WGSL
// twin (webgpu/ising-model-wgsl.ts) is generated from the same tables, so both agree bit for bit.
import { ALWAYS, isingThresholds, type Model, modelTables, PhysmlInputError } from "@physml/lattice-core";
import { fastPhilox } from "../../rng/philox-wasm.js";
import type { ChainState, ColourRule } from "../update-rule.js";

/** The thresholds of every chain's ΔE table, chain-major (one model for all chains). */
export function isingModelThresholds(model: Model, chains: number): Uint32Array {
  const one = isingThresholds(model);
  const out = new Uint32Array(chains * one.length);
  for (let c = 0; c < chains; c++) out.set(one, c * one.length);
  return out;
}

/** Throws unless the single-site stencil is exact on the model's lattice. */
export function checkStencil(model: Model): void {
  const d = modelTables(model).degenerate;
  if (d) throw new PhysmlInputError("model.lattice", "a lattice on which no term visits a site twice", d);
}

/**
 * Throws unless every term with a nonzero coupling in `next` was active when the colouring
 * was derived (a newly switched-on term could join two sites of one colour).
 */
export function checkColouringFits(colouredTerms: readonly boolean[], next: Model): void {
  const tb = modelTables(next);
  next.terms.forEach((t, k) => {
    // Fields (1-site shapes only) join no two sites.
    if (t.coupling !== 0 && !colouredTerms[k] && tb.terms[k].positions.length > 0) {
      throw new PhysmlInputError(
        `couplings[${k}]`,
        `0 (term ${t.name} was off when the sampler was created; create it with a nonzero coupling)`,
        t.coupling,
      );
    }
  });
}

export class IsingMetropolis implements ColourRule<Int8Array> {
  readonly name = "ising-metropolis";
  /** One Philox call serves 4 sites of a class. */
  readonly grain = 4;
  private thresholds: Uint32Array;
  /** The colour classes, fixed at creation (SPEC.md: the colouring never changes). */
  readonly classes: readonly Int32Array[];
  private readonly colouredTerms: readonly boolean[];
  private readonly stencil: ReturnType<typeof flatStencil>;
  private readonly local: Int8Array;

  constructor(private model: Model) {
    checkStencil(model);
    this.stencil = flatStencil(model);
    this.local = new Int8Array(modelTables(model).neighbourOffsets.length);
    this.thresholds = isingThresholds(model) as Uint32Array;
    const tb = modelTables(model);
    this.classes = tb.colouring.classes;
    this.colouredTerms = tb.colouredTerms;
  }

  setModel(model: Model): void {
    checkColouringFits(this.colouredTerms, model);
    this.model = model;
    this.thresholds = isingThresholds(model) as Uint32Array;
  }

  sweep(state: ChainState<Int8Array>, c: number, n: number): void {
    for (let k = 0; k < this.classes.length; k++)
      this.updateColour(state, c, n, k, 0, this.classes[k].length);
  }

  endSweep(): void {}

  updateColour(
    state: ChainState<Int8Array>,
    c: number,
    n: number,
    k: number,
    from: number,
    to: number,
  ): number {
    const tb = modelTables(this.model);
    const N = tb.lattice.nSites;
    const nNb = tb.neighbourOffsets.length;
    const nb = tb.neighbours;
    // On a twisted lattice a neighbour across a twisted boundary enters with its sign.
    const sg = tb.neighbourSigns;
    const { termPositions, positionEnd, others, half, stride } = this.stencil;
    const nT = stride.length;
    const sp = state.spins;
    const base = c * N;
    const th = this.thresholds;
    const rng = fastPhilox;
    const w = rng.words;
    rng.setKey(state.k0, state.k1);
    const local = this.local;
    const cls = this.classes[k];
    for (let j = from; j < to; j++) {
      if ((j & 3) === 0 || j === from) rng.philox(c, n, k, j >> 2);
      const i = cls[j];
      const s = sp[base + i];
      // The spins the stencil reads, then the products of each term's positions.
      if (sg === null) for (let m = 0; m < nNb; m++) local[m] = sp[base + nb[i * nNb + m]];
      else for (let m = 0; m < nNb; m++) local[m] = sp[base + nb[i * nNb + m]] * sg[i * nNb + m];
      let idx = s > 0 ? half : 0;
      let p = 0;
      let o = 0;
      for (let t = 0; t < nT; t++) {
        let v = 0;
        const pEnd = termPositions[t + 1];
        for (; p < pEnd; p++) {
          let prod = 1;
          for (const oEnd = positionEnd[p]; o < oEnd; o++) prod *= local[others[o]];
          v += prod;
        }
        idx += stride[t] * ((v + termPositions[t + 1] - termPositions[t]) >> 1);
      }
      const T = th[idx];
      if (w[j & 3] < T || T === ALWAYS) sp[base + i] = -s;
    }
    return 0;
  }
}

/** The stencil of a model's tables in flat arrays (term t owns positions termPositions[t…t+1)). */
function flatStencil(model: Model) {
  const tb = modelTables(model);
  const termPositions = [0];
  const positionEnd: number[] = [];
  const others: number[] = [];
  for (const t of tb.terms) {
    for (const pos of t.positions) {
      others.push(...pos.others);
      positionEnd.push(others.length);
    }
    termPositions.push(positionEnd.length);
  }
  return {
    termPositions: Int32Array.from(termPositions),
    positionEnd: Int32Array.from(positionEnd),
    others: Int32Array.from(others),
    half: tb.half,
    stride: Int32Array.from(tb.stride),
  };
}
