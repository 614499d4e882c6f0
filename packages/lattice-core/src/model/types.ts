// A spin model as data: spin type, periodic lattice and a list of terms. Everything a sampler or
// an exact solver needs (ΔE, tables, colourings, term sums) is derived from this, never restated.

/** A lattice vector: one integer per dimension (`[dx]` on a chain, `[dx, dy]`, `[dx, dy, dz]`). */
export type Offset = readonly number[];

/** Spin type: Ising ±1, or unit vectors in R^n (`n = 2` XY, `n = 3` Heisenberg). */
export type Spin = { readonly kind: "ising" } | { readonly kind: "on"; readonly n: number };

/**
 * A periodic lattice: a ring of L sites, an Lx × Ly torus or an L³ torus. `twist[d]` makes the
 * boundary along axis d antiperiodic (s_{x + L_d e_d} = −s_x): a Z2 twist sector, only for
 * Ising spins and terms whose shapes all have an even number of sites (so the twist is a
 * symmetry twist and every term stays well defined). Absent: periodic along every axis.
 */
export type LatticeSpec = (
  | { readonly kind: "chain"; readonly L: number }
  | { readonly kind: "square"; readonly Lx: number; readonly Ly: number }
  | { readonly kind: "cubic"; readonly L: number }
) & { readonly twist?: readonly boolean[] };

/**
 * One term of the Hamiltonian `H = −Σ_terms coupling · S_term` (β absorbed; weight exp(−H)).
 * `S_term` = Σ over all lattice translates x of Σ over `shapes` of Π_{o ∈ shape} s_{x+o}:
 * for Ising spins the product of the spins; for O(n) spins a 2-site shape is the dot product
 * s_x · s_{x+o} and a 1-site shape is the component `axis` of s_x (a field).
 */
export interface Term {
  readonly name: string;
  readonly coupling: number;
  /** One or more site lists (all with one coupling, e.g. the horizontal and vertical nn bonds). */
  readonly shapes: readonly (readonly Offset[])[];
  /** O(n) field terms only: the spin component the field points along (default 0). */
  readonly axis: number;
}

/** A validated model description (build one with `defineModel`). */
export interface Model {
  readonly spin: Spin;
  readonly lattice: LatticeSpec;
  readonly terms: readonly Term[];
}

/** What `defineModel` accepts (and what a model JSON file holds). */
export interface ModelInput {
  /** `"ising"`, `"xy"`, `"heisenberg"` or `{ on: n }`. */
  spin: "ising" | "xy" | "heisenberg" | { on: number };
  /**
   * `{ chain: L }`, `{ square: [Lx, Ly] }` (or `{ square: L }`), `{ cubic: L }`; optionally with
   * `twist: [bool, …]` (one per axis: antiperiodic boundary along that axis).
   */
  lattice: ({ chain: number } | { square: number | readonly [number, number] } | { cubic: number }) & {
    twist?: readonly boolean[];
  };
  /** Each term gives `sites` (one shape) or `shapes` (several shapes sharing the coupling). */
  terms: readonly ModelTermInput[];
}

/** One term of a {@link ModelInput}. Arrays may be read-only (an `as const` literal is accepted). */
export interface ModelTermInput {
  name: string;
  coupling: number;
  sites?: readonly (readonly number[])[];
  shapes?: readonly (readonly (readonly number[])[])[];
  axis?: number;
}
