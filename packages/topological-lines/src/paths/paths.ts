// Lattice paths as move strings (R, U, L, D) and the two geometries a line can run in. In the
// "links" geometry a path walks from site to site and its chunks sit on the links it walks
// along (the Z2 symmetry line's chunks s_i s_j telescope to s_m s_n). In the "crossing" geometry
// a path walks from plaquette to plaquette (the dual lattice) and its chunks sit on the links it
// crosses (the disorder line: the Z2 defect along the path). Two paths between the same
// endpoints that a lattice symmetry fixing the endpoints maps into each other have equal
// expectation values for every chunk, so the pairs below are chosen to be inequivalent.
import { PhysmlInputError } from "@physml/lattice-core";

export type Move = "R" | "U" | "L" | "D";
export type Geometry = "links" | "crossing";
export const GEOMETRIES: readonly Geometry[] = ["links", "crossing"];

/** Paths sharing their endpoints (all of the same length): every pair of them enters the loss. */
export interface PathGroup {
  /** Displacement (dx, dy) of the end from the start. */
  displacement: [number, number];
  paths: string[];
}

/**
 * Minimal paths of three displacements, one representative per symmetry class: (2,1) the
 * corner at the end vs in the middle, (3,1) likewise, (2,2) the L, the staircase and the U-turn
 * free zigzag RUUR. The two L-shapes of a rectangle are mapped into each other by the half-turn
 * about its centre, so they would add nothing.
 */
export const DEFAULT_GROUPS: readonly PathGroup[] = [
  { displacement: [2, 1], paths: ["RRU", "RUR"] },
  { displacement: [3, 1], paths: ["RRRU", "RRUR"] },
  { displacement: [2, 2], paths: ["RRUU", "RURU", "RUUR"] },
];

/** Every pair (a, b), a < b, within each group, as indices into the flattened path list. */
export function pathPairs(groups: readonly PathGroup[]): { paths: string[]; pairs: [number, number][] } {
  const paths: string[] = [];
  const pairs: [number, number][] = [];
  for (const g of groups) {
    const first = paths.length;
    for (const p of g.paths) {
      checkPath(p, g.displacement);
      paths.push(p);
    }
    for (let a = first; a < paths.length; a++) for (let b = a + 1; b < paths.length; b++) pairs.push([a, b]);
  }
  return { paths, pairs };
}

const STEP: Record<Move, [number, number]> = { R: [1, 0], U: [0, 1], L: [-1, 0], D: [0, -1] };

function checkPath(p: string, d: [number, number]): void {
  let x = 0;
  let y = 0;
  for (const m of p) {
    const s = STEP[m as Move];
    if (!s) throw new PhysmlInputError("path", "a string of the moves R, U, L, D", p);
    x += s[0];
    y += s[1];
  }
  if (x !== d[0] || y !== d[1])
    throw new PhysmlInputError("path", `a path with displacement (${d[0]}, ${d[1]})`, p);
}

const ROTATE: Record<Move, Move> = { R: "U", U: "L", L: "D", D: "R" };
const REFLECT: Record<Move, Move> = { R: "U", U: "R", L: "D", D: "L" };

/** The path's images under the 8 symmetries of the square (4 rotations × optional reflection). */
export function symmetryImages(p: string): Move[][] {
  const out: Move[][] = [];
  let cur = [...p] as Move[];
  for (let r = 0; r < 4; r++) {
    out.push(
      cur,
      cur.map((m) => REFLECT[m]),
    );
    cur = cur.map((m) => ROTATE[m]);
  }
  return out;
}

/**
 * The links a path uses, starting at site or plaquette (x, y) of an L × L torus, as indices into
 * the link array [h(0..N−1), v(0..N−1)] where h(i) joins site i = x + L·y to its right neighbour
 * and v(i) to its upper one. Plaquette (x, y) has lower-left corner site (x, y).
 */
export function pathLinks(moves: readonly Move[], x0: number, y0: number, L: number, g: Geometry): number[] {
  const N = L * L;
  const w = (a: number) => ((a % L) + L) % L;
  const h = (x: number, y: number) => w(x) + L * w(y);
  const v = (x: number, y: number) => N + w(x) + L * w(y);
  let x = x0;
  let y = y0;
  const out: number[] = [];
  for (const m of moves) {
    if (g === "links") {
      if (m === "R") out.push(h(x, y));
      else if (m === "L") out.push(h(x - 1, y));
      else if (m === "U") out.push(v(x, y));
      else out.push(v(x, y - 1));
    } else {
      if (m === "R") out.push(v(x + 1, y));
      else if (m === "L") out.push(v(x, y));
      else if (m === "U") out.push(h(x, y + 1));
      else out.push(h(x, y));
    }
    x += STEP[m][0];
    y += STEP[m][1];
  }
  return out;
}

/**
 * The links of every placement of a path on an L × L torus — its 8 square-symmetry images at
 * every start — concatenated, `path.length` links per placement.
 */
export function placementLinks(path: string, L: number, g: Geometry): Int32Array {
  const idx: number[] = [];
  for (const img of symmetryImages(path))
    for (let y = 0; y < L; y++) for (let x = 0; x < L; x++) idx.push(...pathLinks(img, x, y, L, g));
  return Int32Array.from(idx);
}
