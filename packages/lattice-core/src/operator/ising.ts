import { PhysmlInputError } from "../errors.js";
import type { SquareLattice } from "../lattice/square.js";
import type { Couplings } from "./couplings.js";

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
 */
export function termSums(lattice: SquareLattice, spins: Int8Array): Float64Array {
  checkSpins(lattice, spins);
  const ls = lattice.linkSites;
  const pt = lattice.plaquetteSiteTable;
  const nt = lattice.nnnSiteTable;
  let sNn = 0;
  let sPlaq = 0;
  let sNnn = 0;
  let m = 0;
  for (let i = 0; i < lattice.nSites; i++) {
    m += spins[i];
    sPlaq += spins[pt[4 * i]] * spins[pt[4 * i + 1]] * spins[pt[4 * i + 2]] * spins[pt[4 * i + 3]];
  }
  for (let l = 0; l < lattice.nLinks; l++) {
    sNn += spins[ls[2 * l]] * spins[ls[2 * l + 1]];
    sNnn += spins[nt[2 * l]] * spins[nt[2 * l + 1]];
  }
  return Float64Array.of(sNn, sPlaq, sNnn, m);
}

/** `H(s) = −(nn·S_nn + plaquette·S_plaq + nnn·S_nnn + field·M)` for the given couplings. */
export function isingEnergy(lattice: SquareLattice, c: Couplings, spins: Int8Array): number {
  const t = termSums(lattice, spins);
  return -(c.nn * t[0] + c.plaquette * t[1] + c.nnn * t[2] + c.field * t[3]);
}

/**
 * `H(s with spin i flipped) − H(s)` in O(1). Every term containing spin i (an odd number of
 * times) changes sign, so ΔE = 2 × (the coupling-weighted sum of those terms). On tori with
 * Lx = 1 or Ly = 1 a term can contain a site twice; there it falls back to two full evaluations.
 */
export function deltaE(lattice: SquareLattice, c: Couplings, spins: Int8Array, i: number): number {
  if (!Number.isInteger(i) || i < 0 || i >= lattice.nSites) {
    throw new PhysmlInputError("i", `an integer in [0, ${lattice.nSites - 1}]`, i);
  }
  if (spins.length !== lattice.nSites) {
    throw new PhysmlInputError("spins.length", `${lattice.nSites} (= Lx·Ly)`, spins.length);
  }
  const { Lx, Ly } = lattice;
  if (Lx < 2 || Ly < 2) {
    const flipped = Int8Array.from(spins);
    flipped[i] = -flipped[i];
    return isingEnergy(lattice, c, flipped) - isingEnergy(lattice, c, spins);
  }
  const x = i % Lx;
  const y = (i - x) / Lx;
  const xp = x + 1 === Lx ? 0 : x + 1;
  const xm = x === 0 ? Lx - 1 : x - 1;
  const yp = y + 1 === Ly ? 0 : y + 1;
  const ym = y === 0 ? Ly - 1 : y - 1;
  const r = y * Lx + xp;
  const l = y * Lx + xm;
  const u = yp * Lx + x;
  const d = ym * Lx + x;
  const ur = yp * Lx + xp;
  const ul = yp * Lx + xm;
  const dr = ym * Lx + xp;
  const dl = ym * Lx + xm;
  const s = spins;
  let local = 0;
  if (c.nn !== 0) local += c.nn * (s[r] + s[l] + s[u] + s[d]);
  if (c.nnn !== 0) local += c.nnn * (s[ur] + s[ul] + s[dr] + s[dl]);
  if (c.plaquette !== 0) {
    // The four plaquettes with corner i: upper-right, upper-left, lower-left, lower-right.
    local +=
      c.plaquette * (s[r] * s[ur] * s[u] + s[u] * s[ul] * s[l] + s[l] * s[dl] * s[d] + s[d] * s[dr] * s[r]);
  }
  local += c.field;
  return 2 * s[i] * local;
}
