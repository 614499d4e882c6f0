// Exact enumeration of any Ising model description (up to 25 sites): all 2^N configurations in
// Gray-code order; a flip of site i negates the products of the term instances containing i an
// odd number of times, so each step costs O(instances at i).
import { checkInt, PhysmlInputError } from "../errors.js";
import { modelTables } from "../model/derive.js";
import { checkIsing, isingModelEnergy } from "../model/ising.js";
import type { Model } from "../model/types.js";
import { MAX_ENUMERATION_SITES } from "./enumerate.js";

/** Exact Boltzmann averages (weight exp(−H)) of a model description. */
export interface ModelEnumeration {
  lnZ: number;
  /** ⟨H⟩ / N. (couplings absorbed: dimensionless) */
  reducedEnergyPerSite: number;
  /** ⟨S_t⟩ per term (totals, term order). */
  termMeans: Float64Array;
  /** Cov(S_a, S_b), row-major nTerms × nTerms. */
  termCovariance: Float64Array;
  /** ⟨M⟩/N, ⟨|M|⟩/N, ⟨(M/N)²⟩ and ⟨(M/N)⁴⟩ with M = Σ s_i. */
  magnetization: number;
  absMagnetization: number;
  m2: number;
  m4: number;
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

/** Exact enumeration of an Ising model description with N ≤ 25 sites (any terms, any lattice). */
export function enumerateModel(model: Model): ModelEnumeration {
  checkIsing(model);
  const tb = modelTables(model);
  const N = tb.lattice.nSites;
  checkSites(N);
  const nT = tb.terms.length;
  const c = Float64Array.from(model.terms, (t) => t.coupling);
  // Instances (all +1 at the start: every spin +1), and per site the instances it flips.
  const instTerm: number[] = [];
  // A twisted lattice starts some instances at −1 (their sign), every spin +1.
  const instSign: number[] = [];
  const flips: number[][] = Array.from({ length: N }, () => []);
  tb.terms.forEach((t, ti) => {
    for (const { k, sites, signs } of t.instances) {
      for (let x = 0; x < sites.length; x += k) {
        const g = instTerm.length;
        instTerm.push(ti);
        instSign.push(signs ? signs[x / k] : 1);
        const count = new Map<number, number>();
        for (let q = 0; q < k; q++) count.set(sites[x + q], (count.get(sites[x + q]) ?? 0) + 1);
        for (const [site, m] of count) if (m % 2 === 1) flips[site].push(g);
      }
    }
  });
  const term = Int32Array.from(instTerm);
  const flipList = flips.map((f) => Int32Array.from(f));
  const prod = Int8Array.from(instSign);
  const S = new Float64Array(nT);
  for (let g = 0; g < term.length; g++) S[term[g]] += prod[g];
  const spins = new Int8Array(N).fill(1);
  let M = N;
  // acc: [Z, ΣM, Σ|M|, ΣM², ΣS_a (nT), ΣS_aS_b (nT²), ΣM⁴] with weights rescaled by exp(−shift).
  const nAcc = 5 + nT + nT * nT;
  const acc = new Float64Array(nAcc);
  let shift = Number.NEGATIVE_INFINITY;
  const total = 2 ** N;
  for (let k = 0; k < total; k++) {
    if (k > 0) {
      const i = 31 - Math.clz32(k & -k);
      spins[i] = -spins[i];
      M += 2 * spins[i];
      const fl = flipList[i];
      for (let j = 0; j < fl.length; j++) {
        const g = fl[j];
        S[term[g]] -= 2 * prod[g];
        prod[g] = -prod[g];
      }
    }
    let logW = 0;
    for (let t = 0; t < nT; t++) logW += c[t] * S[t];
    if (logW > shift) {
      const f = Math.exp(shift - logW);
      for (let j = 0; j < nAcc; j++) acc[j] *= f;
      shift = logW;
    }
    const w = Math.exp(logW - shift);
    acc[0] += w;
    acc[1] += w * M;
    acc[2] += w * Math.abs(M);
    acc[3] += w * M * M;
    for (let a = 0; a < nT; a++) {
      const wa = w * S[a];
      acc[4 + a] += wa;
      for (let b = 0; b < nT; b++) acc[4 + nT + a * nT + b] += wa * S[b];
    }
    acc[nAcc - 1] += w * M * M * M * M;
  }
  const Z0 = acc[0];
  const termMeans = Float64Array.from({ length: nT }, (_, a) => acc[4 + a] / Z0);
  const termCovariance = Float64Array.from(
    { length: nT * nT },
    (_, j) => acc[4 + nT + j] / Z0 - termMeans[Math.floor(j / nT)] * termMeans[j % nT],
  );
  let energy = 0;
  for (let t = 0; t < nT; t++) energy += c[t] * termMeans[t];
  return {
    lnZ: shift + Math.log(Z0),
    reducedEnergyPerSite: -energy / N,
    termMeans,
    termCovariance,
    magnetization: acc[1] / Z0 / N,
    absMagnetization: acc[2] / Z0 / N,
    m2: acc[3] / Z0 / (N * N),
    m4: acc[nAcc - 1] / Z0 / N ** 4,
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
