// Translation orbits of spin monomials: the machinery behind exact enumeration. Every quantity the
// enumerator tracks — the Hamiltonian term sums, the link-shape features ψ_a and the two-point
// functions — is a sum over all N translations of one product of spins (a product of link
// variables s_i s_j reduces to the product over the sites it touches an odd number of times).
// Flipping spin i only changes the few monomials that contain i, so each Gray-code step is O(1).
import type { SquareLattice } from "../lattice/square.js";
import { type ModelTables, type ShapeInstances, shapeInstances } from "../model/derive.js";
import type { Offset } from "../model/types.js";
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

/**
 * A set of translation orbits with incremental bookkeeping: `sums[o]` is Σ over the N
 * translates of monomial o (each times its twist sign) for the current spins, updated by
 * {@link OrbitWalker.flip}.
 */
export class OrbitWalker {
  readonly nSites: number;
  readonly spins: Int8Array;
  sums: Int32Array = new Int32Array(0);
  #keys = new Map<string, number>();
  #translates: number[][][] = [];
  #signs: number[][] = [];
  #values: Int8Array = new Int8Array(0);
  #incStart: Int32Array = new Int32Array(0);
  #incMono: Int32Array = new Int32Array(0);
  #incOrbit: Int32Array = new Int32Array(0);

  constructor(nSites: number) {
    this.nSites = nSites;
    this.spins = new Int8Array(nSites).fill(1);
  }

  /**
   * Registers an orbit given by its N translates (site lists, reduced mod 2 here) and their twist
   * signs (default all 1); orbits with the same translates and signs share one index.
   */
  addOrbit(translates: readonly (readonly number[])[], signs?: ArrayLike<number> | null): number {
    const reduced = translates.map(parityReduce);
    const sg = reduced.map((_, x) => (signs ? signs[x] : 1));
    const key = reduced
      .map((r, x) => `${sg[x]}:${r.join(",")}`)
      .sort()
      .join(";");
    const known = this.#keys.get(key);
    if (known !== undefined) return known;
    this.#keys.set(key, this.#translates.length);
    this.#translates.push(reduced);
    this.#signs.push(sg);
    return this.#translates.length - 1;
  }

  /** Registers the orbit of a shape's instances (see `shapeInstances`). */
  addInstances({ k, sites, signs }: ShapeInstances): number {
    const translates = Array.from({ length: this.nSites }, (_, x) =>
      Array.from(sites.subarray(x * k, x * k + k)),
    );
    return this.addOrbit(translates, signs);
  }

  /** Number of orbits registered. */
  get orbitCount(): number {
    return this.#translates.length;
  }

  /** Number of spins in the monomial of orbit o (its parity is its Z₂ charge). */
  degree(o: number): number {
    return this.#translates[o][0].length;
  }

  /** The orbit sum with every spin +1: Σ of the signs, what a degree-0 orbit always sums to. */
  constantSum(o: number): number {
    return this.#signs[o].reduce((a, b) => a + b, 0);
  }

  /**
   * Builds the incidence tables; call after the last {@link addOrbit}. Spins start all +1.
   * `sums` gets at least `minLength` entries: those past the orbits stay 0, slots an unrolled
   * reader of a fixed number of sums can point at.
   */
  build(minLength = 0): void {
    const N = this.nSites;
    const nOrb = this.#translates.length;
    const perSite: [number, number][][] = Array.from({ length: N }, () => []);
    for (let o = 0; o < nOrb; o++) {
      for (let a = 0; a < N; a++) for (const s of this.#translates[o][a]) perSite[s].push([o * N + a, o]);
    }
    this.#incStart = new Int32Array(N + 1);
    for (let i = 0; i < N; i++) this.#incStart[i + 1] = this.#incStart[i] + perSite[i].length;
    this.#incMono = Int32Array.from(perSite.flat(), ([g]) => g);
    this.#incOrbit = Int32Array.from(perSite.flat(), ([, o]) => o);
    this.#values = Int8Array.from(this.#signs.flat());
    this.sums = Int32Array.from({ length: Math.max(nOrb, minLength) }, (_, o) =>
      o < nOrb ? this.constantSum(o) : 0,
    );
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

/** The orbits behind a model's term sums and a list of observed shapes, on one walker. */
export interface ModelOrbits {
  /** Not built yet (see {@link OrbitWalker.build}). */
  walker: OrbitWalker;
  /** Per term, the orbit of each of its shapes (a term sum is the sum of these orbit sums). */
  termOrbits: number[][];
  /** Per observed shape, its orbit. */
  observableOrbits: number[];
}

/**
 * Registers the orbits of a model's terms (one per shape) and of `observables` (shapes given as
 * site offsets, on the model's lattice with its twist).
 */
export function modelOrbits(tb: ModelTables, observables: readonly (readonly Offset[])[] = []): ModelOrbits {
  const walker = new OrbitWalker(tb.lattice.nSites);
  const termOrbits = tb.terms.map((t) => t.instances.map((inst) => walker.addInstances(inst)));
  const observableOrbits = observables.map((shape) => walker.addInstances(shapeInstances(tb.lattice, shape)));
  return { walker, termOrbits, observableOrbits };
}
