// The Ising ΔE table re-indexed by counts of negative instance products, the form a
// replica-packed (multi-spin coded) sampler computes with bitwise adders: for a site update,
// each instance containing the site is either positive or negative, and ΔE depends only on how
// many of each term's instances through the site are negative. The entries are read from
// `isingDeltaETable`, so every sampler shares one ΔE and one threshold per configuration.
import { PhysmlInputError } from "../errors.js";
import { modelTables } from "./derive.js";
import { checkIsing, isingDeltaETable, isingThresholds, MAX_DELTA_E_TABLE } from "./ising.js";
import type { Model } from "./types.js";

/** See {@link isingCountTable}. */
export interface IsingCountTable {
  /**
   * Per term: the instances through a site, `positions + fieldCount` of its tables (a 1-site
   * shape is an instance whose product is the spin itself). Its count takes `size + 1` values.
   */
  readonly size: readonly number[];
  /** Table index of counts n: `Σ_t stride[t]·n_t` (last term fastest). */
  readonly stride: readonly number[];
  /**
   * ΔE of flipping the site for every count vector, NaN for count vectors no configuration
   * produces (a field's instance is negative iff the spin is −1, which ties the counts).
   */
  readonly deltaE: Float64Array;
  /** u32 threshold of each entry (`isingThresholds`); 0 where ΔE is NaN. */
  readonly thresholds: Uint32Array;
}

/**
 * ΔE and thresholds indexed by n_t, the number of instances of term t through the flipped site
 * whose product Π s is −1. With P_t multi-site positions and f_t fields, spin s = +1 gives
 * digit (P_t − n_t) of `isingDeltaETable`'s s = +1 half and s = −1 gives digit (n_t − f_t) of
 * its s = −1 half; both describe the same ΔE = 2Σ_t c_t(P_t + f_t − 2n_t), and since negating
 * every summand of a Float64 sum negates the sum exactly, both halves hold the same bits.
 */
export function isingCountTable(model: Model): IsingCountTable {
  checkIsing(model);
  const tb = modelTables(model);
  const P = tb.terms.map((t) => t.positions.length);
  const f = tb.terms.map((t) => t.fieldCount);
  const size = P.map((p, t) => p + f[t]);
  const radix = size.map((s) => s + 1);
  const stride = radix.map((_, t) => radix.slice(t + 1).reduce((a, b) => a * b, 1));
  const total = radix.reduce((a, b) => a * b, 1);
  if (total > MAX_DELTA_E_TABLE)
    throw new PhysmlInputError("model.terms", `a count table of at most ${MAX_DELTA_E_TABLE} entries`, total);
  const table = isingDeltaETable(model);
  const th = isingThresholds(model);
  const deltaE = new Float64Array(total);
  const thresholds = new Uint32Array(total);
  const n = new Int32Array(size.length);
  for (let idx = 0; idx < total; idx++) {
    let plus = true;
    let minus = true;
    let iPlus = tb.half;
    let iMinus = 0;
    for (let t = 0; t < n.length; t++) {
      plus &&= n[t] <= P[t];
      minus &&= n[t] >= f[t];
      iPlus += tb.stride[t] * (P[t] - n[t]);
      iMinus += tb.stride[t] * (n[t] - f[t]);
    }
    const at = plus ? iPlus : minus ? iMinus : -1;
    deltaE[idx] = at < 0 ? Number.NaN : table[at];
    thresholds[idx] = at < 0 ? 0 : th[at];
    for (let t = n.length - 1; t >= 0; t--) {
      if (++n[t] < radix[t]) break;
      n[t] = 0;
    }
  }
  return { size, stride, deltaE, thresholds };
}
