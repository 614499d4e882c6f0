// The "3-spin triangle + nn + field" Ising description the workspace's tests sample and solve:
// a term no closed form covers, on a stencil the packed and int rules both take, small enough to
// enumerate on a 4×4 torus. One definition, so every test means the same model by the name.
import { nearestNeighbourShapes } from "../model/standard.js";
import type { ModelInput } from "../model/types.js";

/** The triangle's sites: a site, its right and its upper neighbour. */
export const TRIANGLE_SITES = [
  [0, 0],
  [1, 0],
  [0, 1],
] as const;

/**
 * The triangle model on an Lx×Ly square torus, terms in the order `tri` (s₀ s_x s_y), `nn`
 * (right and up bonds), `h` (the field; left out when `h` is absent).
 *
 * @param sides - [Lx, Ly].
 * @param couplings - each term's coupling (β absorbed).
 */
export function triangleModel(
  sides: readonly [number, number],
  couplings: { tri: number; nn: number; h?: number },
): ModelInput {
  return {
    spin: "ising",
    lattice: { square: [sides[0], sides[1]] },
    terms: [
      { name: "tri", coupling: couplings.tri, sites: TRIANGLE_SITES },
      { name: "nn", coupling: couplings.nn, shapes: nearestNeighbourShapes(2) },
      ...(couplings.h === undefined ? [] : [{ name: "h", coupling: couplings.h, sites: [[0, 0]] }]),
    ],
  };
}
