import { checkFinite } from "../errors.js";

/**
 * Couplings of the Ising-type Hamiltonian (β absorbed; the Boltzmann weight is exp(-H)):
 *
 *   H(s) = -nn Σ⟨ij⟩ s_i s_j - plaquette Σ□ s_i s_j s_k s_l - nnn Σ[ij] s_i s_j - field Σ s_i
 *
 * Any coupling may be 0 or negative.
 */
export interface Couplings {
  nn: number;
  plaquette: number;
  nnn: number;
  field: number;
}

/** Fills missing couplings with 0 and checks that every coupling is finite. */
export function couplings(c: Partial<Couplings> = {}, field = "couplings"): Couplings {
  return {
    nn: checkFinite(`${field}.nn`, c.nn ?? 0),
    plaquette: checkFinite(`${field}.plaquette`, c.plaquette ?? 0),
    nnn: checkFinite(`${field}.nnn`, c.nnn ?? 0),
    field: checkFinite(`${field}.field`, c.field ?? 0),
  };
}

/** Names of the Hamiltonian terms, in the order used for term-sum vectors `[S_nn, S_plaq, S_nnn, M]`. */
export const TERM_NAMES = ["nn", "plaquette", "nnn", "field"] as const;
export type TermName = (typeof TERM_NAMES)[number];
