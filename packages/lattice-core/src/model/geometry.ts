// Periodic hypercubic geometry of a model's lattice: site i = x + Lx·(y + Ly·z).
import type { LatticeSpec, Offset } from "./types.js";

/** The sides of a lattice spec, one per dimension. */
export function latticeSides(spec: LatticeSpec): number[] {
  // (The twist, if any, is spec.twist: see PeriodicLattice.)
  if (spec.kind === "chain") return [spec.L];
  if (spec.kind === "square") return [spec.Lx, spec.Ly];
  return [spec.L, spec.L, spec.L];
}

/** The number of sites of a lattice spec, from its sides (no tables of that size are built). */
export function latticeSiteCount(spec: LatticeSpec): number {
  return latticeSides(spec).reduce((a, b) => a * b, 1);
}

/**
 * A periodic lattice with sides `sides` (site 0 at the origin, x fastest); `twist[d]` makes the
 * boundary along axis d antiperiodic for Z2-odd spins (see {@link PeriodicLattice.shiftSign}).
 */
export class PeriodicLattice {
  readonly sides: readonly number[];
  readonly dim: number;
  readonly nSites: number;
  readonly twist: readonly boolean[];
  /** True when some axis is twisted. */
  readonly twisted: boolean;

  constructor(sides: readonly number[], twist: readonly boolean[] = []) {
    this.sides = sides;
    this.dim = sides.length;
    this.nSites = sides.reduce((a, b) => a * b, 1);
    this.twist = sides.map((_, d) => twist[d] === true);
    this.twisted = this.twist.some((t) => t);
  }

  /**
   * The sign a spin picks up when reached from site i by the offset o: −1 to the power of the
   * number of times the path wraps a twisted axis (s_{x + L e_d} = −s_x there); 1 without twist.
   */
  shiftSign(i: number, o: Offset): 1 | -1 {
    if (!this.twisted) return 1;
    const x = this.coords(i);
    let wraps = 0;
    for (let d = 0; d < this.dim; d++) {
      if (this.twist[d]) wraps += Math.floor((x[d] + o[d]) / this.sides[d]);
    }
    return (wraps & 1) === 0 ? 1 : -1;
  }

  /** Coordinates of site i. */
  coords(i: number): number[] {
    const out: number[] = [];
    for (const L of this.sides) {
      const x = i % L;
      out.push(x);
      i = (i - x) / L;
    }
    return out;
  }

  /** Site of the coordinates `x` (wrapped periodically). */
  site(x: Offset): number {
    let i = 0;
    for (let d = this.dim - 1; d >= 0; d--) {
      const L = this.sides[d];
      i = i * L + (((x[d] % L) + L) % L);
    }
    return i;
  }

  /** The site reached from i by the offset o. */
  shift(i: number, o: Offset): number {
    const x = this.coords(i);
    return this.site(x.map((v, d) => v + o[d]));
  }

  /** True when the offset is a period of the lattice (it maps every site to itself). */
  isPeriod(o: Offset): boolean {
    return o.every((v, d) => v % this.sides[d] === 0);
  }
}
