// The fluctuation observables of a `physml mcmc` run — specific heat, susceptibility and Binder
// cumulant — from the per-chain series of the reduced energy per site and |m|, each with a
// blocked-jackknife error whose blocks are long compared with the slowest τ_int of its inputs.
import {
  estimateChains,
  jackknife,
  MIN_EFFECTIVE_SAMPLES,
  PhysmlInputError,
  plural,
  untrustedErrorReason,
} from "@physml/lattice-core";

/**
 * Jackknife block length in units of the slowest τ_int. Blocks of b samples leave the variance of
 * their means low by about τ_int/b for an exponential autocorrelation (the correlation across a
 * block's edges): 5% in the variance, 2.5% in the error bar. On 4×4 tori (200 seeds, apps/cli
 * README) the pulls' standard deviation at β_c went from 1.10 (C) and 1.08 (U₄) with 10 τ_int
 * to 1.08 and 1.05 with 20, and 1.07 and 1.04 with 40, which leaves half as many blocks.
 */
export const BLOCK_TAUS = 20;

/**
 * Fewest jackknife blocks for a trusted error bar: with B blocks the error is uncertain by
 * ≈ 1/√(2B) and the pulls spread like Student's t with B − 1 degrees of freedom (standard
 * deviation 1.06 at B = 20). A run with the {@link MIN_EFFECTIVE_SAMPLES} effectively
 * independent samples of a trusted mean has ≈ 10 blocks: the fluctuations ask for twice as many.
 */
export const MIN_BLOCKS = 20;

/** A fluctuation estimate: the bias-corrected jackknife value, its error and the blocks behind it. */
export interface FluctuationEstimate {
  mean: number;
  error: number;
  /** The slowest τ_int (samples) among the series the estimate is a function of. */
  tauInt: number;
  blockSize: number;
  nBlocks: number;
  /** Why the error bar cannot be trusted (absent when it can). */
  untrusted?: string;
}

/** The keys of the fluctuation estimates in a run's JSON. */
export type FluctuationKey = "specificHeatPerSite" | "susceptibility" | "binderCumulant";

/** What a run passes in: per-chain series and what its slowest mode is. */
export interface FluctuationInput {
  sites: number;
  /** H/N per sample and chain (every coupling absorbed). */
  reducedEnergy: Float64Array[];
  /** |m| = |M|/N per sample and chain (the length of the magnetisation vector for O(n) spins). */
  absMagnetization: Float64Array[];
  /** Ising spins: the only ones given a Binder cumulant. */
  ising: boolean;
  /** Lags every autocorrelation sums at least (the slow mode's window when a term is odd under s → −s). */
  minWindow: number;
  /** Why the slow mode is not resolved, which makes every error bar resting on it untrusted. */
  unresolved?: string;
}

/** The estimates that could be computed, and for each that could not, why (`<key>Unavailable`). */
export interface Fluctuations {
  estimates: Partial<Record<FluctuationKey, FluctuationEstimate>>;
  unavailable: Partial<Record<`${FluctuationKey}Unavailable`, string>>;
}

/**
 * Series-sized buffers the pass allocates (each chains × samples Float64), reused for C, χ and
 * U₄: the pass holds these beside its two input series, and no other series-sized array.
 */
export const FLUCTUATION_WORK_SERIES = 2;

/** A series held as one buffer, chain c at offset c·n, with a view per chain. */
interface FlatSeries {
  flat: Float64Array;
  n: number;
  chains: Float64Array[];
}

function flatSeries(flat: Float64Array, chains: number, n: number): FlatSeries {
  return { flat, n, chains: Array.from({ length: chains }, (_, c) => flat.subarray(c * n, (c + 1) * n)) };
}

/** `out` := f of each sample of `input` (chain by chain). */
function mapInto(input: Float64Array[], out: FlatSeries, f: (v: number) => number): FlatSeries {
  input.forEach((c, k) => {
    const o = out.chains[k];
    for (let t = 0; t < c.length; t++) o[t] = f(c[t]);
  });
  return out;
}

function meanOf(chains: Float64Array[]): number {
  let s = 0;
  let n = 0;
  for (const c of chains) {
    for (const v of c) s += v;
    n += c.length;
  }
  return s / n;
}

/**
 * The chains, each cut to whole blocks of `b` samples, end to end (so no block spans two
 * chains): moved to the front of the series' own buffer, which they overwrite.
 */
function wholeBlocks(s: FlatSeries, b: number): Float64Array {
  const per = Math.floor(s.n / b) * b;
  for (let c = 1; c < s.chains.length; c++) s.flat.copyWithin(c * per, c * s.n, c * s.n + per);
  return s.flat.subarray(0, per * s.chains.length);
}

/**
 * One jackknife estimate of f(means of `series`) with blocks of ⌈{@link BLOCK_TAUS}·τ⌉ samples, τ
 * the slowest τ_int of the series; a sentence instead when it cannot be formed.
 */
function blocked(
  what: string,
  series: FlatSeries[],
  f: (means: Float64Array) => number,
  input: FluctuationInput,
): FluctuationEstimate | string {
  const perChain = series[0].n;
  const chains = series[0].chains.length;
  let slowest = estimateChains(series[0].chains, { minWindow: input.minWindow });
  for (const s of series.slice(1)) {
    const e = estimateChains(s.chains, { minWindow: input.minWindow });
    if (e.tauInt > slowest.tauInt) slowest = e;
  }
  const wanted = Math.ceil(BLOCK_TAUS * slowest.tauInt);
  // A block never spans two chains: chains shorter than the wanted block are one block each.
  const b = Math.min(perChain, wanted);
  const nBlocks = chains * Math.floor(perChain / b);
  const tau = `τ_int ${slowest.tauInt.toPrecision(3)}`;
  if (nBlocks < 2)
    return (
      `${what} needs at least 2 jackknife blocks of ⌈${BLOCK_TAUS} τ_int⌉ = ${wanted} samples (${tau}), ` +
      `or 2 chains; the run has ${plural(chains, "chain")} of ${plural(perChain, "sample")}: measure longer`
    );
  let r: ReturnType<typeof jackknife>;
  try {
    r = jackknife(
      series.map((s) => wholeBlocks(s, b)),
      f,
      { blockSize: b },
    );
  } catch (e) {
    if (e instanceof PhysmlInputError && e.field === "f")
      return `${what} is undefined on the samples left when a jackknife block is dropped (⟨m²⟩ = 0)`;
    throw e;
  }
  const untrusted =
    input.unresolved ??
    untrustedErrorReason(slowest) ??
    (b < wanted
      ? `its jackknife blocks are whole chains of ${plural(b, "sample")}, shorter than ${BLOCK_TAUS} τ_int = ${wanted} (${tau}): measure longer`
      : nBlocks < MIN_BLOCKS
        ? `only ${plural(nBlocks, "jackknife block")} of ${plural(b, "sample")} (${BLOCK_TAUS} τ_int), fewer than ${MIN_BLOCKS}: measure longer`
        : undefined);
  return {
    mean: r.biasCorrected,
    error: r.error,
    tauInt: slowest.tauInt,
    blockSize: b,
    nBlocks,
    ...(untrusted ? { untrusted } : {}),
  };
}

/**
 * The specific heat per site C = N(⟨e²⟩ − ⟨e⟩²) with e = H/N the reduced energy per site (k_B = 1;
 * β²N Var of the energy per site in units of J: every coupling scales as 1/T), the susceptibility
 * per site χ = N(⟨m²⟩ − ⟨|m|⟩²) (the response of m to the reduced field βh: Landau & Binder's χ′,
 * which tends to the true χ in the ordered phase, where N⟨m²⟩ grows as N·m₀²) and, for Ising spins,
 * the Binder cumulant U₄ = 1 − ⟨m⁴⟩/(3⟨m²⟩²). Variances are taken of series centred on their
 * means (the same value, without the cancellation of two large moments). Every chain has as many
 * samples as the first; the derived series of each estimate are written into the same
 * {@link FLUCTUATION_WORK_SERIES} buffers.
 */
export function fluctuations(input: FluctuationInput): Fluctuations {
  const { sites: N } = input;
  const estimates: Fluctuations["estimates"] = {};
  const unavailable: Fluctuations["unavailable"] = {};
  const put = (key: FluctuationKey, r: FluctuationEstimate | string) => {
    if (typeof r === "string") unavailable[`${key}Unavailable`] = r;
    else estimates[key] = r;
  };
  const variance = (m: Float64Array) => N * (m[1] - m[0] * m[0]);
  const n = input.reducedEnergy[0].length;
  const chains = input.reducedEnergy.length;
  const work = Array.from({ length: FLUCTUATION_WORK_SERIES }, () => new Float64Array(chains * n));
  // Each estimate refills the buffers (wholeBlocks compacts them in place).
  const buffers = () => work.map((w) => flatSeries(w, chains, n));
  const centred = (series: Float64Array[]) => {
    const mean = meanOf(series);
    const [a, b] = buffers();
    const d = mapInto(series, a, (v) => v - mean);
    return [d, mapInto(d.chains, b, (v) => v * v)];
  };
  put("specificHeatPerSite", blocked("C", centred(input.reducedEnergy), variance, input));
  put("susceptibility", blocked("χ", centred(input.absMagnetization), variance, input));
  if (!input.ising)
    unavailable.binderCumulantUnavailable =
      "U₄ = 1 − ⟨m⁴⟩/(3⟨m²⟩²) is normalised for Ising spins (0 for a Gaussian m, 2/3 when ordered); O(n) spins get none";
  else {
    const [a, b] = buffers();
    const m2 = mapInto(input.absMagnetization, a, (v) => v * v);
    const m4 = mapInto(m2.chains, b, (v) => v * v);
    put(
      "binderCumulant",
      blocked("U₄", [m2, m4], (m) => 1 - m[1] / (3 * m[0] * m[0]), input),
    );
  }
  return { estimates, unavailable };
}
