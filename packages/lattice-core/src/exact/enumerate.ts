// The standard square-lattice view of the exact enumerator (enumerate-model.ts): the four
// couplings as a model description, the link-shape features and two-point functions as observed
// shapes; and ⟨f⟩ of any function of the configuration.
import { PhysmlInputError } from "../errors.js";
import type { SquareLattice } from "../lattice/square.js";
import { modelTables } from "../model/derive.js";
import { standardSquareModel } from "../model/standard.js";
import { type LinkShape, linkShape, STANDARD_SHAPES } from "../observables/shapes.js";
import { type Couplings, couplings as checkCouplings } from "../operator/couplings.js";
import {
  enumeratedMoments,
  enumerateModel,
  MAX_ENUMERATION_COUPLING,
  MAX_ENUMERATION_SITES,
  type ModelEnumeration,
} from "./enumerate-model.js";
import { modelOrbits, shapeMonomial } from "./orbits.js";

/** The term sums `[S_nn, S_plaq, S_nnn, M]`: each term's orbit sums added. */
function termSums(sums: Int32Array, termOrbits: readonly (readonly number[])[], out: Float64Array): void {
  termOrbits.forEach((os, t) => {
    let s = 0;
    for (const o of os) s += sums[o];
    out[t] = s;
  });
}

/** Options of {@link enumerate}. */
export interface EnumerateOptions {
  /** Link shapes whose features ψ_a are computed (default: the 13 {@link STANDARD_SHAPES}). */
  shapes?: readonly LinkShape[];
  /** Separations (dx, dy) for the translation-averaged two-point functions ⟨s_i s_{i+(dx,dy)}⟩. */
  separations?: readonly (readonly [number, number])[];
}

/**
 * Exact Boltzmann averages (weight exp(−H)) from a full enumeration; the moments and
 * fluctuations (`m4`, `specificHeatPerSite`, `susceptibility`, `binderCumulant`) are
 * {@link enumerateModel}'s.
 */
export interface EnumerationResult
  extends Pick<ModelEnumeration, "m4" | "specificHeatPerSite" | "susceptibility" | "binderCumulant"> {
  Z: number;
  lnZ: number;
  /** ⟨H⟩ / N with H as given by the couplings (β absorbed, so dimensionless). */
  reducedEnergyPerSite: number;
  /** ⟨|M|⟩ / N. */
  absMagnetization: number;
  /** ⟨(M/N)²⟩. */
  m2: number;
  /** ⟨[S_nn, S_plaq, S_nnn, M]⟩ (totals, not per site). */
  termMeans: Float64Array;
  /** Cov(S_a, S_b), 4×4 row-major in the order of `termMeans` (= ∂²ln Z/∂c_a∂c_b). */
  termCovariance: Float64Array;
  /** ⟨ψ_a⟩ per shape, in the order of `shapes` (default the 13 standard shapes). */
  features: Float64Array;
  /** ⟨(1/N) Σ_i s_i s_{i+r}⟩ per separation r. */
  twoPoint: Float64Array;
}

/** Checks the size and couplings of an enumeration of the standard terms, naming each field. */
function checkInputs(lattice: SquareLattice, couplingsIn: Couplings): Couplings {
  if (lattice.nSites > MAX_ENUMERATION_SITES) {
    throw new PhysmlInputError(
      "lattice.nSites",
      `at most ${MAX_ENUMERATION_SITES} sites (Lx·Ly) for exact enumeration`,
      lattice.nSites,
    );
  }
  const c = checkCouplings(couplingsIn);
  for (const [name, v] of Object.entries(c)) {
    if (Math.abs(v) > MAX_ENUMERATION_COUPLING) {
      throw new PhysmlInputError(
        `couplings.${name}`,
        `a number in [-${MAX_ENUMERATION_COUPLING}, ${MAX_ENUMERATION_COUPLING}]`,
        v,
      );
    }
  }
  return c;
}

/**
 * Exact enumeration of all 2^N configurations (N = Lx·Ly ≤ {@link MAX_ENUMERATION_SITES}) of the
 * nn / plaquette / nnn / field couplings on a torus: {@link enumerateModel} of
 * {@link standardSquareModel}, with the link-shape features and two-point functions observed.
 */
export function enumerate(
  lattice: SquareLattice,
  couplingsIn: Couplings,
  opts: EnumerateOptions = {},
): EnumerationResult {
  const c = checkInputs(lattice, couplingsIn);
  const shapes = (opts.shapes ?? STANDARD_SHAPES).map((s) => linkShape(s.name, s.links));
  const seps = opts.separations ?? [];
  for (const [k, [dx, dy]] of seps.entries()) {
    if (!Number.isInteger(dx) || !Number.isInteger(dy)) {
      throw new PhysmlInputError(`separations[${k}]`, "a pair of integers [dx, dy]", `${dx},${dy}`);
    }
  }
  const N = lattice.nSites;
  // Monomials anchored at site 0 = (0, 0), as offsets.
  const offsets = (sites: readonly number[]) => sites.map((s) => lattice.coords(s));
  const observables = [
    ...shapes.map((s) => offsets(shapeMonomial(lattice, s))),
    ...seps.map(([dx, dy]) => offsets([0, lattice.site(dx, dy)])),
  ];
  const r = enumerateModel(standardSquareModel(lattice.Lx, lattice.Ly, c), { observables });
  const perSite = Float64Array.from(r.observableMeans, (v) => v / N);
  return {
    Z: Math.exp(r.lnZ),
    lnZ: r.lnZ,
    reducedEnergyPerSite: r.reducedEnergyPerSite,
    ...enumeratedMoments(r),
    termMeans: r.termMeans,
    termCovariance: r.termCovariance,
    features: perSite.slice(0, shapes.length),
    twoPoint: perSite.slice(shapes.length),
  };
}

/**
 * Exact ⟨f⟩ for any vector-valued f of the configuration. `f(spins, terms)` is called once per
 * configuration with the live spin array (do not modify or keep it; copy if needed) and the term
 * sums `[S_nn, S_plaq, S_nnn, M]` of that configuration; it must return the same number of finite
 * values every time. N ≤ {@link MAX_ENUMERATION_SITES}; each call costs, so prefer
 * {@link enumerate} for what it covers.
 */
export function enumerateExpectations(
  lattice: SquareLattice,
  couplingsIn: Couplings,
  f: (spins: Int8Array, terms: Float64Array) => ArrayLike<number>,
): Float64Array {
  const c = checkInputs(lattice, couplingsIn);
  const N = lattice.nSites;
  const { walker, termOrbits } = modelOrbits(modelTables(standardSquareModel(lattice.Lx, lattice.Ly, c)));
  walker.build();
  const t = new Float64Array(4);
  let acc: Float64Array | undefined;
  let z = 0;
  let shift = Number.NEGATIVE_INFINITY;
  const total = 2 ** N;
  for (let k = 0; k < total; k++) {
    if (k > 0) walker.flip(31 - Math.clz32(k & -k));
    termSums(walker.sums, termOrbits, t);
    const logW = c.nn * t[0] + c.plaquette * t[1] + c.nnn * t[2] + c.field * t[3];
    const value = f(walker.spins, t);
    if (!acc) acc = new Float64Array(value.length);
    if (value.length !== acc.length) {
      throw new PhysmlInputError("f(...).length", `${acc.length} on every call`, value.length);
    }
    if (logW > shift) {
      const r = Math.exp(shift - logW);
      z *= r;
      for (let j = 0; j < acc.length; j++) acc[j] *= r;
      shift = logW;
    }
    const w = Math.exp(logW - shift);
    z += w;
    for (let j = 0; j < acc.length; j++) acc[j] += w * value[j];
  }
  const out = Float64Array.from(acc ?? [], (v) => v / z);
  for (let j = 0; j < out.length; j++) {
    if (!Number.isFinite(out[j])) throw new PhysmlInputError(`f(...)[${j}]`, "finite values", out[j]);
  }
  return out;
}
