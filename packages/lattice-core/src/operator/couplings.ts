import { checkFinite } from "../errors.js";
import { N_TERMS, TERM_NAMES, type TermName } from "../model/standard.js";

export { N_TERMS, TERM_NAMES, type TermName };

/**
 * Couplings of the standard square Ising model (β absorbed; the Boltzmann weight is exp(-H)):
 *
 *   H(s) = -nn Σ⟨ij⟩ s_i s_j - plaquette Σ□ s_i s_j s_k s_l - nnn Σ[ij] s_i s_j - field Σ s_i
 *
 * One number per standard term (`STANDARD_SQUARE_SHAPES`). Any coupling may be 0 or negative.
 */
export type Couplings = Record<TermName, number>;

/** Fills missing couplings with 0 and checks that every coupling is finite. */
export function couplings(c: Partial<Couplings> = {}, field = "couplings"): Couplings {
  const out = {} as Couplings;
  for (const name of TERM_NAMES) out[name] = checkFinite(`${field}.${name}`, c[name] ?? 0);
  return out;
}

/** The couplings as a vector in term-sum order (`TERM_NAMES`). */
export function couplingsVector(c: Couplings): Float64Array {
  return Float64Array.from(TERM_NAMES, (name) => c[name]);
}

/** The couplings whose vector (term-sum order) is `v`. */
export function couplingsFromVector(v: ArrayLike<number>): Couplings {
  const out = {} as Couplings;
  TERM_NAMES.forEach((name, k) => {
    out[name] = v[k];
  });
  return out;
}

/** `c · t` in term order: the dot product of couplings with a term-sum vector (at `offset`). */
export function couplingsDot(c: Couplings, t: ArrayLike<number>, offset = 0): number {
  let s = 0;
  TERM_NAMES.forEach((name, k) => {
    s += c[name] * t[offset + k];
  });
  return s;
}
