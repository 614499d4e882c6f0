// Exact correlators of a known nn + nnn (+ straight distance-2) model on the 4×4 torus, by
// enumeration: the target the dual-fit tests match (zero covariance, so only the dual sampler's
// noise remains).
import { defineModel, enumerateModel, STANDARD_SQUARE_SHAPES } from "@physml/lattice-core";
import { D2_SHAPES } from "../src/line/dual-fit.js";

/** g1 = ⟨S_nn⟩/2N, g2 = ⟨S_nnn⟩/2N and g3 = ⟨S_d2⟩/2N of the 4×4 torus at couplings `truth`, with zero covariance. */
export function exactDualTarget(truth: { nn: number; nnn: number; d2?: number }): {
  g1: number;
  g2: number;
  g3: number;
  cov: number[];
} {
  const e = enumerateModel(
    defineModel({
      spin: "ising",
      lattice: { square: [4, 4] },
      terms: [
        { name: "nn", coupling: truth.nn, shapes: STANDARD_SQUARE_SHAPES.nn },
        { name: "nnn", coupling: truth.nnn, shapes: STANDARD_SQUARE_SHAPES.nnn },
        { name: "d2", coupling: truth.d2 ?? 0, shapes: D2_SHAPES },
      ],
    }),
  );
  return { g1: e.termMeans[0] / 32, g2: e.termMeans[1] / 32, g3: e.termMeans[2] / 32, cov: [0, 0, 0, 0] };
}
