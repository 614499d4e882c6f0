// Translation orbits of spin monomials: the machinery behind exact enumeration. Every quantity the
// enumerator tracks — the Hamiltonian term sums, the link-shape features ψ_a and the two-point
// functions — is a sum over all N translations of one product of spins (a product of link
// variables s_i s_j reduces to the product over the sites it touches an odd number of times).
// Flipping spin i only changes the few monomials that contain i, so each Gray-code step is O(1).
import type { SquareLattice } from "../lattice/square.js";
import type { LinkShape } from "../observables/shapes.js";

/** Sorted list of the sites occurring an odd number of times. */
export function parityReduce(sites: readonly number[]): number[] {
  const count = new Map<number, number>();
  for (const s of sites) count.set(s, (count.get(s) ?? 0) + 1);
  return [...count]
    .filter(([, c]) => c % 2 === 1)
    .map(([s]) => s)
    .sort((a, b) => a - b);
}

/** The spin monomial of a link shape anchored at site 0 (its product of link variables). */
export function shapeMonomial(lattice: SquareLattice, shape: LinkShape): number[] {
  const sites: number[] = [];
  for (const o of shape.links) sites.push(...lattice.linkEnds(lattice.link(o.dx, o.dy, o.dir)));
  return parityReduce(sites);
}

function translated(lattice: SquareLattice, base: readonly number[], anchor: number): number[] {
  const [dx, dy] = lattice.coords(anchor);
  return base.map((s) => lattice.translateSite(s, dx, dy)).sort((a, b) => a - b);
}

/**
 * A set of translation orbits with incremental bookkeeping: `sums[o]` is Σ over the N
 * translations of monomial o for the current spins, updated by {@link OrbitWalker.flip}.
 */
export class OrbitWalker {
  readonly lattice: SquareLattice;
  readonly spins: Int8Array;
  sums: Int32Array = new Int32Array(0);
  #keys = new Map<string, number>();
  #bases: number[][] = [];
  #values: Int8Array = new Int8Array(0);
  #incStart: Int32Array = new Int32Array(0);
  #incMono: Int32Array = new Int32Array(0);
  #incOrbit: Int32Array = new Int32Array(0);

  constructor(lattice: SquareLattice) {
    this.lattice = lattice;
    this.spins = new Int8Array(lattice.nSites).fill(1);
  }

  /** Registers the orbit of `base` (sites anchored at 0); equal orbits share one index. */
  add(base: readonly number[]): number {
    const reduced = parityReduce(base);
    let key = "";
    for (let a = 0; a < this.lattice.nSites; a++) {
      const k = translated(this.lattice, reduced, a).join(",");
      if (a === 0 || k < key) key = k;
    }
    const known = this.#keys.get(key);
    if (known !== undefined) return known;
    this.#keys.set(key, this.#bases.length);
    this.#bases.push(reduced);
    return this.#bases.length - 1;
  }

  /** Number of spins in the monomial of orbit o (its parity is its Z₂ charge). */
  degree(o: number): number {
    return this.#bases[o].length;
  }

  /** Builds the incidence tables; call after the last {@link add}. Spins start all +1. */
  build(): void {
    const N = this.lattice.nSites;
    const nOrb = this.#bases.length;
    const perSite: [number, number][][] = Array.from({ length: N }, () => []);
    for (let o = 0; o < nOrb; o++) {
      for (let a = 0; a < N; a++) {
        for (const s of translated(this.lattice, this.#bases[o], a)) perSite[s].push([o * N + a, o]);
      }
    }
    this.#incStart = new Int32Array(N + 1);
    for (let i = 0; i < N; i++) this.#incStart[i + 1] = this.#incStart[i] + perSite[i].length;
    this.#incMono = Int32Array.from(perSite.flat(), ([g]) => g);
    this.#incOrbit = Int32Array.from(perSite.flat(), ([, o]) => o);
    this.#values = new Int8Array(nOrb * N).fill(1);
    this.sums = new Int32Array(nOrb).fill(N);
    this.spins.fill(1);
  }

  /** Flips spin i and updates every orbit sum. */
  flip(i: number): void {
    this.spins[i] = -this.spins[i];
    const vals = this.#values;
    const sums = this.sums;
    const mono = this.#incMono;
    const orb = this.#incOrbit;
    for (let k = this.#incStart[i], end = this.#incStart[i + 1]; k < end; k++) {
      const g = mono[k];
      const v = vals[g];
      vals[g] = -v;
      sums[orb[k]] -= 2 * v;
    }
  }
}

/** Orbit indices of the four Hamiltonian term families, registered on a walker. */
export interface TermOrbits {
  h: number;
  v: number;
  plaquette: number;
  d0: number;
  d1: number;
  site: number;
}

/** Registers the orbits whose sums give `[S_nn, S_plaq, S_nnn, M]`. */
export function addTermOrbits(w: OrbitWalker): TermOrbits {
  const lat = w.lattice;
  return {
    h: w.add([0, lat.site(1, 0)]),
    v: w.add([0, lat.site(0, 1)]),
    plaquette: w.add(lat.plaquetteSites(0)),
    d0: w.add(lat.nnnBondSites(0)),
    d1: w.add(lat.nnnBondSites(1)),
    site: w.add([0]),
  };
}
