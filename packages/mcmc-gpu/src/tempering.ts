// Replica exchange (parallel tempering) between coupling slots, done by the front-end in
// Float64 from the term sums, so both backends behave identically (SPEC.md, "Replica exchange").
//
// The physical chains never move; what moves is the assignment of coupling vectors ("slots",
// e.g. temperatures) to chains. Event e proposes swapping slots (c, c+1) for every c ≡ e mod 2
// and accepts with probability min(1, exp((t_c − t_{c+1})·(S(x_{c+1}) − S(x_c)))), which keeps
// the product of the slot Boltzmann distributions invariant (detailed balance of the swap).
import { type Couplings, couplingsDot as dot, N_TERMS } from "@physml/lattice-core";
import { philox4x32 } from "./rng/philox.js";

const TEMPERING_WORD2 = 0xfffffffe;

/** The slot ↔ chain assignment and exchange statistics. */
export class Tempering {
  /** `chainOfSlot[s]`: the chain currently carrying slot s's couplings. */
  readonly chainOfSlot: Int32Array;
  /** `slotOfChain[c]`: inverse permutation. */
  readonly slotOfChain: Int32Array;
  /** Per slot pair (s, s+1): proposals and acceptances. */
  readonly proposed: Float64Array;
  readonly accepted: Float64Array;
  /** Exchange events so far (the `e` of SPEC.md). */
  events = 0;

  constructor(
    readonly slots: number,
    readonly every: number,
    private readonly k0: number,
    private readonly k1: number,
  ) {
    this.chainOfSlot = Int32Array.from({ length: slots }, (_, s) => s);
    this.slotOfChain = Int32Array.from({ length: slots }, (_, s) => s);
    this.proposed = new Float64Array(Math.max(0, slots - 1));
    this.accepted = new Float64Array(Math.max(0, slots - 1));
  }

  /** Couplings per chain for the current assignment. */
  chainCouplings(slotCouplings: readonly Couplings[]): Couplings[] {
    return Array.from(this.slotOfChain, (s) => slotCouplings[s]);
  }

  /**
   * Runs exchange event `events` with the current term sums of every chain (`terms[chain·N_TERMS+k]`,
   * chain order). Returns true if any swap was accepted (couplings must then be re-sent).
   */
  exchange(slotCouplings: readonly Couplings[], terms: ArrayLike<number>): boolean {
    const e = this.events >>> 0;
    const w = new Uint32Array(4);
    let changed = false;
    for (let s = e & 1; s + 1 < this.slots; s += 2) {
      const a = this.chainOfSlot[s];
      const b = this.chainOfSlot[s + 1];
      const ta = slotCouplings[s];
      const tb = slotCouplings[s + 1];
      // (t_s − t_{s+1})·(S(x_b) − S(x_a)), written as the difference of the two dot products.
      const logRatio =
        dot(ta, terms, N_TERMS * b) -
        dot(ta, terms, N_TERMS * a) -
        (dot(tb, terms, N_TERMS * b) - dot(tb, terms, N_TERMS * a));
      philox4x32(this.k0, this.k1, s, e, TEMPERING_WORD2, 0, w);
      const u = w[0] / 4294967296;
      this.proposed[s]++;
      if (u < Math.exp(logRatio)) {
        this.accepted[s]++;
        this.chainOfSlot[s] = b;
        this.chainOfSlot[s + 1] = a;
        this.slotOfChain[a] = s + 1;
        this.slotOfChain[b] = s;
        changed = true;
      }
    }
    this.events++;
    return changed;
  }

  /** Back to the identity assignment (after `restore`). */
  reset(): void {
    for (let s = 0; s < this.slots; s++) {
      this.chainOfSlot[s] = s;
      this.slotOfChain[s] = s;
    }
  }
}
