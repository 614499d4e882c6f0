// The exact enumerator: every Boltzmann average of an Ising model description (up to 25 sites)
// from all 2^N configurations in Gray-code order. Every tracked quantity is a translation orbit
// of a spin monomial (orbits.ts), so a flip of site i updates only the monomials containing it.
import { checkInt, PhysmlInputError } from "../errors.js";
import { modelTables } from "../model/derive.js";
import { checkIsing, isingModelEnergy } from "../model/ising.js";
import type { Model, Offset } from "../model/types.js";
import { modelOrbits, type OrbitWalker } from "./orbits.js";

/**
 * Largest lattice (sites) that {@link enumerateModel} and the enumerators built on it accept:
 * 2^25 ≈ 3.4·10^7 states (5×5) take a few seconds; 4×4 takes milliseconds.
 */
export const MAX_ENUMERATION_SITES = 25;

/**
 * Largest |coupling| an enumeration accepts: the log-weight of a state, a sum of a few terms of
 * size |coupling| per site, and the energy stay far inside the double range. (At 1e308, the
 * log-weights overflowed and every result was NaN.)
 */
export const MAX_ENUMERATION_COUPLING = 1e250;

/** Options of {@link enumerateModel}. */
export interface EnumerateModelOptions {
  /**
   * Shapes (site offsets, as a term's) whose translation sums ⟨Σ_x Π_{o ∈ shape} s_{x+o}⟩ are
   * averaged too (`observableMeans`); a site listed twice cancels (s² = 1).
   */
  observables?: readonly (readonly Offset[])[];
}

/** Exact Boltzmann averages (weight exp(−H)) of a model description. */
export interface ModelEnumeration {
  lnZ: number;
  /** ⟨H⟩ / N. (couplings absorbed: dimensionless) */
  reducedEnergyPerSite: number;
  /** ⟨S_t⟩ per term (totals, term order). */
  termMeans: Float64Array;
  /** Cov(S_a, S_b), row-major nTerms × nTerms (= ∂²ln Z/∂c_a∂c_b). */
  termCovariance: Float64Array;
  /** ⟨M⟩/N, ⟨|M|⟩/N, ⟨(M/N)²⟩ and ⟨(M/N)⁴⟩ with M = Σ s_i. */
  magnetization: number;
  absMagnetization: number;
  m2: number;
  m4: number;
  /**
   * Var(H)/N = N(⟨e²⟩ − ⟨e⟩²) with e = H/N the reduced energy per site (every coupling
   * absorbed, k_B = 1): the specific heat per site when all couplings scale as 1/T; for nn
   * alone β² Var(Σ s_i s_j)/N, as Kaufman's `specificHeatPerSite`.
   */
  specificHeatPerSite: number;
  /** N(⟨m²⟩ − ⟨|m|⟩²), Landau–Binder's χ′ (finite in the ordered phase, unlike N⟨m²⟩). */
  susceptibility: number;
  /** The Binder cumulant U₄ = 1 − ⟨m⁴⟩/(3⟨m²⟩²). */
  binderCumulant: number;
  /** ⟨Σ_x Π_{o ∈ shape} s_{x+o}⟩ per observed shape (totals over the N translates). */
  observableMeans: Float64Array;
}

/** The magnetisation moments and fluctuations of an enumeration: what every exact report carries beyond ln Z, the energy and the term means. */
export type EnumeratedMoments = Pick<
  ModelEnumeration,
  "absMagnetization" | "m2" | "m4" | "specificHeatPerSite" | "susceptibility" | "binderCumulant"
>;

/** The {@link EnumeratedMoments} of an enumeration's result, alone (in this order). */
export function enumeratedMoments(r: EnumeratedMoments): EnumeratedMoments {
  return {
    absMagnetization: r.absMagnetization,
    m2: r.m2,
    m4: r.m4,
    specificHeatPerSite: r.specificHeatPerSite,
    susceptibility: r.susceptibility,
    binderCumulant: r.binderCumulant,
  };
}

function checkSites(n: number): void {
  if (n > MAX_ENUMERATION_SITES) {
    throw new PhysmlInputError(
      "model.lattice",
      `at most ${MAX_ENUMERATION_SITES} sites for exact enumeration`,
      n,
    );
  }
}

function checkObservables(observables: readonly (readonly Offset[])[], dim: number): void {
  observables.forEach((shape, k) => {
    shape.forEach((o, p) => {
      if (!Array.isArray(o) || o.length !== dim || !o.every(Number.isSafeInteger)) {
        throw new PhysmlInputError(`observables[${k}][${p}]`, `${dim} integers (a site offset)`, String(o));
      }
    });
  });
}

/** Number of states summed into a partial accumulator before it is folded into the total. */
const CHUNK = 4096;

/**
 * Sizes of the unrolled walk: a model with at most {@link SMALL_TERMS} terms of at most
 * {@link SMALL_SHAPES} shapes each, and fewer than {@link SMALL_ORBITS} orbits, is padded to them
 * (terms that are 0, orbit sums that stay 0).
 */
const SMALL_TERMS = 4;
const SMALL_SHAPES = 3;
const SMALL_ORBITS = 8;

/** Accumulator layout: [Z, Σ|M|, ΣM², ΣM⁴, ΣM], then Σ of each orbit sum, then ΣS_aS_b. */
const ORB = 5;

/**
 * What a walk over the states needs: the walker (built, all spins +1), each term's orbits, the
 * couplings padded to `width` terms, and the accumulators ({@link ORB}; `slots` orbit sums, then
 * ΣS_aS_b for a ≤ b < width in row order), which the walk fills with weights exp(logW − shift).
 */
interface Walk {
  walker: OrbitWalker;
  termOrbits: readonly (readonly number[])[];
  width: number;
  slots: number;
  c: Float64Array;
  states: number;
  acc: Float64Array;
  tot: Float64Array;
}

/** Index of ΣS_aS_b (a ≤ b) among the accumulators. */
const pairIndex = (slots: number, width: number, a: number, b: number): number =>
  ORB + slots + a * width - (a * (a - 1)) / 2 + (b - a);

/**
 * The Gray-code step to state k > 0: flips the one spin in which k differs from k − 1 (the lowest
 * set bit of k). Returns the magnetisation M after the flip.
 */
function flipNext(walker: OrbitWalker, k: number, M: number): number {
  const i = 31 - Math.clz32(k & -k);
  walker.flip(i);
  return M + 2 * walker.spins[i];
}

/**
 * A state heavier than every one before: rescales what is accumulated by exp(shift − logW) (0 on
 * the first state), so every weight stays ≤ 1. Returns the new shift, logW.
 */
function rescale(acc: Float64Array, tot: Float64Array, shift: number, logW: number): number {
  const f = Math.exp(shift - logW);
  for (let j = 0; j < acc.length; j++) {
    acc[j] *= f;
    tot[j] *= f;
  }
  return logW;
}

/** Adds a state of weight w and magnetisation M to Z, Σ|M|, ΣM², ΣM⁴ and ΣM (see {@link ORB}). */
function addMoments(acc: Float64Array, w: number, M: number): void {
  const wM = w * M;
  acc[0] += w;
  acc[1] += w * Math.abs(M);
  acc[2] += wM * M;
  acc[3] += wM * M * M * M;
  acc[4] += wM;
}

/** Folds the partial sums into the totals (every {@link CHUNK} states and after the last), keeping each sum short. */
function fold(acc: Float64Array, tot: Float64Array): void {
  for (let j = 0; j < acc.length; j++) {
    tot[j] += acc[j];
    acc[j] = 0;
  }
}

/**
 * The walk of a small model (see {@link SMALL_TERMS}): term sums, orbit sums and the products
 * S_aS_b written out, since loops over a handful of terms cost more than their arithmetic.
 * Returns the final shift.
 */
function walkSmall(p: Walk): number {
  const { walker, acc, tot, states } = p;
  const COV = ORB + SMALL_ORBITS;
  // Term t's sum is Σ_j sums[o[3t+j]]; padding points at the last slot, which stays 0.
  const o = new Int32Array(SMALL_TERMS * SMALL_SHAPES).fill(SMALL_ORBITS - 1);
  p.termOrbits.forEach((os, t) => {
    os.forEach((orbit, j) => {
      o[SMALL_SHAPES * t + j] = orbit;
    });
  });
  const [c0, c1, c2, c3] = p.c;
  const sums = walker.sums;
  let shift = Number.NEGATIVE_INFINITY;
  let M = walker.nSites;
  for (let k = 0; k < states; k++) {
    if (k > 0) M = flipNext(walker, k, M);
    const s0 = sums[o[0]] + sums[o[1]] + sums[o[2]];
    const s1 = sums[o[3]] + sums[o[4]] + sums[o[5]];
    const s2 = sums[o[6]] + sums[o[7]] + sums[o[8]];
    const s3 = sums[o[9]] + sums[o[10]] + sums[o[11]];
    const logW = c0 * s0 + c1 * s1 + c2 * s2 + c3 * s3;
    if (logW > shift) shift = rescale(acc, tot, shift, logW);
    const w = Math.exp(logW - shift);
    addMoments(acc, w, M);
    acc[ORB] += w * sums[0];
    acc[ORB + 1] += w * sums[1];
    acc[ORB + 2] += w * sums[2];
    acc[ORB + 3] += w * sums[3];
    acc[ORB + 4] += w * sums[4];
    acc[ORB + 5] += w * sums[5];
    acc[ORB + 6] += w * sums[6];
    const w0 = w * s0;
    const w1 = w * s1;
    const w2 = w * s2;
    const w3 = w * s3;
    acc[COV] += w0 * s0;
    acc[COV + 1] += w0 * s1;
    acc[COV + 2] += w0 * s2;
    acc[COV + 3] += w0 * s3;
    acc[COV + 4] += w1 * s1;
    acc[COV + 5] += w1 * s2;
    acc[COV + 6] += w1 * s3;
    acc[COV + 7] += w2 * s2;
    acc[COV + 8] += w2 * s3;
    acc[COV + 9] += w3 * s3;
    if ((k & (CHUNK - 1)) === CHUNK - 1 || k === states - 1) fold(acc, tot);
  }
  return shift;
}

/** The walk for any number of terms and shapes: loops over them. Returns the final shift. */
function walkAny(p: Walk): number {
  const { walker, acc, tot, states, c, width: nT, slots: nO } = p;
  const COV = ORB + nO;
  // Term t's sum is Σ of the orbit sums termOrbit[termStart[t] … termStart[t+1]).
  const termStart = Int32Array.from({ length: nT + 1 }, (_, t) =>
    p.termOrbits.slice(0, t).reduce((a, os) => a + os.length, 0),
  );
  const termOrbit = Int32Array.from(p.termOrbits.flat());
  const S = new Float64Array(nT);
  const sums = walker.sums;
  let shift = Number.NEGATIVE_INFINITY;
  let M = walker.nSites;
  for (let k = 0; k < states; k++) {
    if (k > 0) M = flipNext(walker, k, M);
    let logW = 0;
    for (let t = 0; t < nT; t++) {
      let st = 0;
      for (let j = termStart[t]; j < termStart[t + 1]; j++) st += sums[termOrbit[j]];
      S[t] = st;
      logW += c[t] * st;
    }
    if (logW > shift) shift = rescale(acc, tot, shift, logW);
    const w = Math.exp(logW - shift);
    addMoments(acc, w, M);
    for (let q = 0; q < nO; q++) acc[ORB + q] += w * sums[q];
    for (let a = 0, j = COV; a < nT; a++) {
      const wa = w * S[a];
      for (let b = a; b < nT; b++, j++) acc[j] += wa * S[b];
    }
    if ((k & (CHUNK - 1)) === CHUNK - 1 || k === states - 1) fold(acc, tot);
  }
  return shift;
}

/**
 * Exact enumeration of an Ising model description with N ≤ {@link MAX_ENUMERATION_SITES} sites
 * (any terms, any lattice, twisted or not). Weights are exp(−H) rescaled on the fly, so large
 * couplings cannot overflow; a model symmetric under s → −s (every term even) is enumerated on
 * half the states.
 */
export function enumerateModel(model: Model, opts: EnumerateModelOptions = {}): ModelEnumeration {
  checkIsing(model);
  const tb = modelTables(model);
  const N = tb.lattice.nSites;
  checkSites(N);
  model.terms.forEach((t, k) => {
    if (Math.abs(t.coupling) > MAX_ENUMERATION_COUPLING) {
      throw new PhysmlInputError(
        `model.terms[${k}].coupling`,
        `a number in [-${MAX_ENUMERATION_COUPLING}, ${MAX_ENUMERATION_COUPLING}]`,
        t.coupling,
      );
    }
  });
  const observables = opts.observables ?? [];
  checkObservables(observables, tb.lattice.dim);
  const { walker, termOrbits, observableOrbits } = modelOrbits(tb, observables);
  const nT = termOrbits.length;
  const nO = walker.orbitCount;
  const small = nT <= SMALL_TERMS && termOrbits.every((os) => os.length <= SMALL_SHAPES) && nO < SMALL_ORBITS;
  const width = small ? SMALL_TERMS : nT;
  const slots = small ? SMALL_ORBITS : nO;
  walker.build(slots);
  const c = Float64Array.from({ length: width }, (_, t) => (t < nT ? model.terms[t].coupling : 0));
  const odd = (o: number) => walker.degree(o) % 2 === 1;
  // A term of odd and even shapes has no definite Z₂ charge: then every state is visited.
  const termParity = termOrbits.map((os) => (os.every(odd) ? 1 : os.some(odd) ? -1 : 0));
  // Without an odd term that acts, s and −s have equal weight: enumerate half (the last spin stays
  // +1) and symmetrise at the end — odd monomials average to 0, even ones are unchanged.
  const symmetric =
    termParity.every((p) => p >= 0) && model.terms.every((t, k) => t.coupling === 0 || termParity[k] === 0);
  const nAcc = pairIndex(slots, width, width - 1, width - 1) + 1;
  const acc = new Float64Array(nAcc);
  const tot = new Float64Array(nAcc);
  const states = 2 ** (symmetric ? N - 1 : N);
  const walk: Walk = { walker, termOrbits, width, slots, c, states, acc, tot };
  let shift = small ? walkSmall(walk) : walkAny(walk);
  const pair = (a: number, b: number) => pairIndex(slots, width, Math.min(a, b), Math.max(a, b));
  if (symmetric) {
    tot[4] = 0;
    for (let o = 0; o < nO; o++) if (odd(o)) tot[ORB + o] = 0;
    for (let a = 0; a < nT; a++)
      for (let b = a; b < nT; b++) if (termParity[a] !== termParity[b]) tot[pair(a, b)] = 0;
    shift += Math.LN2;
  }
  const Z0 = tot[0];
  const mean = (j: number): number => tot[j] / Z0;
  const termMeans = new Float64Array(nT);
  termOrbits.forEach((os, t) => {
    for (const o of os) termMeans[t] += mean(ORB + o);
  });
  const termCovariance = new Float64Array(nT * nT);
  for (let a = 0; a < nT; a++) {
    for (let b = a; b < nT; b++) {
      const cov = mean(pair(a, b)) - termMeans[a] * termMeans[b];
      termCovariance[a * nT + b] = cov;
      termCovariance[b * nT + a] = cov;
    }
  }
  let energy = 0;
  for (let t = 0; t < nT; t++) energy += c[t] * termMeans[t];
  let varH = 0;
  for (let a = 0; a < nT; a++) for (let b = 0; b < nT; b++) varH += c[a] * c[b] * termCovariance[a * nT + b];
  const absMagnetization = mean(1) / N;
  const m2 = mean(2) / (N * N);
  const m4 = mean(3) / N ** 4;
  return {
    lnZ: shift + Math.log(Z0),
    reducedEnergyPerSite: -energy / N,
    termMeans,
    termCovariance,
    magnetization: mean(4) / N,
    absMagnetization,
    m2,
    m4,
    // A variance is never negative; rounding of ⟨S_aS_b⟩ − ⟨S_a⟩⟨S_b⟩ could make it −0.
    specificHeatPerSite: Math.max(0, varH / N),
    susceptibility: N * (m2 - absMagnetization ** 2),
    binderCumulant: 1 - m4 / (3 * m2 ** 2),
    // A degree-0 monomial (e.g. the product of a closed loop of links) is constant: exactly.
    observableMeans: Float64Array.from(observableOrbits, (o) =>
      walker.degree(o) === 0 ? walker.constantSum(o) : mean(ORB + o),
    ),
  };
}

/** Largest lattice for {@link isingStateProbabilities} (2^20 states). */
export const MAX_STATE_TABLE_SITES = 20;

/**
 * Every configuration of N Ising spins, state k at offset k·N, in {@link isingStateProbabilities}'
 * order (spin i = −1 iff bit i of k is set): the samples an exact average over all states weighs.
 */
export function isingStateTable(N: number): Int8Array {
  checkInt("N", N, 1, MAX_STATE_TABLE_SITES);
  const s = new Int8Array(2 ** N * N);
  for (let k = 0; k < 2 ** N; k++) for (let i = 0; i < N; i++) s[k * N + i] = (k >> i) & 1 ? -1 : 1;
  return s;
}

/**
 * The exact probability of every configuration: entry k is the state with spin i = −1 iff bit
 * i of k is set. For χ² tests of samplers on tiny lattices (N ≤ 20).
 */
export function isingStateProbabilities(model: Model): Float64Array {
  checkIsing(model);
  const N = modelTables(model).lattice.nSites;
  if (N > MAX_STATE_TABLE_SITES) {
    throw new PhysmlInputError(
      "model.lattice",
      `at most ${MAX_STATE_TABLE_SITES} sites for a state table`,
      N,
    );
  }
  const p = new Float64Array(2 ** N);
  const s = new Int8Array(N);
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < p.length; k++) {
    for (let i = 0; i < N; i++) s[i] = (k >> i) & 1 ? -1 : 1;
    p[k] = -isingModelEnergy(model, s);
    max = Math.max(max, p[k]);
  }
  let z = 0;
  for (let k = 0; k < p.length; k++) z += p[k] = Math.exp(p[k] - max);
  for (let k = 0; k < p.length; k++) p[k] /= z;
  return p;
}
