// Ising descriptions the WebGPU Ising kernels are checked on, bit for bit against the CPU,
// shared by the int-rule and packed-rule GPU tests.
import {
  type Model,
  type ModelInput,
  nearestNeighbourShapes,
  standardSquareModel,
} from "@physml/lattice-core";
import { triangleModel } from "@physml/lattice-core/testing";

/** A 3-spin term with a field, the standard square terms, a 1D 6-spin chain and a twisted torus. */
export const GPU_ISING_MODELS: Record<string, ModelInput | Model> = {
  "3-spin triangle + nn + field on 6×4": triangleModel([6, 4], { tri: 0.3, nn: 0.2, h: -0.05 }),
  "standard terms with the plaquette on 8×6": standardSquareModel(8, 6, {
    nn: 0.3,
    plaquette: -0.25,
    nnn: 0.1,
    field: 0.02,
  }),
  "1D 6-spin chain + nn, L = 29 (greedy colouring)": {
    spin: "ising",
    lattice: { chain: 29 },
    terms: [
      { name: "s6", coupling: 0.4, sites: [[0], [1], [2], [3], [4], [5]] },
      { name: "nn", coupling: 0.15, sites: [[0], [1]] },
    ],
  },
  "nn + plaquette on a 6×4 torus twisted along x and y": {
    spin: "ising",
    lattice: { square: [6, 4], twist: [true, true] },
    terms: [
      { name: "nn", coupling: 0.45, shapes: nearestNeighbourShapes(2) },
      {
        name: "plaq",
        coupling: 0.2,
        sites: [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
        ],
      },
    ],
  },
};

/** Cubic tori, plain and twisted (the int rule's GPU tests). */
export const GPU_CUBIC_MODELS: Record<string, ModelInput | Model> = {
  "nn on a 4³ torus twisted along z": {
    spin: "ising",
    lattice: { cubic: 4, twist: [false, false, true] },
    terms: [{ name: "nn", coupling: 0.3, shapes: nearestNeighbourShapes(3) }],
  },
  "cubic nn on 4³": {
    spin: "ising",
    lattice: { cubic: 4 },
    terms: [
      {
        name: "nn",
        coupling: 0.2,
        shapes: nearestNeighbourShapes(3),
      },
    ],
  },
};
