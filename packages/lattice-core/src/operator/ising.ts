import { PhysmlInputError } from "../errors.js";
import type { SquareLattice } from "../lattice/square.js";
import { isingModelDeltaE, isingTermSums } from "../model/ising.js";
import { standardSquareModel } from "../model/standard.js";
import { type Couplings, couplings, couplingsDot } from "./couplings.js";

/**
 * Throws a {@link PhysmlInputError} unless `spins` is an `Int8Array` of length `Lx·Ly` whose
 * entries are all ±1.
 */
export function checkSpins(lattice: SquareLattice, spins: Int8Array, field = "spins"): void {
  if (!(spins instanceof Int8Array)) throw new PhysmlInputError(field, "an Int8Array of ±1", typeof spins);
  if (spins.length !== lattice.nSites) {
    throw new PhysmlInputError(`${field}.length`, `${lattice.nSites} (= Lx·Ly)`, spins.length);
  }
  for (let i = 0; i < spins.length; i++) {
    const s = spins[i];
    if (s !== 1 && s !== -1) throw new PhysmlInputError(`${field}[${i}]`, "+1 or -1", s);
  }
}

/**
 * The per-term sums `[S_nn, S_plaq, S_nnn, M]` of a configuration:
 * S_nn = Σ over the 2N links of s_i s_j, S_plaq = Σ over the N plaquettes of the product of the
 * 4 corners, S_nnn = Σ over the 2N diagonal bonds of s_i s_j, M = Σ s_i.
 * They are −∂H/∂coupling, so `H = −(nn·S_nn + plaquette·S_plaq + nnn·S_nnn + field·M)`.
 * Derived from the standard square model description (`standardSquareModel`).
 */
export function termSums(lattice: SquareLattice, spins: Int8Array): Float64Array {
  checkSpins(lattice, spins);
  return isingTermSums(standardSquareModel(lattice.Lx, lattice.Ly, ZERO), spins);
}

const ZERO = couplings();

/** `H(s) = −(nn·S_nn + plaquette·S_plaq + nnn·S_nnn + field·M)` for the given couplings. */
export function isingEnergy(lattice: SquareLattice, c: Couplings, spins: Int8Array): number {
  return -couplingsDot(c, termSums(lattice, spins));
}

/**
 * `H(s with spin i flipped) − H(s)`: every term containing spin i (an odd number of times)
 * changes sign, so ΔE = 2 s_i × (the coupling-weighted sum of the other spins' products), summed
 * in term order. On tori with Lx = 1 or Ly = 1 a term can contain a site twice; there it falls
 * back to two full evaluations. Derived from the standard square model description.
 */
export function deltaE(lattice: SquareLattice, c: Couplings, spins: Int8Array, i: number): number {
  // isingModelDeltaE refuses a bad site index i itself, with the same message.
  if (spins.length !== lattice.nSites) {
    throw new PhysmlInputError("spins.length", `${lattice.nSites} (= Lx·Ly)`, spins.length);
  }
  return isingModelDeltaE(standardSquareModel(lattice.Lx, lattice.Ly, c), spins, i);
}
