import { describe, expect, it } from "vitest";
import { medianIntervalRank, summarizeRatios } from "../bench/ratio-summary.js";

/** P(Bin(n, ½) < k) by direct summation of binomial coefficients (an independent count). */
function binomBelow(n: number, k: number): number {
  let c = 1;
  let s = 0;
  for (let i = 0; i < k; i++) {
    s += c;
    c = (c * (n - i)) / (i + 1);
  }
  return s / 2 ** n;
}

describe("the median round's interval", () => {
  it("picks the largest rank whose two tails together stay within 5%", () => {
    // textbook values of the sign-test interval for the median
    expect(medianIntervalRank(5)).toBe(0); // 2/32 = 6.25% > 5%: none exists
    expect(medianIntervalRank(6)).toBe(1);
    expect(medianIntervalRank(9)).toBe(2);
    expect(medianIntervalRank(15)).toBe(4);
    expect(medianIntervalRank(20)).toBe(6);
    for (let n = 1; n <= 60; n++) {
      const k = medianIntervalRank(n);
      if (k > 0) expect(binomBelow(n, k)).toBeLessThanOrEqual(0.025);
      expect(binomBelow(n, k + 1)).toBeGreaterThan(0.025);
    }
  });

  it("covers the true median at ≥ 95% over many draws", () => {
    // rounds drawn from a skewed distribution with known median 1 (log-normal, σ = 0.3)
    let seed = 12345;
    const u = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return (seed + 0.5) / 2 ** 31;
    };
    const normal = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
    let covered = 0;
    const trials = 4000;
    for (let t = 0; t < trials; t++) {
      const r = summarizeRatios(Array.from({ length: 15 }, () => Math.exp(0.3 * normal())));
      if (r.interval !== null && r.interval[0] <= 1 && 1 <= r.interval[1]) covered++;
    }
    // exact coverage for n = 15, k = 4 is 1 − 2·P(Bin < 4) = 0.9648; binomial error of 4000 trials ≈ 0.003
    expect(covered / trials).toBeGreaterThan(0.9648 - 4 * Math.sqrt((0.9648 * 0.0352) / trials));
  });

  it("calls the target met only when the whole interval is at or below it", () => {
    const fast = [0.7, 0.75, 0.8, 0.82, 0.85, 0.9, 0.95, 0.97, 0.99];
    expect(summarizeRatios(fast)).toMatchObject({ verdict: "met", median: 0.85, atOrBelow: 9 });
    expect(summarizeRatios([...fast.slice(0, 8), 1.4])).toMatchObject({ verdict: "met", atOrBelow: 8 });
    expect(summarizeRatios([0.7, 0.8, 0.9, 1.05, 1.1, 1.2, 1.3, 1.4, 1.5]).verdict).toBe("undecided");
    expect(summarizeRatios([1.1, 1.2, 1.3, 1.4, 1.5, 1.6]).verdict).toBe("not met");
    expect(summarizeRatios([0.5, 0.6, 0.7]).verdict).toBe("undecided"); // too few rounds
    expect(summarizeRatios([0.5, 0.6, 0.7, 0.8]).median).toBeCloseTo(0.65, 15);
  });
});
