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

/**
 * Mean and error from several independent chains of the same observable (lengths may differ):
 * all samples share one mean, and the autocorrelation function is pooled over chains.
 */
export function estimateChains(series: ArrayLike<number>[]): Estimate {
  // No window-constant parameter on purpose: `arrays.map(estimate)` must not pass an index as c.
  // Use autocorrelation(chains, c) for another constant.
  const a = autocorrelation(series, SOKAL_C);
  return {
    mean: a.mean,
    error: Math.sqrt((2 * a.tauInt * a.variance) / a.n),
    tauInt: a.tauInt,
    n: a.n,
  };
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
