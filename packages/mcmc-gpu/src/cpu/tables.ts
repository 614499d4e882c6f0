// Index tables shared by the CPU kernels and measurements, built once per lattice.
import type { SquareLattice } from "@physml/lattice-core";

/** Neighbour slots in `nb8[8i + k]`. */
export const R = 0;
export const U = 1;
export const L = 2;
export const D = 3;
export const UR = 4;
export const UL = 5;
export const DL = 6;
export const DR = 7;

export interface LatticeTables {
  nSites: number;
  /** `nb8[8i + k]`: right, up, left, down, up-right, up-left, down-left, down-right of site i. */
  nb8: Int32Array;
  /** Sites of each colour class in increasing order (SPEC.md). */
  classes: Int32Array[];
}

/** Builds the neighbour table and colour classes (`colours` 2 or 4, lattice sides even). */
export function latticeTables(lattice: SquareLattice, colours: 2 | 4): LatticeTables {
  const n = lattice.nSites;
  const nb8 = new Int32Array(8 * n);
  const offsets = [
    [1, 0],
    [0, 1],
    [-1, 0],
    [0, -1],
    [1, 1],
    [-1, 1],
    [-1, -1],
    [1, -1],
  ];
  for (let i = 0; i < n; i++) {
    const [x, y] = lattice.coords(i);
    for (let k = 0; k < 8; k++) nb8[8 * i + k] = lattice.site(x + offsets[k][0], y + offsets[k][1]);
  }
  return { nSites: n, nb8, classes: lattice.colourClasses(colours) };
}
