// The standard square-lattice Ising terms {nn, plaquette, nnn, field} as one model description.
// `Couplings`, `TERM_NAMES` and the term-sum order of every package come from here.
import { defineModel } from "./define.js";
import type { Model, ModelInput } from "./types.js";

/** Names of the standard square Ising terms, in term-sum order `[S_nn, S_plaq, S_nnn, M]`. */
export const TERM_NAMES = ["nn", "plaquette", "nnn", "field"] as const;
export type TermName = (typeof TERM_NAMES)[number];
/** Number of standard terms (the stride of every term-sum vector). */
export const N_TERMS = TERM_NAMES.length;

/**
 * The shapes of each standard term: nn bonds (x+1, y+1), the plaquette (counter-clockwise from
 * its lower-left corner, as `SquareLattice.plaquetteSites`), the two diagonals, the field.
 */
export const STANDARD_SQUARE_SHAPES: Readonly<Record<TermName, number[][][]>> = {
  nn: nearestNeighbourShapes(2),
  plaquette: [
    [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
    ],
  ],
  nnn: [
    [
      [0, 0],
      [1, 1],
    ],
    [
      [0, 0],
      [1, -1],
    ],
  ],
  field: [[[0, 0]]],
};

/**
 * The nearest-neighbour bonds of a periodic lattice of dimension `dim` (1 chain, 2 square,
 * 3 cubic): one 2-site shape per axis, `[origin, origin + e_axis]`.
 */
export function nearestNeighbourShapes(dim: 1 | 2 | 3): number[][][] {
  return Array.from({ length: dim }, (_, axis) => {
    const origin = new Array<number>(dim).fill(0);
    return [origin, origin.map((_, d) => (d === axis ? 1 : 0))];
  });
}

/** The standard terms with the given couplings, as {@link ModelInput} terms. */
export function standardSquareTerms(c: Readonly<Record<TermName, number>>): ModelInput["terms"] {
  return TERM_NAMES.map((name) => ({ name, coupling: c[name], shapes: STANDARD_SQUARE_SHAPES[name] }));
}

/** The standard square Ising model on an Lx × Ly torus with couplings `c`. */
export function standardSquareModel(Lx: number, Ly: number, c: Readonly<Record<TermName, number>>): Model {
  return defineModel({ spin: "ising", lattice: { square: [Lx, Ly] }, terms: standardSquareTerms(c) });
}
