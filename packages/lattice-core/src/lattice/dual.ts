import type { SquareLattice } from "./square.js";

/**
 * Kramers–Wannier dual of a periodic square lattice.
 *
 * Convention: the dual lattice is itself an Lx × Ly {@link SquareLattice} (use the same object:
 * the ids below refer to it) whose site p is the plaquette p of the primal lattice, placed at the
 * plaquette centre (x + ½, y + ½) when p = (x, y). Every primal link is crossed by exactly one
 * dual link:
 * - the horizontal link h(x, y) = (x,y)–(x+1,y) is crossed by the vertical dual link v*(x, y−1),
 *   which joins the dual sites below (x, y−1) and above (x, y) it;
 * - the vertical link v(x, y) = (x,y)–(x,y+1) is crossed by the horizontal dual link h*(x−1, y),
 *   which joins the dual sites left (x−1, y) and right (x, y) of it.
 * The dual link crossing link l has id {@link dualLink}(lattice, l).
 *
 * Dual of the dual: applying the map twice gives `translateLink(l, −1, −1)`. The dual of the dual
 * lattice has its site (x, y) at (x + 1, y + 1) in primal coordinates, so as a geometric lattice it
 * *is* the primal one: dual-dual link l sits exactly where primal link translateLink(l, 1, 1) is,
 * and `translateLink(dualLink(dualLink(l)), 1, 1) === l`.
 */
export function dualLink(lattice: SquareLattice, l: number): number {
  const [x, y] = lattice.coords(l >> 1);
  return (l & 1) === 0 ? lattice.link(x, y - 1, 1) : lattice.link(x - 1, y, 0);
}

/** The primal link crossed by dual link `lStar` (inverse of {@link dualLink}). */
export function primalLink(lattice: SquareLattice, lStar: number): number {
  const [x, y] = lattice.coords(lStar >> 1);
  return (lStar & 1) === 1 ? lattice.link(x, y + 1, 0) : lattice.link(x + 1, y, 1);
}

/** `table[l]` = the dual link crossing primal link l, for every link. */
export function dualLinkTable(lattice: SquareLattice): Int32Array {
  return Int32Array.from({ length: lattice.nLinks }, (_, l) => dualLink(lattice, l));
}

/** Position of dual site p (the centre of plaquette p): (x + ½, y + ½). */
export function dualSitePosition(lattice: SquareLattice, p: number): [number, number] {
  const [x, y] = lattice.coords(p);
  return [x + 0.5, y + 0.5];
}

/**
 * Midpoint of link l in lattice coordinates (not wrapped): (x + ½, y) or (x, y + ½). With
 * `dual = true`, of dual link l, whose sites sit at (x + ½, y + ½): (x + 1, y + ½) or (x + ½, y + 1).
 */
export function linkMidpoint(lattice: SquareLattice, l: number, dual = false): [number, number] {
  const [x, y] = lattice.coords(l >> 1);
  const o = dual ? 0.5 : 0;
  return (l & 1) === 0 ? [x + 0.5 + o, y + o] : [x + o, y + 0.5 + o];
}

/**
 * Carries a primal link field onto the dual links: `out[dualLink(l)] = field[l]` (e.g. the dual
 * link variables that a duality map assigns to each primal link).
 */
export function toDualLinkField(lattice: SquareLattice, field: ArrayLike<number>): Float64Array {
  const out = new Float64Array(lattice.nLinks);
  for (let l = 0; l < lattice.nLinks; l++) out[dualLink(lattice, l)] = field[l];
  return out;
}
