// Shared helper of the mcmc-* physics tests: exact distribution of the term-sum vector
// [S_nn, S_plaq, S_nnn, M] on a small lattice by brute-force enumeration, and a χ² test of a
// Monte Carlo histogram against it with the sample size reduced by the autocorrelation time.
import { type Couplings, type SquareLattice, termSums } from "@physml/lattice-core";

// Term-sum vectors of all 2^N configurations, grouped: key → list of vectors (all equal) count.
const levelsCache = new Map<string, Map<string, { terms: number[]; count: number }>>();

function termLevels(lattice: SquareLattice): Map<string, { terms: number[]; count: number }> {
  const id = `${lattice.Lx}x${lattice.Ly}`;
  const cached = levelsCache.get(id);
  if (cached) return cached;
  const N = lattice.nSites;
  const spins = new Int8Array(N);
  const levels = new Map<string, { terms: number[]; count: number }>();
  for (let k = 0; k < 2 ** N; k++) {
    for (let i = 0; i < N; i++) spins[i] = (k >> i) & 1 ? -1 : 1;
    const t = Array.from(termSums(lattice, spins));
    const key = t.join(",");
    const level = levels.get(key);
    if (level) level.count++;
    else levels.set(key, { terms: t, count: 1 });
  }
  levelsCache.set(id, levels);
  return levels;
}

/** Exact probability of each distinct term-sum vector (key "S_nn,S_plaq,S_nnn,M"). */
export function exactTermDistribution(lattice: SquareLattice, c: Couplings): Map<string, number> {
  const levels = termLevels(lattice);
  const logW = (t: number[]) => c.nn * t[0] + c.plaquette * t[1] + c.nnn * t[2] + c.field * t[3];
  let max = Number.NEGATIVE_INFINITY;
  for (const { terms } of levels.values()) max = Math.max(max, logW(terms));
  const out = new Map<string, number>();
  let z = 0;
  for (const [key, { terms, count }] of levels) {
    const p = count * Math.exp(logW(terms) - max);
    out.set(key, p);
    z += p;
  }
  for (const [key, p] of out) out.set(key, p / z);
  return out;
}

/** Upper χ² quantile by Wilson–Hilferty, z standard deviations out (z = 4: p ≈ 3·10⁻⁵). */
export function chiSquareQuantile(df: number, z = 4): number {
  const a = 2 / (9 * df);
  return df * (1 - a + z * Math.sqrt(a)) ** 3;
}

export interface ChiSquareResult {
  chi2: number;
  df: number;
  critical: number;
  nEff: number;
}

/**
 * χ² of the observed term vectors (rows of 4 in `terms`, `rows` of them) against `exact`,
 * with effective sample size rows / (2 τ_int). Bins whose expected effective count is below 5
 * are pooled into one.
 */
export function chiSquare(
  terms: Float64Array,
  rows: number,
  exact: Map<string, number>,
  tauInt: number,
): ChiSquareResult {
  const counts = new Map<string, number>();
  for (let r = 0; r < rows; r++) {
    const key = Array.from(terms.subarray(4 * r, 4 * r + 4)).join(",");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const scale = Math.max(0.5, tauInt) * 2;
  const nEff = rows / scale;
  let chi2 = 0;
  let bins = 0;
  let restP = 0;
  let restO = 0;
  for (const [key, p] of exact) {
    const o = counts.get(key) ?? 0;
    counts.delete(key);
    if (nEff * p < 5) {
      restP += p;
      restO += o;
      continue;
    }
    chi2 += (o - rows * p) ** 2 / (rows * p);
    bins++;
  }
  // A visited state with zero exact probability would be a bug: count it against the rest bin.
  for (const o of counts.values()) restO += o;
  if (restP > 0) {
    chi2 += (restO - rows * restP) ** 2 / (rows * restP);
    bins++;
  }
  const df = bins - 1;
  return { chi2: chi2 / scale, df, critical: chiSquareQuantile(df), nEff };
}
