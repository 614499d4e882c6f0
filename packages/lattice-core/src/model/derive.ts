// Everything coupling-independent that is derived from a model description, built once per
// geometry: term instances (for term sums and energies), the single-site stencil (for ΔE and
// local fields), the layout of the ΔE table and a proper colouring.
import { type Colouring, stencilColouring } from "./colouring.js";
import { latticeSides, PeriodicLattice } from "./geometry.js";
import type { Model, Offset, Spin } from "./types.js";

/** One occurrence of a site in a term shape, seen from that site: the other sites' offsets. */
export interface StencilPosition {
  /** Indices into {@link ModelTables.neighbourOffsets} of the other sites of the instance. */
  readonly others: readonly number[];
}

/** The instances of one shape: see {@link shapeInstances}. */
export interface ShapeInstances {
  readonly k: number;
  readonly sites: Int32Array;
  readonly signs: Int8Array | null;
}

/** Derived data of one term. */
export interface TermTables {
  readonly name: string;
  /**
   * Per shape: its site count k, `sites[x·k + p]` = site of offset p of the instance at x, and on
   * a twisted lattice `signs[x]` = ±1, the sign the twist gives the instance's product (null
   * when periodic: every sign is 1).
   */
  readonly instances: readonly ShapeInstances[];
  /** Occurrences of a site in shapes with k ≥ 2 (their products vary with the neighbours). */
  readonly positions: readonly StencilPosition[];
  /** Occurrences of a site in 1-site shapes (a field): their local value is the spin itself. */
  readonly fieldCount: number;
}

/** Derived, coupling-independent tables of a model (see {@link modelTables}). */
export interface ModelTables {
  readonly spin: Spin;
  readonly lattice: PeriodicLattice;
  readonly terms: readonly TermTables[];
  /** Distinct offsets from a site to the sites it shares a term with (the stencil). */
  readonly neighbourOffsets: readonly Offset[];
  /** `neighbours[i·nNb + m]` = site i + neighbourOffsets[m]. */
  readonly neighbours: Int32Array;
  /**
   * On a twisted lattice, `neighbourSigns[i·nNb + m]` = ±1: the neighbour's spin enters the
   * stencil of site i multiplied by it (null when periodic). Shapes are even there, so the
   * signed stencil of every site gives the same instance products as `instances[].signs`.
   */
  readonly neighbourSigns: Int8Array | null;
  /**
   * Null when the single-site stencil is exact; otherwise why not (a term instance visits one
   * site twice on this small lattice), and ΔE must come from full energies.
   */
  readonly degenerate: string | null;
  /**
   * Ising ΔE table layout: the local value of term t takes `radix[t]` values; the table index
   * of a site is `(s > 0 ? half : 0) + Σ_t stride[t]·(v_t + positions_t)/2` with v_t the sum
   * of the neighbour products of term t.
   */
  readonly radix: readonly number[];
  readonly stride: readonly number[];
  readonly half: number;
  /** A proper colouring for the terms with nonzero couplings. */
  readonly colouring: Colouring;
  /** Which terms the colouring separates (nonzero couplings when derived). */
  readonly colouredTerms: readonly boolean[];
}

const cache = new Map<string, ModelTables>();
const byObject = new WeakMap<Model, ModelTables>();

const geometryKeys = new WeakMap<Model, string>();

function key(m: Model): string {
  let g = geometryKeys.get(m);
  if (g === undefined) {
    g = JSON.stringify([m.spin, m.lattice, m.terms.map((t) => t.shapes)]);
    geometryKeys.set(m, g);
  }
  let mask = "";
  for (const t of m.terms) mask += t.coupling !== 0 ? "1" : "0";
  return `${mask}${g}`;
}

/**
 * Records that `to` has the geometry (spin, lattice, shapes) of `from`, so looking up its
 * tables skips serialising the shapes (models made by `withCouplings`).
 */
export function inheritGeometry(from: Model, to: Model): void {
  key(from);
  const g = geometryKeys.get(from);
  if (g !== undefined) geometryKeys.set(to, g);
}

/**
 * The derived tables of a model, cached per geometry (spin, lattice, term shapes and which
 * couplings are nonzero: the colouring only separates sites that share an active term).
 */
export function modelTables(model: Model): ModelTables {
  const known = byObject.get(model);
  if (known) return known;
  const k = key(model);
  let t = cache.get(k);
  if (!t) {
    t = build(model);
    if (cache.size > 64) cache.clear();
    cache.set(k, t);
  }
  byObject.set(model, t);
  return t;
}

const sub = (a: Offset, b: Offset): number[] => a.map((v, d) => v - b[d]);

/**
 * The N translates of a shape (site offsets from x): `sites[x·k + p]` = the site of offset p of
 * the instance at x, and on a twisted lattice `signs[x]` = ±1, the sign the twist gives its
 * product (null when periodic).
 */
export function shapeInstances(lat: PeriodicLattice, shape: readonly Offset[]): ShapeInstances {
  const N = lat.nSites;
  const k = shape.length;
  const sites = new Int32Array(N * k);
  for (let x = 0; x < N; x++) for (let p = 0; p < k; p++) sites[x * k + p] = lat.shift(x, shape[p]);
  let signs: Int8Array | null = null;
  if (lat.twisted) {
    signs = new Int8Array(N);
    for (let x = 0; x < N; x++) {
      let sg = 1;
      for (let p = 0; p < k; p++) sg *= lat.shiftSign(x, shape[p]);
      signs[x] = sg;
    }
  }
  return { k, sites, signs };
}

function build(model: Model): ModelTables {
  const lat = new PeriodicLattice(latticeSides(model.lattice), model.lattice.twist);
  const N = lat.nSites;
  const offsetIndex = new Map<string, number>();
  const neighbourOffsets: Offset[] = [];
  const indexOf = (o: Offset): number => {
    const s = o.join(",");
    let j = offsetIndex.get(s);
    if (j === undefined) {
      j = neighbourOffsets.length;
      offsetIndex.set(s, j);
      neighbourOffsets.push(o);
    }
    return j;
  };
  let degenerate: string | null = null;
  const terms: TermTables[] = model.terms.map((term) => {
    const positions: StencilPosition[] = [];
    let fieldCount = 0;
    const instances = term.shapes.map((shape, si) => {
      const kk = shape.length;
      const at0 = shape.map((o) => lat.site(o));
      if (new Set(at0).size !== kk && !degenerate) {
        degenerate = `term ${term.name} shape ${si} visits a site twice on this lattice`;
      }
      if (kk === 1) fieldCount++;
      else
        for (let p = 0; p < kk; p++) {
          positions.push({ others: shape.filter((_, q) => q !== p).map((o) => indexOf(sub(o, shape[p]))) });
        }
      return shapeInstances(lat, shape);
    });
    return { name: term.name, instances, positions, fieldCount };
  });
  const nNb = neighbourOffsets.length;
  const neighbours = new Int32Array(N * nNb);
  for (let i = 0; i < N; i++)
    for (let m = 0; m < nNb; m++) neighbours[i * nNb + m] = lat.shift(i, neighbourOffsets[m]);
  let neighbourSigns: Int8Array | null = null;
  if (lat.twisted) {
    neighbourSigns = new Int8Array(N * nNb);
    for (let i = 0; i < N; i++)
      for (let m = 0; m < nNb; m++) neighbourSigns[i * nNb + m] = lat.shiftSign(i, neighbourOffsets[m]);
  }
  const radix = terms.map((t) => t.positions.length + 1);
  const stride = radix.map((_, t) => radix.slice(t + 1).reduce((a, b) => a * b, 1));
  const half = radix.reduce((a, b) => a * b, 1);
  // Two sites interact iff they are in one instance of a term with a nonzero coupling: every
  // pairwise difference of such a shape.
  const diffs: Offset[] = [];
  for (const term of model.terms.filter((t) => t.coupling !== 0))
    for (const shape of term.shapes)
      for (const a of shape) for (const b of shape) if (a !== b) diffs.push(sub(a, b));
  const colouring = stencilColouring(lat, diffs, (i) => diffs.map((d) => lat.shift(i, d)));
  return {
    spin: model.spin,
    lattice: lat,
    terms,
    neighbourOffsets,
    neighbours,
    neighbourSigns,
    degenerate,
    radix,
    stride,
    half,
    colouring,
    colouredTerms: model.terms.map((t) => t.coupling !== 0),
  };
}
