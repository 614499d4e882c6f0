import { checkEven, checkInt, PhysmlInputError } from "../errors.js";

/** Direction of a link leaving a site: 0 = horizontal (+x), 1 = vertical (+y). */
export type LinkDir = 0 | 1;

/**
 * An Lx × Ly square lattice with periodic boundaries.
 *
 * Conventions (stable; every package relies on them):
 * - site index `i = y * Lx + x`, with 0 <= x < Lx, 0 <= y < Ly;
 * - link id `l = 2 * i + dir`: dir 0 joins (x, y)–(x+1, y), dir 1 joins (x, y)–(x, y+1);
 * - plaquette id `p = i` for the plaquette whose lower-left corner is site i; its corners are
 *   (x,y), (x+1,y), (x+1,y+1), (x,y+1) and its sides are
 *   bottom h(x,y), right v(x+1,y), top h(x,y+1), left v(x,y);
 * - next-nearest-neighbour bond id `b = 2 * i + k`: k 0 joins (x,y)–(x+1,y+1), k 1 joins (x,y)–(x+1,y-1).
 *
 * On very small tori (L = 1 or 2) distinct links may join the same pair of sites, and for L = 1
 * a link joins a site to itself; every count (2N links, N plaquettes, 2N nnn bonds) still holds.
 */
/** Largest side of a square lattice (2^15: the sites of one chain stay within 32-bit indices). */
export const MAX_LATTICE_SIDE = 1 << 15;

export class SquareLattice {
  readonly Lx: number;
  readonly Ly: number;
  readonly nSites: number;
  readonly nLinks: number;
  readonly nPlaquettes: number;
  /** `linkSites[2l]`, `linkSites[2l+1]`: the two endpoint sites of link l. */
  readonly linkSites: Int32Array;
  /** `neighbours[4i + k]`: the site to the right (k=0), up (1), left (2), down (3) of site i. */
  readonly neighbours: Int32Array;

  constructor(Lx: number, Ly: number = Lx) {
    checkInt("Lx", Lx, 1, MAX_LATTICE_SIDE);
    checkInt("Ly", Ly, 1, MAX_LATTICE_SIDE);
    this.Lx = Lx;
    this.Ly = Ly;
    this.nSites = Lx * Ly;
    this.nLinks = 2 * this.nSites;
    this.nPlaquettes = this.nSites;
    this.linkSites = new Int32Array(2 * this.nLinks);
    this.neighbours = new Int32Array(4 * this.nSites);
    for (let i = 0; i < this.nSites; i++) {
      const x = i % Lx;
      const y = (i - x) / Lx;
      const right = this.site(x + 1, y);
      const up = this.site(x, y + 1);
      this.linkSites[4 * i] = i;
      this.linkSites[4 * i + 1] = right;
      this.linkSites[4 * i + 2] = i;
      this.linkSites[4 * i + 3] = up;
      this.neighbours[4 * i] = right;
      this.neighbours[4 * i + 1] = up;
      this.neighbours[4 * i + 2] = this.site(x - 1, y);
      this.neighbours[4 * i + 3] = this.site(x, y - 1);
    }
  }

  #plaquetteTable: Int32Array | undefined;
  #nnnTable: Int32Array | undefined;

  /**
   * `plaquetteSiteTable[4p + k]`: corner k of plaquette p (counter-clockwise from the lower-left,
   * as in {@link plaquetteSites}). Built on first use and cached.
   */
  get plaquetteSiteTable(): Int32Array {
    if (!this.#plaquetteTable) {
      const t = new Int32Array(4 * this.nPlaquettes);
      for (let p = 0; p < this.nPlaquettes; p++) t.set(this.plaquetteSites(p), 4 * p);
      this.#plaquetteTable = t;
    }
    return this.#plaquetteTable;
  }

  /** `nnnSiteTable[2b]`, `nnnSiteTable[2b+1]`: the endpoint sites of nnn bond b. Cached. */
  get nnnSiteTable(): Int32Array {
    if (!this.#nnnTable) {
      const t = new Int32Array(4 * this.nSites);
      for (let b = 0; b < 2 * this.nSites; b++) t.set(this.nnnBondSites(b), 2 * b);
      this.#nnnTable = t;
    }
    return this.#nnnTable;
  }

  /** Site index of (x, y), wrapping both coordinates periodically. */
  site(x: number, y: number): number {
    const xx = ((x % this.Lx) + this.Lx) % this.Lx;
    const yy = ((y % this.Ly) + this.Ly) % this.Ly;
    return yy * this.Lx + xx;
  }

  /** Coordinates [x, y] of site i. */
  coords(i: number): [number, number] {
    const x = i % this.Lx;
    return [x, (i - x) / this.Lx];
  }

  /** Link id of the link leaving (x, y) in direction `dir` (coordinates wrap). */
  link(x: number, y: number, dir: LinkDir): number {
    return 2 * this.site(x, y) + dir;
  }

  /** The two endpoint sites of link l. */
  linkEnds(l: number): [number, number] {
    return [this.linkSites[2 * l], this.linkSites[2 * l + 1]];
  }

  /** The 4 corner sites of plaquette p, counter-clockwise from its lower-left corner. */
  plaquetteSites(p: number): [number, number, number, number] {
    const [x, y] = this.coords(p);
    return [p, this.site(x + 1, y), this.site(x + 1, y + 1), this.site(x, y + 1)];
  }

  /** The 4 side links of plaquette p: bottom, right, top, left. */
  plaquetteLinks(p: number): [number, number, number, number] {
    const [x, y] = this.coords(p);
    return [this.link(x, y, 0), this.link(x + 1, y, 1), this.link(x, y + 1, 0), this.link(x, y, 1)];
  }

  /** Endpoint sites of next-nearest-neighbour (diagonal) bond b = 2i + k. */
  nnnBondSites(b: number): [number, number] {
    const i = b >> 1;
    const [x, y] = this.coords(i);
    return [i, (b & 1) === 0 ? this.site(x + 1, y + 1) : this.site(x + 1, y - 1)];
  }

  /** The site reached from i by translating by (dx, dy). */
  translateSite(i: number, dx: number, dy: number): number {
    const [x, y] = this.coords(i);
    return this.site(x + dx, y + dy);
  }

  /** The link reached from l by translating by (dx, dy). */
  translateLink(l: number, dx: number, dy: number): number {
    return 2 * this.translateSite(l >> 1, dx, dy) + (l & 1);
  }

  /**
   * Checkerboard colour of every site. `colours = 2`: (x + y) mod 2, needs even Lx and Ly.
   * `colours = 4`: the 2×2 sublattice (x mod 2) + 2 (y mod 2), needs even Lx and Ly; no two
   * sites of one colour are nearest or next-nearest neighbours or share a plaquette.
   */
  colouring(colours: 2 | 4): Uint8Array {
    checkEven("Lx", this.Lx);
    checkEven("Ly", this.Ly);
    if (colours !== 2 && colours !== 4) throw new PhysmlInputError("colours", "2 or 4", colours);
    const out = new Uint8Array(this.nSites);
    for (let i = 0; i < this.nSites; i++) {
      const [x, y] = this.coords(i);
      out[i] = colours === 2 ? (x + y) & 1 : (x & 1) + 2 * (y & 1);
    }
    return out;
  }

  /** Sites of each colour class, in increasing site order (the order the samplers use). */
  colourClasses(colours: 2 | 4): Int32Array[] {
    const col = this.colouring(colours);
    const classes: number[][] = Array.from({ length: colours }, () => []);
    for (let i = 0; i < this.nSites; i++) classes[col[i]].push(i);
    return classes.map((c) => Int32Array.from(c));
  }
}

/** Creates an Lx × Ly periodic square lattice (Ly defaults to Lx). */
export function squareLattice(Lx: number, Ly: number = Lx): SquareLattice {
  return new SquareLattice(Lx, Ly);
}
