import { describe, expect, it } from "vitest";
import { gaussian } from "../../test/helpers.js";
import { PhysmlInputError } from "../errors.js";
import { seededUniform } from "../testing/index.js";
import { autocorrelation } from "./autocorrelation.js";
import {
  binnedError,
  binningAnalysis,
  estimate,
  estimateChains,
  MIN_EFFECTIVE_SAMPLES,
  untrustedErrorReason,
} from "./estimate.js";

/** AR(1): x_t = μ + ρ(x_{t−1} − μ) + σ√(1−ρ²) ξ_t, started in equilibrium; variance σ². */
function ar1(n: number, rho: number, mu: number, sigma: number, seed: number): Float64Array {
  const g = gaussian(seededUniform(seed));
  const x = new Float64Array(n);
  let y = sigma * g();
  const k = sigma * Math.sqrt(1 - rho * rho);
  for (let t = 0; t < n; t++) {
    x[t] = mu + y;
    y = rho * y + k * g();
  }
  return x;
}

/** Exact standard deviation of the mean of n AR(1) samples. */
function exactErrorOfMean(n: number, rho: number, sigma: number): number {
  const v = (sigma * sigma * ((1 + rho) / (1 - rho) - (2 * rho * (1 - rho ** n)) / (n * (1 - rho) ** 2))) / n;
  return Math.sqrt(v);
}

describe("estimate (windowed τ_int)", () => {
  for (const rho of [0, 0.5, 0.9, 0.98]) {
    it(`AR(1) ρ = ${rho}: τ_int, variance and mean are right within their stated errors`, () => {
      const n = 200_000;
      const x = ar1(n, rho, 1.5, 2, 1000 + Math.round(rho * 100));
      const tauTrue = (1 + rho) / (2 * (1 - rho));
      const a = autocorrelation([x]);
      expect(Math.abs(a.tauInt - tauTrue)).toBeLessThan(4 * a.tauIntError);
      const e = estimate(x);
      expect(e.n).toBe(n);
      expect(e.tauInt).toBe(a.tauInt);
      expect(Math.abs(e.mean - 1.5)).toBeLessThan(4 * e.error);
      // The stated error is right to within the uncertainty that τ_int carries (error ∝ √τ_int).
      const exact = exactErrorOfMean(n, rho, 2);
      expect(Math.abs(e.error / exact - 1)).toBeLessThan(
        4 * (a.tauIntError / a.tauInt / 2) + 4 / Math.sqrt(n),
      );
      expect(Math.abs(a.variance / 4 - 1)).toBeLessThan(4 * Math.sqrt((2 * 2 * tauTrue) / n));
    });
  }

  it("errors cover the truth ≈68% of the time over many independent AR(1) runs (ρ = 0.8)", () => {
    const runs = 400;
    let inside = 0;
    for (let r = 0; r < runs; r++) {
      const e = estimate(ar1(4000, 0.8, 0, 1, 5000 + r));
      if (Math.abs(e.mean) < e.error) inside++;
    }
    const p = inside / runs;
    // Binomial 4σ band around 0.683 (σ ≈ 0.023 for 400 runs).
    expect(Math.abs(p - 0.683)).toBeLessThan(4 * Math.sqrt((0.683 * 0.317) / runs));
  });

  it("binning plateau agrees with the windowed error", () => {
    const x = ar1(1 << 17, 0.9, 0, 1, 77);
    const e = estimate(x);
    const rows = binningAnalysis(x, 64);
    expect(rows[0].blockSize).toBe(1);
    expect(rows[0].error).toBeLessThan(0.5 * e.error); // naive error ignores τ_int = 9.5
    const plateau = rows.filter((r) => r.blockSize >= 20 * e.tauInt);
    expect(plateau.length).toBeGreaterThan(0);
    for (const r of plateau) {
      // Relative uncertainty of a binned error with B blocks ≈ 1/√(2(B−1)).
      expect(Math.abs(r.error / e.error - 1)).toBeLessThan(4 / Math.sqrt(2 * (r.nBlocks - 1)) + 0.05);
    }
    expect(binnedError(x, 1)).toBeCloseTo(rows[0].error, 15);
  });

  it("independent chains of different lengths combine to the right mean and error", () => {
    const chains = [ar1(30_000, 0.7, 3, 1, 1), ar1(50_000, 0.7, 3, 1, 2), ar1(20_000, 0.7, 3, 1, 3)];
    const e = estimateChains(chains);
    expect(e.n).toBe(100_000);
    const exact = exactErrorOfMean(100_000, 0.7, 1);
    expect(Math.abs(e.mean - 3)).toBeLessThan(4 * e.error);
    expect(Math.abs(e.error / exact - 1)).toBeLessThan(0.1);
    expect(Math.abs(e.tauInt - 1.7 / 0.6)).toBeLessThan(4 * autocorrelation(chains).tauIntError);
  });

  it("a constant series has zero error and τ_int = ½; bad input raises typed errors", () => {
    expect(estimate(new Float64Array(10).fill(2))).toEqual({ mean: 2, error: 0, tauInt: 0.5, n: 10 });
    expect(() => estimate([1])).toThrow(PhysmlInputError);
    expect(() => estimate([1, Number.NaN, 2])).toThrow(/series\[1\]: expected a finite number/);
    expect(() => estimateChains([])).toThrow(/series: expected at least one chain/);
    expect(() => binnedError([1, 2, 3], 2)).toThrow(/blockSize: expected an integer in \[1, 1\]/);
  });

  it("a fast observable with a small slow admixture: Sokal's own window misses the tail, the slow mode's window sums it", () => {
    // x = a + b, a fast (ρ 0.3, variance 1), b slow (ρ 0.99, variance 0.03), independent: ρ_x(t)
    // = (ρ_a^t + 0.03 ρ_b^t)/1.03, so τ_int(x) = (τ_a + 0.03 τ_b)/1.03 with τ = (1 + ρ)/(2(1 − ρ)).
    const n = 200_000;
    const a = ar1(n, 0.3, 0, 1, 21);
    const b = ar1(n, 0.99, 0, Math.sqrt(0.03), 22);
    const x = Float64Array.from(a, (v, t) => v + b[t]);
    const tau = (r: number) => (1 + r) / (2 * (1 - r));
    const tauTrue = (tau(0.3) + 0.03 * tau(0.99)) / 1.03;
    const own = autocorrelation([x]);
    expect(tauTrue - own.tauInt).toBeGreaterThan(4 * own.tauIntError); // ≈ 1.3 against 3.8
    const minWindow = autocorrelation([b]).window;
    const summed = autocorrelation([x], 6, minWindow);
    expect(summed.window).toBeGreaterThanOrEqual(minWindow);
    expect(Math.abs(summed.tauInt - tauTrue)).toBeLessThan(4 * summed.tauIntError);
    const e = estimateChains([x], { minWindow });
    expect(e.tauInt).toBe(summed.tauInt);
    expect(e.error).toBe(Math.sqrt((2 * summed.tauInt * summed.variance) / n));
    expect(() => estimateChains([x], { minWindow: -2 })).toThrow(/^minWindow: expected an integer >= 0/);
  });

  it("an error bar is untrusted below MIN_EFFECTIVE_SAMPLES effectively independent samples", () => {
    const at = (n: number, tauInt: number) => untrustedErrorReason({ tauInt, n });
    expect(at(2 * MIN_EFFECTIVE_SAMPLES * 3, 3)).toBeUndefined();
    expect(at(2 * MIN_EFFECTIVE_SAMPLES * 3 - 1, 3)).toMatch(/^only 100 effectively independent samples/);
    expect(at(200, 2)).toBe(
      "only 50 effectively independent samples (n/(2τ_int) with n = 200, τ_int = 2.00), fewer than 100: measure longer",
    );
  });
});
