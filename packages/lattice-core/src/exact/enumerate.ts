import { PhysmlInputError } from "../errors.js";
import type { SquareLattice } from "../lattice/square.js";
import { type LinkShape, linkShape, STANDARD_SHAPES } from "../observables/shapes.js";
import { type Couplings, couplings as checkCouplings } from "../operator/couplings.js";
import { addTermOrbits, OrbitWalker, shapeMonomial, type TermOrbits } from "./orbits.js";

/**
 * Largest lattice (Lx·Ly sites) that {@link enumerate} and {@link enumerateExpectations} accept:
 * 2^25 ≈ 3.4·10^7 states (5×5) take a few seconds; 4×4 takes milliseconds.
 */
export const MAX_ENUMERATION_SITES = 25;

/**
 * Largest |coupling| accepted by {@link enumerate}: the log-weight of a state, a sum of at most
 * 6N terms of size |coupling|·1, and the energy stay far inside the double range. (At 1e308, the
 * log-weights overflowed and every result was NaN.)
 */
export const MAX_ENUMERATION_COUPLING = 1e250;

/** Options of {@link enumerate}. */
export interface EnumerateOptions {
  /** Link shapes whose features ψ_a are computed (default: the 13 {@link STANDARD_SHAPES}). */
  shapes?: readonly LinkShape[];
  /** Separations (dx, dy) for the translation-averaged two-point functions ⟨s_i s_{i+(dx,dy)}⟩. */
  separations?: readonly (readonly [number, number])[];
}

/** Exact Boltzmann averages (weight exp(−H)) from a full enumeration. */
export interface EnumerationResult {
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

function checkSize(lattice: SquareLattice): void {
  if (lattice.nSites > MAX_ENUMERATION_SITES) {
    throw new PhysmlInputError(
      "lattice.nSites",
      `at most ${MAX_ENUMERATION_SITES} sites (Lx·Ly) for exact enumeration`,
      lattice.nSites,
    );
  }
}

function termValues(s: Int32Array, t: TermOrbits, out: Float64Array): void {
  out[0] = s[t.h] + s[t.v];
  out[1] = s[t.plaquette];
  out[2] = s[t.d0] + s[t.d1];
  out[3] = s[t.site];
}

/** Number of states summed into a partial accumulator before it is folded into the total. */
const CHUNK = 4096;

/**
 * Exact enumeration of all 2^N configurations (N = Lx·Ly ≤ {@link MAX_ENUMERATION_SITES}) in
 * Gray-code order with O(1) incremental updates, for any nn / plaquette / nnn / field couplings.
 * Weights are exp(−H) rescaled on the fly, so large couplings cannot overflow.
 */
export function enumerate(
  lattice: SquareLattice,
  couplingsIn: Couplings,
  opts: EnumerateOptions = {},
): EnumerationResult {
  checkSize(lattice);
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
  const shapes = (opts.shapes ?? STANDARD_SHAPES).map((s) => linkShape(s.name, s.links));
  const seps = opts.separations ?? [];
  for (const [k, [dx, dy]] of seps.entries()) {
    if (!Number.isInteger(dx) || !Number.isInteger(dy)) {
      throw new PhysmlInputError(`separations[${k}]`, "a pair of integers [dx, dy]", `${dx},${dy}`);
    }
  }
  const N = lattice.nSites;
  const walker = new OrbitWalker(lattice);
  const terms = addTermOrbits(walker);
  const featureOrbits = shapes.map((s) => walker.add(shapeMonomial(lattice, s)));
  const pairOrbits = seps.map(([dx, dy]) => walker.add([0, lattice.site(dx, dy)]));
  walker.build();

  // Σ w·(orbit sum) for the orbits that are not Hamiltonian terms; term orbits use locals below.
  const termSet = new Set(Object.values(terms));
  const extra = Int32Array.from(
    Array.from({ length: walker.sums.length }, (_, o) => o).filter((o) => !termSet.has(o)),
  );
  const nExtra = extra.length;
  const sums = walker.sums;
  const { h: oh, v: ov, plaquette: op, d0: od0, d1: od1, site: os } = terms;
  // Accumulator layout: [Z, Σ|M|, ΣM², Σh, Σv, Σplaq, Σd0, Σd1, ΣM, ΣT_aT_b (10, a ≤ b), extras].
  const nAcc = 19 + nExtra;
  const acc = new Float64Array(nAcc);
  const tot = new Float64Array(nAcc);
  let shift = Number.NEGATIVE_INFINITY;
  // Without a field, s and −s have equal weight: enumerate half (the last spin stays +1) and
  // symmetrise at the end — odd monomials average to 0, even ones are unchanged.
  const symmetric = c.field === 0;
  const total = 2 ** (symmetric ? N - 1 : N);
  for (let k = 0; k < total; k++) {
    if (k > 0) walker.flip(31 - Math.clz32(k & -k));
    const h = sums[oh];
    const v = sums[ov];
    const d0 = sums[od0];
    const d1 = sums[od1];
    const t0 = h + v;
    const t1 = sums[op];
    const t2 = d0 + d1;
    const t3 = sums[os];
    const logW = c.nn * t0 + c.plaquette * t1 + c.nnn * t2 + c.field * t3;
    if (logW > shift) {
      const f = Math.exp(shift - logW); // 0 on the first state
      for (let j = 0; j < nAcc; j++) {
        acc[j] *= f;
        tot[j] *= f;
      }
      shift = logW;
    }
    const w = Math.exp(logW - shift);
    const w0 = w * t0;
    const w1 = w * t1;
    const w2 = w * t2;
    const w3 = w * t3;
    acc[0] += w;
    acc[1] += w * Math.abs(t3);
    acc[2] += w3 * t3;
    acc[3] += w * h;
    acc[4] += w * v;
    acc[5] += w1;
    acc[6] += w * d0;
    acc[7] += w * d1;
    acc[8] += w3;
    acc[9] += w0 * t0;
    acc[10] += w0 * t1;
    acc[11] += w0 * t2;
    acc[12] += w0 * t3;
    acc[13] += w1 * t1;
    acc[14] += w1 * t2;
    acc[15] += w1 * t3;
    acc[16] += w2 * t2;
    acc[17] += w2 * t3;
    acc[18] += w3 * t3;
    for (let e = 0; e < nExtra; e++) acc[19 + e] += w * sums[extra[e]];
    if ((k & (CHUNK - 1)) === CHUNK - 1 || k === total - 1) {
      for (let j = 0; j < nAcc; j++) {
        tot[j] += acc[j];
        acc[j] = 0;
      }
    }
  }
  if (symmetric) {
    for (const j of [8, 12, 15, 17]) tot[j] = 0;
    for (let e = 0; e < nExtra; e++) if (walker.degree(extra[e]) % 2 === 1) tot[19 + e] = 0;
    shift += Math.LN2;
  }
  const Z0 = tot[0];
  const mean = (j: number): number => tot[j] / Z0;
  const orbitMean = (o: number): number => {
    if (walker.degree(o) === 0) return N; // the empty monomial (e.g. the full plaquette) is 1 exactly
    const local = [oh, ov, op, od0, od1, os].indexOf(o);
    return local >= 0 ? mean(3 + local) : mean(19 + extra.indexOf(o));
  };
  const termMeans = Float64Array.of(mean(3) + mean(4), mean(5), mean(6) + mean(7), mean(8));
  const termCovariance = new Float64Array(16);
  for (let a = 0, j = 9; a < 4; a++) {
    for (let b = a; b < 4; b++, j++) {
      const cov = mean(j) - termMeans[a] * termMeans[b];
      termCovariance[4 * a + b] = cov;
      termCovariance[4 * b + a] = cov;
    }
  }
  const lnZ = shift + Math.log(Z0);
  const energy = -(
    c.nn * termMeans[0] +
    c.plaquette * termMeans[1] +
    c.nnn * termMeans[2] +
    c.field * termMeans[3]
  );
  return {
    Z: Math.exp(lnZ),
    lnZ,
    reducedEnergyPerSite: energy / N,
    absMagnetization: mean(1) / N,
    m2: mean(2) / (N * N),
    termMeans,
    termCovariance,
    features: Float64Array.from(featureOrbits, (o) => orbitMean(o) / N),
    twoPoint: Float64Array.from(pairOrbits, (o) => orbitMean(o) / N),
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
  checkSize(lattice);
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
  const N = lattice.nSites;
  const walker = new OrbitWalker(lattice);
  const terms = addTermOrbits(walker);
  walker.build();
  const t = new Float64Array(4);
  let acc: Float64Array | undefined;
  let z = 0;
  let shift = Number.NEGATIVE_INFINITY;
  const total = 2 ** N;
  for (let k = 0; k < total; k++) {
    if (k > 0) walker.flip(31 - Math.clz32(k & -k));
    termValues(walker.sums, terms, t);
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
