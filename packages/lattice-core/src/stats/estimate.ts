import { PhysmlInputError } from "../errors.js";
import { autocorrelation, SOKAL_C } from "./autocorrelation.js";

/** A Monte Carlo estimate: mean, its one-σ error, the integrated autocorrelation time and n. */
export interface Estimate {
  mean: number;
  /** One standard deviation of the mean, accounting for autocorrelation: sqrt(2 τ_int σ² / n). */
  error: number;
  /** Integrated autocorrelation time in units of the sampling interval (½ for independent data). */
  tauInt: number;
  /** Number of samples. */
  n: number;
}

/**
 * Mean with an autocorrelation-aware error of one time series: τ_int from Sokal's automatic
 * windowing (c = 6, see {@link autocorrelation}) and error = sqrt(2 τ_int Γ(0) / n), which is what
 * a binning analysis converges to for bins much longer than τ_int (see {@link binningAnalysis}).
 * Throws a {@link PhysmlInputError} for fewer than 2 samples or a non-finite sample.
 */
export function estimate(series: ArrayLike<number>): Estimate {
  return estimateChains([series]);
}

/** Options of {@link estimateChains}. */
export interface EstimateOptions {
  /**
   * Sum the autocorrelation function over at least this many lags (default 0: Sokal's window
   * alone). Give the window of the slowest mode the observable couples to, e.g.
   * `autocorrelation(magnetisationChains).window` for the energy of a model in a field; see
   * {@link autocorrelation}.
   */
  minWindow?: number;
}

/**
 * Mean and error from several independent chains of the same observable (lengths may differ):
 * all samples share one mean, and the autocorrelation function is pooled over chains.
 */
export function estimateChains(series: ArrayLike<number>[], opts: EstimateOptions = {}): Estimate {
  // No window-constant parameter on purpose: `arrays.map(estimate)` must not pass an index as c.
  // Use autocorrelation(chains, c) for another constant.
  const a = autocorrelation(series, SOKAL_C, opts.minWindow ?? 0);
  return {
    mean: a.mean,
    error: Math.sqrt((2 * a.tauInt * a.variance) / a.n),
    tauInt: a.tauInt,
    n: a.n,
  };
}

/**
 * Fewest effectively independent samples n/(2τ_int) for which an error bar is trusted. Below it
 * the error bar is itself too uncertain and τ_int biased low: over 400 seeds each, L = 4 Ising
 * runs at β = 0.4407 gave pull standard deviations of 1.07–1.18 at n/(2τ_int) ≈ 36, 1.06–1.13 at
 * ≈ 63 and 0.95–1.06 from ≈ 75 up (apps/cli README, `physml mcmc`, "Are the error bars
 * calibrated?").
 */
export const MIN_EFFECTIVE_SAMPLES = 100;

/**
 * Why the error bar of `e` (an estimate, or the {@link autocorrelation} of a series) cannot be
 * trusted, as a sentence, or undefined when it can: fewer than {@link MIN_EFFECTIVE_SAMPLES}
 * effectively independent samples n/(2τ_int).
 */
export function untrustedErrorReason(e: Pick<Estimate, "n" | "tauInt">): string | undefined {
  const effective = e.n / (2 * e.tauInt);
  if (effective >= MIN_EFFECTIVE_SAMPLES) return undefined;
  return (
    `only ${effective.toFixed(0)} effectively independent samples (n/(2τ_int) with n = ${e.n}, ` +
    `τ_int = ${e.tauInt.toPrecision(3)}), fewer than ${MIN_EFFECTIVE_SAMPLES}: measure longer`
  );
}

/** One row of a binning analysis. */
export interface BinningRow {
  blockSize: number;
  nBlocks: number;
  /** Naive error of the mean computed from the block means (trailing partial block dropped). */
  error: number;
}

/** Error of the mean from non-overlapping blocks of `blockSize` samples (needs ≥ 2 blocks). */
export function binnedError(series: ArrayLike<number>, blockSize: number): number {
  if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > series.length / 2) {
    throw new PhysmlInputError("blockSize", `an integer in [1, ${Math.floor(series.length / 2)}]`, blockSize);
  }
  const nb = Math.floor(series.length / blockSize);
  const means = new Float64Array(nb);
  for (let b = 0; b < nb; b++) {
    let s = 0;
    for (let i = b * blockSize; i < (b + 1) * blockSize; i++) s += series[i];
    means[b] = s / blockSize;
  }
  let m = 0;
  for (const v of means) m += v;
  m /= nb;
  let v2 = 0;
  for (const v of means) v2 += (v - m) * (v - m);
  return Math.sqrt(v2 / (nb - 1) / nb);
}

/**
 * Binning analysis: the error for block sizes 1, 2, 4, … while at least `minBlocks` blocks remain.
 * For correlated data the error grows with block size and plateaus at the true error once blocks
 * are much longer than τ_int; the plateau should agree with {@link estimate}.
 */
export function binningAnalysis(series: ArrayLike<number>, minBlocks = 32): BinningRow[] {
  if (!Number.isInteger(minBlocks) || minBlocks < 2) {
    throw new PhysmlInputError("minBlocks", "an integer >= 2", minBlocks);
  }
  if (series.length < minBlocks) {
    throw new PhysmlInputError("series.length", `at least minBlocks = ${minBlocks}`, series.length);
  }
  const rows: BinningRow[] = [];
  for (let b = 1; Math.floor(series.length / b) >= minBlocks; b *= 2) {
    rows.push({ blockSize: b, nBlocks: Math.floor(series.length / b), error: binnedError(series, b) });
  }
  return rows;
}
