// Statistics checked against closed forms on small hand-made series and against the definitions
// written out directly (no FFT, no early exit), so every branch of the fast paths has a referee.
import { describe, expect, it } from "vitest";
import { gaussian } from "../../test/helpers.js";
import { seededUniform } from "../testing/index.js";
import { autocorrelation, SOKAL_C } from "./autocorrelation.js";
import { covarianceEstimate } from "./covariance.js";
import { binnedError, binningAnalysis, estimate, estimateChains } from "./estimate.js";
import { autocovarianceSums } from "./fft.js";
import { jackknife } from "./jackknife.js";

/** The documented definition of the windowed τ_int, all lags summed directly. */
function definition(chains: Float64Array[], c: number, minWindow = 0) {
  const n = chains.reduce((s, x) => s + x.length, 0);
  const mean = chains.reduce((s, x) => s + x.reduce((a, v) => a + v, 0), 0) / n;
  const longest = Math.max(...chains.map((x) => x.length));
  const maxLag = Math.max(1, Math.floor(longest / 2));
  const gamma: number[] = [];
  for (let t = 0; t <= maxLag; t++) {
    let s = 0;
    let pairs = 0;
    for (const x of chains) {
      for (let i = 0; i + t < x.length; i++) s += (x[i] - mean) * (x[i + t] - mean);
      pairs += Math.max(0, x.length - t);
    }
    gamma.push(pairs > 0 ? s / pairs : 0);
  }
  let tau = 0.5;
  let window = maxLag;
  let windowFound = false;
  let partial = 0.5;
  for (let t = 1; t <= maxLag; t++) {
    partial += gamma[t] / gamma[0];
    if (t >= c * partial && t >= minWindow) {
      window = t;
      windowFound = true;
      break;
    }
  }
  tau = 0.5;
  for (let t = 1; t <= window; t++) tau += gamma[t] / gamma[0];
  const tauInt = Math.max(0.5, tau * (1 + (2 * window + 1) / n));
  return {
    mean,
    variance: gamma[0],
    window,
    windowFound,
    tauInt,
    tauIntError: tauInt * Math.sqrt((2 * (2 * window + 1)) / n),
    rho: gamma.slice(0, window + 1).map((g) => g / gamma[0]),
    n,
  };
}

function ar1(n: number, rho: number, seed: number): Float64Array {
  const g = gaussian(seededUniform(seed));
  const x = new Float64Array(n);
  let y = g();
  for (let t = 0; t < n; t++) {
    x[t] = y;
    y = rho * y + Math.sqrt(1 - rho * rho) * g();
  }
  return x;
}

function expectMatches(chains: Float64Array[], c = SOKAL_C, minWindow = 0): void {
  const a = autocorrelation(chains, c, minWindow);
  const d = definition(chains, c, minWindow);
  const close = (got: number, want: number) =>
    expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
  expect(a.n).toBe(d.n);
  expect(a.window).toBe(d.window);
  expect(a.windowFound).toBe(d.windowFound);
  close(a.mean, d.mean);
  close(a.variance, d.variance);
  close(a.tauInt, d.tauInt);
  close(a.tauIntError, d.tauIntError);
  expect(a.rho.length).toBe(d.rho.length);
  for (let t = 0; t < d.rho.length; t++) close(a.rho[t], d.rho[t]);
}

describe("autocorrelation against its definition", () => {
  it("short, medium and pooled chains of unequal length (direct lags, window fallback)", () => {
    expectMatches([Float64Array.of(3, 1, 4, 1, 5)]);
    expectMatches([Float64Array.of(2, 7), Float64Array.of(1, 8, 2, 8)]);
    expectMatches([ar1(40, 0.95, 1)]); // window not reached: all n/2 lags are used
    expectMatches([ar1(3000, 0.6, 2)]);
    expectMatches([ar1(500, 0.8, 3), ar1(1200, 0.8, 4), ar1(7, 0.8, 5)]);
    expectMatches([ar1(2000, 0.5, 6)], 2.5);
    // c = 1000: no window is found, so all lags up to n/2 are used (the fallback).
    expectMatches([ar1(40, 0.95, 1)], 1000);
    expectMatches([Float64Array.of(2, 7), Float64Array.of(1, 8, 2, 8)], 1000);
    expectMatches([ar1(131, 0.99, 11)], 1000); // n/2 = 65 lags: one more than the direct 64
    expect(autocorrelation([ar1(131, 0.99, 11)], 1000).window).toBe(65);
    // A 2-sample chain: its lag 1 is its last one, and the window (no window found) reaches it.
    expectMatches([Float64Array.of(1, 2), Float64Array.of(1, 2, 3, 4)], 1000);
    expect(autocorrelation([Float64Array.of(1, 2), Float64Array.of(1, 2, 3, 4)], 1000).window).toBe(2);
    expectMatches([Float64Array.of(1), Float64Array.of(3)]); // lag 1 has no pairs
    // Γ(1) = 0 exactly, so with c = 2 the window condition t ≥ c·τ holds with equality at t = 1.
    expectMatches([Float64Array.of(2, 0, -1, 0, -1, 0)], 2);
    expect(autocorrelation([Float64Array.of(2, 0, -1, 0, -1, 0)], 2).window).toBe(1);
  });

  it("long τ_int: the FFT path (window beyond 64 lags, first 8192 lags then more) matches", () => {
    expectMatches([ar1(6000, 0.97, 7)]); // W ≈ 6·τ ≈ 200, lags capped by n/2 = 3000
    expectMatches([ar1(20_000, 0.99, 8)], 100); // W ≈ 10⁴ > 8192 lags: a second FFT round
  });

  it("minWindow: the window is at least minWindow, direct, through the FFT and beyond n/2", () => {
    expectMatches([ar1(3000, 0.6, 2)], SOKAL_C, 30); // within the direct lags
    expect(autocorrelation([ar1(3000, 0.6, 2)], SOKAL_C, 30).window).toBe(30);
    expectMatches([ar1(3000, 0.6, 2), ar1(900, 0.6, 3)], SOKAL_C, 300); // FFT path
    expectMatches([ar1(3000, 0.6, 2)], SOKAL_C, 2000); // beyond n/2: all lags, window not found
    expect(autocorrelation([ar1(3000, 0.6, 2)], SOKAL_C, 2000).windowFound).toBe(false);
    expect(autocorrelation([ar1(3000, 0.6, 2)]).windowFound).toBe(true);
  });

  it("AR(1) ρ(t) decays as ρ^t within Bartlett's error bar", () => {
    const n = 20_000;
    const p = 0.7;
    const a = autocorrelation([ar1(n, p, 9)]);
    expect(a.rho[0]).toBe(1);
    for (let t = 1; t <= 4; t++) {
      // Bartlett: Var ρ̂(t) ≈ [(1 + p²)(1 − p^{2t})/(1 − p²) − 2t p^{2t}] / n for AR(1).
      const v = ((1 + p * p) * (1 - p ** (2 * t))) / (1 - p * p) - 2 * t * p ** (2 * t);
      expect(Math.abs(a.rho[t] - p ** t)).toBeLessThan(5 * Math.sqrt(v / n));
    }
  });

  it("alternating series: τ_int is floored at ½; constant series returns the documented zeros", () => {
    const alt = Float64Array.from({ length: 100 }, (_, i) => (i % 2 ? 1 : -1));
    const a = autocorrelation([alt]);
    expect(a.tauInt).toBe(0.5);
    expect(a.window).toBe(1);
    expect(a.variance).toBe(1);
    expect(a.rho[1]).toBeCloseTo(-1, 14);
    const k = autocorrelation([new Float64Array(9).fill(-3)]);
    expect(k).toEqual({
      mean: -3,
      variance: 0,
      tauInt: 0.5,
      tauIntError: 0,
      window: 0,
      windowFound: true,
      rho: Float64Array.of(1),
      n: 9,
    });
  });

  it("names the bad field and range", () => {
    expect(() => autocorrelation([])).toThrow(/^series: expected at least one chain, got 0$/);
    expect(() => autocorrelation([[1, 2]], 0)).toThrow(/^c: expected a finite number > 0, got 0$/);
    expect(() => autocorrelation([[1, 2]], Number.POSITIVE_INFINITY)).toThrow(/^c: expected/);
    expect(() => autocorrelation([[1, 2]], -1)).toThrow(/^c: expected/);
    expect(() => autocorrelation([[1, 2]], SOKAL_C, -1)).toThrow(
      /^minWindow: expected an integer >= 0, got -1$/,
    );
    expect(() => autocorrelation([[1, 2]], SOKAL_C, 1.5)).toThrow(/^minWindow: expected/);
    expect(() => autocorrelation([[1], [2, Number.NaN]])).toThrow(
      /^series\[1\]\[1\]: expected a finite number/,
    );
    expect(() => autocorrelation([[1, Number.POSITIVE_INFINITY]])).toThrow(/^series\[1\]: expected a finite/);
    expect(() => autocorrelation([[1], []])).toThrow(
      /^series.length: expected at least 2 samples in total, got 1$/,
    );
    expect(autocorrelation([[1], [3]]).mean).toBe(2);
  });
});

describe("segmented FFT autocovariance at every lag", () => {
  it("equals the direct sums at all lags, one and several segments", () => {
    const g = gaussian(seededUniform(11));
    for (const [n, lags] of [
      [1, 0],
      [33, 16],
      [40_000, 40],
      [9000, 8500],
    ] as const) {
      const d = Float64Array.from({ length: n }, g);
      const fast = autocovarianceSums(d, lags);
      expect(fast.length).toBe(lags + 1);
      for (let t = 0; t <= lags; t++) {
        let s = 0;
        for (let i = 0; i + t < n; i++) s += d[i] * d[i + t];
        expect(Math.abs(fast[t] - s)).toBeLessThan(1e-9 * n);
      }
    }
  });
});

describe("binning and jackknife closed forms", () => {
  it("binnedError of 1..8 in blocks of 2 is √(5/3); the rows of a binning analysis", () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(binnedError(x, 2)).toBeCloseTo(Math.sqrt(5 / 3), 14);
    expect(binnedError(x, 4)).toBeCloseTo(2, 14); // means 2.5, 6.5
    expect(binnedError(x, 1)).toBeCloseTo(Math.sqrt(6 / 8), 14); // s² = 6
    expect(binnedError([1, 3, 2], 1)).toBeCloseTo(Math.sqrt(1 / 3), 14);
    expect(() => binnedError(x, 5)).toThrow(/^blockSize: expected an integer in \[1, 4\], got 5$/);
    expect(() => binnedError(x, 0)).toThrow(/blockSize/);
    expect(() => binnedError(x, 1.5)).toThrow(/blockSize/);
    const y = Float64Array.from({ length: 100 }, (_, i) => i % 7);
    const rows = binningAnalysis(y, 10);
    expect(rows.map((r) => [r.blockSize, r.nBlocks])).toEqual([
      [1, 100],
      [2, 50],
      [4, 25],
      [8, 12],
    ]);
    for (const r of rows) expect(r.error).toBe(binnedError(y, r.blockSize));
    expect(binningAnalysis(new Float64Array(64).map((_, i) => i)).length).toBe(2); // 64, 32 blocks
    expect(binningAnalysis([1, 2], 2).length).toBe(1);
    expect(() => binningAnalysis(y, 1)).toThrow(/^minBlocks: expected an integer >= 2, got 1$/);
    expect(() => binningAnalysis(y, 2.5)).toThrow(/minBlocks/);
    expect(() => binningAnalysis([1, 2, 3], 4)).toThrow(
      /^series.length: expected at least minBlocks = 4, got 3$/,
    );
  });

  it("jackknife of mean² is x̄² − s²/n (the unbiased estimate of μ²), error s·2|x̄|/√n to O(1/n)", () => {
    const x = [1, 2, 4, 7, 11];
    const n = x.length;
    const m = x.reduce((s, v) => s + v, 0) / n;
    const s2 = x.reduce((s, v) => s + (v - m) ** 2, 0) / (n - 1);
    const j = jackknife([x], (v) => v[0] * v[0], { blockSize: 1 });
    expect(j.value).toBeCloseTo(m * m, 12);
    expect(j.biasCorrected).toBeCloseTo(m * m - s2 / n, 12);
    expect(j.bias).toBeCloseTo(s2 / n, 12);
    expect(j.nBlocks).toBe(5);
    expect(j.blockSize).toBe(1);
    // Leave-one-out means m_i = (n m − x_i)/(n − 1); error² = (n−1)/n Σ (m_i² − avg)².
    const loo = x.map((v) => ((n * m - v) / (n - 1)) ** 2);
    const avg = loo.reduce((s, v) => s + v, 0) / n;
    const err = Math.sqrt(((n - 1) / n) * loo.reduce((s, v) => s + (v - avg) ** 2, 0));
    expect(j.error).toBeCloseTo(err, 12);
    // A trailing partial block is dropped: 7 samples in blocks of 3 use the first 6.
    const k = jackknife([[1, 2, 3, 4, 5, 6, 100]], (v) => v[0], { blockSize: 3 });
    expect(k.value).toBe(3.5);
    expect(k.nBlocks).toBe(2);
    expect(k.error).toBeCloseTo(1.5, 14);
  });

  it("default block size is max(⌊n/64⌋, ⌈4 τ_int⌉), at most n/2", () => {
    const iid = Float64Array.from({ length: 6400 }, gaussian(seededUniform(12)));
    expect(jackknife([iid], (v) => v[0]).blockSize).toBe(Math.max(100, Math.ceil(4 * estimate(iid).tauInt)));
    const slow = ar1(3000, 0.95, 13);
    const tau = estimate(slow).tauInt;
    expect(Math.ceil(4 * tau)).toBeGreaterThan(3000 / 64);
    expect(jackknife([iid.subarray(0, 3000), slow], (v) => v[0] + v[1]).blockSize).toBe(Math.ceil(4 * tau));
    expect(jackknife([new Float64Array(10).fill(1)], (v) => v[0]).blockSize).toBe(2); // ⌈4·½⌉
    expect(jackknife([[1, 2, 3]], (v) => v[0]).blockSize).toBe(1);
    expect(() => jackknife([], (v) => v[0])).toThrow(/^samples: expected at least one series, got 0$/);
    expect(() => jackknife([[1]], (v) => v[0])).toThrow(/^samples\[0\].length: expected at least 2, got 1$/);
    expect(() => jackknife([[1, 2, 3, 4]], (v) => v[0], { blockSize: 0 })).toThrow(
      /^blockSize: expected an integer in \[1, 2\]/,
    );
    expect(() => jackknife([[1, 2, 3, 4]], (v) => v[0], { blockSize: 1.5 })).toThrow(/blockSize/);
    expect(jackknife([[1, 2, 3, 4]], (v) => v[0], { blockSize: 2 }).nBlocks).toBe(2);
    expect(() =>
      jackknife(
        [
          [1, 2],
          [1, Number.POSITIVE_INFINITY],
        ],
        (v) => v[0],
        { blockSize: 1 },
      ),
    ).toThrow(/^samples\[1\]: expected finite numbers/);
    expect(() => jackknife([[1, 2]], (v) => 1 / (v[0] - 1), { blockSize: 1 })).toThrow(
      /^f: expected a function returning finite numbers on the block means, got 2$/,
    );
    // Fewer than 2 blocks is a blockSize error, not a NaN from an empty leave-one-out mean.
    expect(() => jackknife([[1, 2, 3, 4]], (v) => v[0], { blockSize: 3 })).toThrow(
      /^blockSize: expected an integer in \[1, 2\], got 3$/,
    );
  });
});

describe("estimate and covariance contracts", () => {
  it("error = √(2 τ_int Γ(0)/n) and chains pool like one long chain when they are one", () => {
    const x = ar1(5000, 0.6, 14);
    const a = autocorrelation([x]);
    const e = estimate(x);
    expect(e).toEqual({
      mean: a.mean,
      error: Math.sqrt((2 * a.tauInt * a.variance) / a.n),
      tauInt: a.tauInt,
      n: 5000,
    });
    expect(estimateChains([x])).toEqual(e);
  });

  it("Cov(a, b) of a hand-made pair, with Bessel's factor on mean and error", () => {
    const a = [1, 2, 3, 4];
    const b = [2, 1, 4, 3];
    // ā = b̄ = 2.5; products (−1.5)(−0.5), (−0.5)(−1.5), (0.5)(1.5), (1.5)(0.5) = 0.75 each.
    const c = covarianceEstimate(a, b);
    expect(c.mean).toBeCloseTo(0.75 * (4 / 3), 14);
    expect(c.error).toBe(0);
    expect(c.n).toBe(4);
    expect(c.tauInt).toBe(0.5);
    const x = ar1(2000, 0.5, 15);
    const y = ar1(2000, 0.5, 16).map((v, i) => v + x[i]);
    const prod = x.map(
      (v, i) => (v - x.reduce((s, u) => s + u, 0) / 2000) * (y[i] - y.reduce((s, u) => s + u, 0) / 2000),
    );
    const e = estimate(prod);
    const cv = covarianceEstimate(x, y);
    expect(cv.error).toBeCloseTo((e.error * 2000) / 1999, 12);
    expect(cv.tauInt).toBe(e.tauInt);
    expect(() => covarianceEstimate([1, 2], [1, 2])).toThrow(/^a.length: expected at least 3, got 2$/);
    expect(() => covarianceEstimate([1, Number.NaN, 2], [1, 2, 3])).toThrow(
      /^a\[1\]: expected a finite number/,
    );
  });
});
