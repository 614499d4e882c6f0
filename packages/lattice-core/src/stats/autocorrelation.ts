import { PhysmlInputError } from "../errors.js";
import { autocovarianceSums } from "./fft.js";

/** Result of the windowed autocorrelation analysis of one or several chains. */
export interface Autocorrelation {
  /** Mean over all samples of all chains. */
  mean: number;
  /** Variance Γ(0) of a single sample (divided by the total number of samples). */
  variance: number;
  /** Integrated autocorrelation time τ_int = ½ + Σ_{t=1}^{W} ρ(t), bias-corrected, floored at ½. */
  tauInt: number;
  /** Statistical error of τ_int (Madras–Sokal): τ_int · sqrt(2(2W+1)/n). */
  tauIntError: number;
  /** The chosen summation window W. */
  window: number;
  /**
   * Whether W met Sokal's criterion W ≥ c·τ_int(W) (and `minWindow`) within the available lags
   * (half the longest chain); false: the chains are too short to resolve τ_int, which is then
   * an underestimate.
   */
  windowFound: boolean;
  /** Normalised autocorrelation ρ(t) for t = 0..W. */
  rho: Float64Array;
  /** Total number of samples. */
  n: number;
}

/** Sokal's window constant: the window is the smallest W with W ≥ c·τ_int(W). */
export const SOKAL_C = 6;

/** Lags up to this are summed directly; beyond it the autocovariance comes from FFTs. */
const DIRECT_LAGS = 64;
const FFT_LAGS = 8192;

function checkSeries(series: ArrayLike<number>, field: string): void {
  for (let i = 0; i < series.length; i++) {
    if (!Number.isFinite(series[i]))
      throw new PhysmlInputError(`${field}[${i}]`, "a finite number", series[i]);
  }
}

/**
 * Windowed integrated autocorrelation time (Sokal's automatic windowing with constant `c`,
 * with Wolff's O((2W+1)/n) bias correction), for one chain or several independent chains of the
 * same observable. The autocovariance Γ(t) is pooled over chains around the common mean:
 * Γ(t) = Σ_chains Σ_s (x_s − x̄)(x_{s+t} − x̄) / Σ_chains (n_r − t).
 * Anti-correlated series (τ_int < ½) are reported with τ_int = ½, which is conservative.
 *
 * `minWindow` sums at least that many lags. Sokal's criterion assumes ρ(t) decays on the scale of
 * the observable's own τ_int; an observable with a small admixture of a much slower mode (the
 * energy of an Ising model in a field, coupled to the magnetisation) has a long low tail that a
 * window of c·τ_int cuts off, and its τ_int comes out too small. Passing the window of the slow
 * mode's own series sums that tail.
 */
export function autocorrelation(chains: ArrayLike<number>[], c = SOKAL_C, minWindow = 0): Autocorrelation {
  if (chains.length === 0) throw new PhysmlInputError("series", "at least one chain", 0);
  if (!(c > 0) || !Number.isFinite(c)) throw new PhysmlInputError("c", "a finite number > 0", c);
  if (!Number.isInteger(minWindow) || minWindow < 0)
    throw new PhysmlInputError("minWindow", "an integer >= 0", minWindow);
  let n = 0;
  let sum = 0;
  let longest = 0;
  for (const [r, x] of chains.entries()) {
    checkSeries(x, chains.length === 1 ? "series" : `series[${r}]`);
    n += x.length;
    longest = Math.max(longest, x.length);
    for (let i = 0; i < x.length; i++) sum += x[i];
  }
  if (n < 2) throw new PhysmlInputError("series.length", "at least 2 samples in total", n);
  const mean = sum / n;
  const maxLag = Math.max(1, Math.floor(longest / 2));

  // Γ(t)·(number of pairs) for t = 0..lags, direct or through the FFT, centring on the fly: a
  // centred copy of the chains would be as large as the series.
  const pairSums = (lags: number, viaFft: boolean): Float64Array => {
    const g = new Float64Array(lags + 1);
    for (const d of chains) {
      const top = Math.min(lags, d.length - 1);
      if (viaFft) {
        const a = autocovarianceSums(d, top, mean);
        for (let t = 0; t <= top; t++) g[t] += a[t];
      } else {
        for (let t = 0; t <= top; t++) {
          let s = 0;
          for (let i = 0; i + t < d.length; i++) s += (d[i] - mean) * (d[i + t] - mean);
          g[t] += s;
        }
      }
    }
    for (let t = 0; t <= lags; t++) {
      let pairs = 0;
      for (const d of chains) pairs += Math.max(0, d.length - t);
      g[t] = pairs > 0 ? g[t] / pairs : 0;
    }
    return g;
  };

  let gamma = pairSums(Math.min(maxLag, DIRECT_LAGS), false);
  const variance = gamma[0];
  if (variance === 0) {
    return {
      mean,
      variance: 0,
      tauInt: 0.5,
      tauIntError: 0,
      window: 0,
      windowFound: true,
      rho: Float64Array.of(1),
      n,
    };
  }
  let window = -1;
  let tau = 0.5;
  const scan = (): void => {
    tau = 0.5;
    for (let t = 1; t < gamma.length; t++) {
      tau += gamma[t] / variance;
      if (t >= c * tau && t >= minWindow) {
        window = t;
        return;
      }
    }
  };
  scan();
  // Not found within the direct lags: FFT path, first with 8192 lags (the cost of the smallest
  // FFT segment), then quadrupling until the window is found or lags reach n/2.
  for (let lags = FFT_LAGS; window < 0 && gamma.length - 1 < maxLag; lags *= 4) {
    gamma = pairSums(Math.min(maxLag, lags), true);
    scan();
  }
  const windowFound = window >= 0;
  if (!windowFound) window = gamma.length - 1; // series too short for the window: use all lags
  // Wolff (2004): the mean subtraction biases τ_int by −τ·(2W+1)/n.
  let tauInt = tau * (1 + (2 * window + 1) / n);
  tauInt = Math.max(0.5, tauInt);
  const rho = Float64Array.from(gamma.subarray(0, window + 1), (g) => g / variance);
  return {
    mean,
    variance,
    tauInt,
    tauIntError: tauInt * Math.sqrt((2 * (2 * window + 1)) / n),
    window,
    windowFound,
    rho,
    n,
  };
}
