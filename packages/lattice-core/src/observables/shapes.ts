import { PhysmlInputError } from "../errors.js";
import type { LinkDir, SquareLattice } from "../lattice/square.js";

/** A link at offset (dx, dy) from an anchor site, leaving it in direction `dir`. */
export interface LinkOffset {
  dx: number;
  dy: number;
  dir: LinkDir;
}

/**
 * A link shape: a set of link offsets. Its feature for a link field f is
 * ψ(f) = (1/N) Σ_{translations r} Π_{l ∈ shape} f(l + r).
 */
export interface LinkShape {
  name: string;
  links: readonly LinkOffset[];
}

// Sides of the plaquette anchored at (0, 0).
const bottom: LinkOffset = { dx: 0, dy: 0, dir: 0 };
const right: LinkOffset = { dx: 1, dy: 0, dir: 1 };
const top: LinkOffset = { dx: 0, dy: 1, dir: 0 };
const left: LinkOffset = { dx: 0, dy: 0, dir: 1 };

/**
 * The 13 standard shapes of duality learning: the horizontal and vertical link, the four
 * L-shapes (two plaquette sides meeting at a corner), the two pairs of opposite plaquette
 * sides, the four U-shapes (three sides of a plaquette) and the full plaquette.
 */
export const STANDARD_SHAPES: readonly LinkShape[] = Object.freeze([
  { name: "h", links: [bottom] },
  { name: "v", links: [left] },
  { name: "L_bottom_left", links: [bottom, left] },
  { name: "L_bottom_right", links: [bottom, right] },
  { name: "L_top_right", links: [top, right] },
  { name: "L_top_left", links: [top, left] },
  { name: "pair_bottom_top", links: [bottom, top] },
  { name: "pair_left_right", links: [left, right] },
  { name: "U_open_top", links: [left, bottom, right] },
  { name: "U_open_right", links: [top, left, bottom] },
  { name: "U_open_bottom", links: [right, top, left] },
  { name: "U_open_left", links: [bottom, right, top] },
  { name: "plaquette", links: [bottom, right, top, left] },
]);

/** Defines a user shape after checking that its links are distinct and well formed. */
export function linkShape(name: string, links: readonly LinkOffset[]): LinkShape {
  if (links.length === 0) throw new PhysmlInputError(`shape ${name}.links`, "at least one link", 0);
  const seen = new Set<string>();
  for (const [k, o] of links.entries()) {
    if (!Number.isInteger(o.dx) || !Number.isInteger(o.dy)) {
      throw new PhysmlInputError(`shape ${name}.links[${k}]`, "integer dx and dy", `${o.dx},${o.dy}`);
    }
    if (o.dir !== 0 && o.dir !== 1)
      throw new PhysmlInputError(`shape ${name}.links[${k}].dir`, "0 or 1", o.dir);
    const key = `${o.dx},${o.dy},${o.dir}`;
    if (seen.has(key)) throw new PhysmlInputError(`shape ${name}.links`, "distinct links", key);
    seen.add(key);
  }
  return { name, links: links.map((o) => ({ ...o })) };
}

/**
 * Index table of a shape on a lattice: row i (the translation anchored at site i) holds the
 * link ids of the shape's links, so `table[i * k + j]` is link j of translation i (k = shape size).
 */
export function shapeLinkTable(lattice: SquareLattice, shape: LinkShape): Int32Array {
  const k = shape.links.length;
  const table = new Int32Array(lattice.nSites * k);
  for (let i = 0; i < lattice.nSites; i++) {
    const [x, y] = lattice.coords(i);
    for (let j = 0; j < k; j++) {
      const o = shape.links[j];
      table[i * k + j] = lattice.link(x + o.dx, y + o.dy, o.dir);
    }
  }
  return table;
}

/** Link variables x_l = s_i s_j for every link of a ±1 configuration. */
export function linkVariables(lattice: SquareLattice, spins: Int8Array): Int8Array {
  if (spins.length !== lattice.nSites) {
    throw new PhysmlInputError("spins.length", `${lattice.nSites} (= Lx·Ly)`, spins.length);
  }
  const x = new Int8Array(lattice.nLinks);
  const ls = lattice.linkSites;
  for (let l = 0; l < lattice.nLinks; l++) x[l] = spins[ls[2 * l]] * spins[ls[2 * l + 1]];
  return x;
}

/** ψ(f): the translation average of the product of the link field f over the shape. */
export function shapeFeature(lattice: SquareLattice, shape: LinkShape, f: ArrayLike<number>): number {
  if (f.length !== lattice.nLinks) {
    throw new PhysmlInputError("linkField.length", `${lattice.nLinks} (= 2·Lx·Ly)`, f.length);
  }
  const table = shapeLinkTable(lattice, shape);
  const k = shape.links.length;
  let sum = 0;
  for (let i = 0; i < lattice.nSites; i++) {
    let prod = 1;
    for (let j = 0; j < k; j++) prod *= f[table[i * k + j]];
    sum += prod;
  }
  return sum / lattice.nSites;
}

/** ψ_a(f) for every shape a (defaults to the 13 standard shapes). */
export function shapeFeatures(
  lattice: SquareLattice,
  f: ArrayLike<number>,
  shapes: readonly LinkShape[] = STANDARD_SHAPES,
): Float64Array {
  return Float64Array.from(shapes, (s) => shapeFeature(lattice, s, f));
}
