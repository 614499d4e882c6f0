// The original of the line duality as a model: nn β, plaquette κ and diagonal (nnn) λ on the
// periodic L × L torus, its boundary twisted or not. One description for the sampler, the exact
// enumerations of the tests and the benches.
import { type ModelInput, STANDARD_SQUARE_SHAPES } from "@physml/lattice-core";

/** Couplings of the deformed original. */
export interface OriginalCouplings {
  nn: number;
  plaquette: number;
  nnn: number;
}

/** The original with couplings `c` on the L × L torus with boundary `twist` (x, y). */
export function deformedOriginal(
  L: number,
  c: OriginalCouplings,
  twist: [boolean, boolean] = [false, false],
): ModelInput {
  return {
    spin: "ising",
    lattice: { square: [L, L], twist },
    terms: [
      { name: "nn", coupling: c.nn, shapes: STANDARD_SQUARE_SHAPES.nn },
      { name: "plaquette", coupling: c.plaquette, shapes: STANDARD_SQUARE_SHAPES.plaquette },
      { name: "nnn", coupling: c.nnn, shapes: STANDARD_SQUARE_SHAPES.nnn },
    ],
  };
}
