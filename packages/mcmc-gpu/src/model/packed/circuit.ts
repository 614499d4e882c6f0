// The bitwise circuit of the replica-packed Ising rule, derived from a model description.
// A site's spins of 32 chains are one u32 word (bit set = +1). For a site update, every
// instance of a term through the site is negative in a lane iff the XOR of its sites' bits,
// complemented when the instance has an odd number of sites, is 1 (a product of ±1 spins is an
// XOR). One binary counter per term with a nonzero coupling (a term is one coupling group: its
// shapes share the coupling) counts the negative instances per lane with ripple adders; the
// count vector indexes lattice-core's `isingCountTable`, whose thresholds sort each count
// vector into "flip now" (ΔE ≤ 0), "never" (threshold 0) or a Bernoulli class.
import {
  ALWAYS,
  isingCountTable,
  MAX_DELTA_E_TABLE,
  type Model,
  modelTables,
  PhysmlInputError,
} from "@physml/lattice-core";

/** Count-vector class: flip every such lane now. */
export const FLIP_NOW = -1;
/** Count-vector class: never flip (threshold 0, or no configuration produces it). */
export const NEVER = -2;

/** The derived circuit (flat arrays; counter a owns positions posStart[a] … posStart[a+1]). */
export interface PackedCircuit {
  /** Stencil size: words read per site (lattice-core's `neighbourOffsets`). */
  readonly nNb: number;
  /** Terms with a nonzero coupling, one counter each, in term order. */
  readonly terms: Int32Array;
  /** Per counter: its 1-site shapes (each adds the complement of the site's own word). */
  readonly fields: Int32Array;
  /** Per counter: bits of its binary counter (2^bits > instances through a site). */
  readonly bits: Int32Array;
  /** Per counter: values its count takes (instances through a site + 1). */
  readonly radix: Int32Array;
  readonly posStart: Int32Array;
  /** Per position: its neighbour indices are others[othersStart[p] … othersStart[p+1]). */
  readonly othersStart: Int32Array;
  readonly others: Int32Array;
  /** Per position: −1 when its instance has an odd number of sites (complement the XOR), else 0. */
  readonly parity: Int32Array;
  /**
   * Class of each count vector of the counters (mixed radix, last counter fastest):
   * {@link FLIP_NOW}, {@link NEVER} or an index into `thresholds`.
   */
  readonly comboClass: Int32Array;
  /** The distinct thresholds strictly between 0 and ALWAYS, one per Bernoulli class. */
  readonly thresholds: Uint32Array;
}

/** Why the packed rule cannot run this description, or null when it can. */
export function packedRefusal(model: Model): string | null {
  if (model.spin.kind !== "ising") return `spin on(${model.spin.n}) (the packed rule is for Ising spins)`;
  const tb = modelTables(model);
  if (tb.degenerate) return `${tb.degenerate} (the single-site stencil is not exact)`;
  let combos = 1;
  tb.terms.forEach((t, k) => {
    if (model.terms[k].coupling !== 0) combos *= t.positions.length + t.fieldCount + 1;
  });
  if (combos > MAX_DELTA_E_TABLE) return `${combos} count vectors (at most ${MAX_DELTA_E_TABLE})`;
  return null;
}

/** Throws a PhysmlInputError naming why the packed rule cannot run `model`. */
export function checkPacked(model: Model, field = "kernel"): void {
  const why = packedRefusal(model);
  if (why)
    throw new PhysmlInputError(field, '"int" for this model description (packed cannot express it)', why);
}

/** Derives the circuit of `model` (couplings included: zero-coupling terms get no counter). */
export function packedCircuit(model: Model): PackedCircuit {
  checkPacked(model);
  const tb = modelTables(model);
  const ct = isingCountTable(model);
  const terms: number[] = [];
  const fields: number[] = [];
  const bits: number[] = [];
  const radix: number[] = [];
  const posStart = [0];
  const othersStart = [0];
  const others: number[] = [];
  const parity: number[] = [];
  tb.terms.forEach((t, k) => {
    if (model.terms[k].coupling === 0) return;
    terms.push(k);
    fields.push(t.fieldCount);
    radix.push(ct.size[k] + 1);
    bits.push(Math.max(1, Math.ceil(Math.log2(ct.size[k] + 1))));
    for (const pos of t.positions) {
      others.push(...pos.others);
      othersStart.push(others.length);
      // The instance has the site plus its others: k = others + 1 sites.
      parity.push((pos.others.length + 1) % 2 === 1 ? -1 : 0);
    }
    posStart.push(othersStart.length - 1);
  });
  const combos = radix.reduce((a, b) => a * b, 1);
  const comboClass = new Int32Array(combos);
  const classOf = new Map<number, number>();
  const digit = new Int32Array(terms.length);
  for (let c = 0; c < combos; c++) {
    let idx = 0;
    for (let a = 0; a < terms.length; a++) idx += ct.stride[terms[a]] * digit[a];
    const T = ct.thresholds[idx];
    let cls: number;
    if (T === ALWAYS) cls = FLIP_NOW;
    else if (T === 0) cls = NEVER;
    else {
      cls = classOf.get(T) ?? classOf.size;
      classOf.set(T, cls);
    }
    comboClass[c] = cls;
    for (let a = terms.length - 1; a >= 0; a--) {
      if (++digit[a] < radix[a]) break;
      digit[a] = 0;
    }
  }
  const thresholds = new Uint32Array(classOf.size);
  for (const [T, cls] of classOf) thresholds[cls] = T;
  return {
    nNb: tb.neighbourOffsets.length,
    terms: Int32Array.from(terms),
    fields: Int32Array.from(fields),
    bits: Int32Array.from(bits),
    radix: Int32Array.from(radix),
    posStart: Int32Array.from(posStart),
    othersStart: Int32Array.from(othersStart),
    others: Int32Array.from(others),
    parity: Int32Array.from(parity),
    comboClass,
    thresholds,
  };
}
