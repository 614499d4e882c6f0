// Replica-packed single-site Metropolis for any Ising description the bitwise circuit can
// express (packed/circuit.ts): bit b of the u32 word at site i of group g is the spin of chain
// 32g + b (set = +1), one bit per spin per chain. A site update of a group runs the derived
// circuit (XORs for the instances, ripple counters per term, a walk over the count vectors
// present in the word) and flips at once the lanes with ΔE ≤ 0; the lanes of each positive-ΔE
// class draw Bernoulli masks bit-serially. Random stream (SPEC.md "Replica-packed kernel",
// generalised to any colouring and any number of classes): class position j of colour k in
// group g at sweep n uses block keys Philox(key, (g, n, k, ⌊j/4⌋)) and level words
// packedWord(keys, 4·(m − 1) + (j mod 4)). With lattice-core's (x+y) mod 2 colouring of the nn
// model this is the square packed kernel's stream and rule, so both agree bit for bit there.
// The WGSL twin (webgpu/ising-packed-wgsl.ts) is generated from the same circuit, bit-identical.
import { type Model, modelTables } from "@physml/lattice-core";
import { fastPhilox } from "../../rng/philox-wasm.js";
import { acceptClasses } from "../packed/accept.js";
import { FLIP_NOW, type PackedCircuit, packedCircuit } from "../packed/circuit.js";
import { type ClassUpdate, compileCircuit } from "../packed/compile.js";
import { checkColouringFits } from "./ising-metropolis.js";

/** The spins of a packed sampler: 32 chains per u32 word. */
export interface PackedChainState {
  readonly chains: number;
  /** ⌈chains / 32⌉ groups; the last may be partial (its unused lanes are never reported). */
  readonly groups: number;
  /** `[group][site]` words: bit b of `words[g·N + i]` is site i of chain 32g + b (set = +1). */
  readonly words: Int32Array;
  /** Philox key of the seed (SPEC.md). */
  readonly k0: number;
  readonly k1: number;
}

export class IsingPacked {
  readonly name = "ising-packed";
  /** The colour classes, fixed at creation (SPEC.md: the colouring never changes). */
  readonly classes: readonly Int32Array[];
  private readonly colouredTerms: readonly boolean[];
  private circuit: PackedCircuit;
  private model: Model;
  /** The circuit compiled to JavaScript (null: interpreted, too many count vectors or asked). */
  private compiled: ClassUpdate | null = null;
  /** Per (site, neighbour): 0, or −1 when a twisted boundary complements the neighbour. */
  private readonly twist: Int32Array | null;
  // Per-site scratch, sized for the circuit.
  private local: Int32Array;
  private cnt = new Int32Array(0);
  private cntStart = new Int32Array(0);
  private cstride = new Int32Array(0);
  private rem = new Int32Array(0);
  private dig = new Int32Array(0);
  private base = new Int32Array(0);
  private classMask = new Int32Array(0);
  private touched = new Int32Array(0);
  private coinMask = new Int32Array(0);
  private coinT = new Uint32Array(0);

  /** `compile: false` interprets the circuit (the reference the compiled code is tested against). */
  constructor(
    model: Model,
    private readonly compile = true,
  ) {
    this.model = model;
    this.circuit = packedCircuit(model);
    const tb = modelTables(model);
    this.twist = tb.neighbourSigns ? Int32Array.from(tb.neighbourSigns, (v) => v >> 1) : null;
    this.classes = tb.colouring.classes;
    this.colouredTerms = tb.colouredTerms;
    this.local = new Int32Array(this.circuit.nNb);
    this.size();
  }

  /** The derived circuit (for tests and a future WGSL generator). */
  get derived(): PackedCircuit {
    return this.circuit;
  }

  setModel(model: Model): void {
    checkColouringFits(this.colouredTerms, model);
    this.model = model;
    this.circuit = packedCircuit(model);
    this.size();
  }

  private size(): void {
    const c = this.circuit;
    const labels = Array.from(c.terms, (t) => this.model.terms[t].name);
    this.compiled = this.compile ? compileCircuit(c, labels, this.twist !== null) : null;
    const nA = c.terms.length;
    this.cntStart = new Int32Array(nA + 1);
    for (let a = 0; a < nA; a++) this.cntStart[a + 1] = this.cntStart[a] + c.bits[a];
    this.cnt = new Int32Array(this.cntStart[nA]);
    this.cstride = new Int32Array(nA);
    for (let a = nA - 1, s = 1; a >= 0; a--) {
      this.cstride[a] = s;
      s *= c.radix[a];
    }
    this.rem = new Int32Array(nA);
    this.dig = new Int32Array(nA);
    this.base = new Int32Array(nA);
    const nC = c.thresholds.length;
    this.classMask = new Int32Array(nC);
    this.touched = new Int32Array(nC);
    this.coinMask = new Int32Array(nC);
    this.coinT = new Uint32Array(nC);
  }

  /** Applies sweep `n` to group `g` of `state` (every colour class in order). */
  sweep(state: PackedChainState, g: number, n: number): void {
    const tb = modelTables(this.model);
    const N = tb.lattice.nSites;
    const nb = tb.neighbours;
    const sg = tb.neighbourSigns;
    const c = this.circuit;
    const { nNb, fields, bits, radix, posStart, othersStart, others, parity, comboClass, thresholds } = c;
    const nA = c.terms.length;
    const last = nA - 1;
    const { local, cnt, cntStart, cstride, rem, dig, base, classMask, touched, coinMask, coinT } = this;
    const w = state.words;
    const off = g * N;
    const tail = state.chains - 32 * g;
    // Unused lanes of a partial last group never need a coin.
    const lanes = tail >= 32 ? -1 : (1 << tail) - 1;
    const rng = fastPhilox;
    const iw = rng.iwords;
    rng.setKey(state.k0, state.k1);
    const compiled = this.compiled;
    if (compiled) {
      for (let k = 0; k < this.classes.length; k++)
        compiled(w, off, this.classes[k], nb, this.twist, lanes, rng, g, n, k);
      return;
    }
    for (let k = 0; k < this.classes.length; k++) {
      const cls = this.classes[k];
      let block = -1;
      let r0 = 0;
      let r1 = 0;
      let r2 = 0;
      for (let j = 0; j < cls.length; j++) {
        const i = cls[j];
        const s = w[off + i];
        if (nA === 0) {
          w[off + i] = ~s; // every coupling 0: ΔE = 0, every flip is accepted
          continue;
        }
        const nbo = i * nNb;
        // On a twisted lattice a neighbour across a twisted boundary enters complemented.
        if (sg === null) for (let m = 0; m < nNb; m++) local[m] = w[off + nb[nbo + m]];
        else for (let m = 0; m < nNb; m++) local[m] = w[off + nb[nbo + m]] ^ (sg[nbo + m] >> 1);
        // Ripple counters: per term, the lanes' number of negative instances through site i.
        cnt.fill(0);
        for (let a = 0; a < nA; a++) {
          const c0 = cntStart[a];
          const c1 = c0 + bits[a];
          for (let q = -fields[a]; q < posStart[a + 1] - posStart[a]; q++) {
            let u: number;
            if (q < 0)
              u = ~s; // a field's instance is negative iff the spin is −1
            else {
              const p = posStart[a] + q;
              u = s ^ parity[p];
              for (let o = othersStart[p]; o < othersStart[p + 1]; o++) u ^= local[others[o]];
            }
            for (let l = c0; u !== 0 && l < c1; l++) {
              const carry = cnt[l] & u;
              cnt[l] ^= u;
              u = carry;
            }
          }
        }
        // Walk the count vectors present in the word (depth = counter), pruning empty branches;
        // each lane reaches exactly one leaf.
        let flip = 0;
        let nTouched = 0;
        let d = 0;
        rem[0] = -1;
        dig[0] = 0;
        base[0] = 0;
        for (;;) {
          let m = rem[d];
          const v = dig[d];
          for (let l = cntStart[d], b = 0; l < cntStart[d + 1]; l++, b++)
            m &= (v >> b) & 1 ? cnt[l] : ~cnt[l];
          if (m !== 0) {
            rem[d] ^= m;
            const combo = base[d] + v * cstride[d];
            if (d < last) {
              d++;
              rem[d] = m;
              dig[d] = 0;
              base[d] = combo;
              continue;
            }
            const q = comboClass[combo];
            if (q === FLIP_NOW) flip |= m;
            else if (q >= 0) {
              if (classMask[q] === 0) touched[nTouched++] = q;
              classMask[q] |= m;
            }
          }
          while (rem[d] === 0 || ++dig[d] === radix[d]) {
            if (d === 0) break;
            d--;
          }
          if (d === 0 && (rem[0] === 0 || dig[0] === radix[0])) break;
        }
        let nCoin = 0;
        for (let t = 0; t < nTouched; t++) {
          const q = touched[t];
          const mk = classMask[q] & lanes;
          classMask[q] = 0;
          if (mk !== 0) {
            coinMask[nCoin] = mk;
            coinT[nCoin++] = thresholds[q];
          }
        }
        if (nCoin > 0) {
          if (j >> 2 !== block) {
            block = j >> 2;
            rng.philox(g, n, k, block);
            r0 = iw[0];
            r1 = iw[1];
            r2 = iw[2];
          }
          flip |= acceptClasses(r0, r1, r2, j & 3, coinMask, coinT, nCoin);
        }
        w[off + i] = s ^ flip;
      }
    }
  }
}
