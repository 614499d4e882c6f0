// Summaries of feature series from independent chains, on series small enough to average by hand.
import { estimateChains } from "@physml/lattice-core";
import { expect, test } from "vitest";
import { meanCovariance, summariseSeries } from "./feature-stats.js";

// Two features, three chains of four samples. Chain means: a = 2.5, 1, 4; b = 1, 3, 2.
const a = [Float64Array.from([1, 2, 3, 4]), Float64Array.from([0, 0, 2, 2]), Float64Array.from([4, 5, 3, 4])];
const b = [Float64Array.from([0, 2, 0, 2]), Float64Array.from([3, 2, 4, 3]), Float64Array.from([2, 1, 3, 2])];

test("summariseSeries: grand means, the per-feature chain estimates, and the covariance of the means", () => {
  const s = summariseSeries([a, b]);
  expect(s.mean[0]).toBeCloseTo(2.5, 15);
  expect(s.mean[1]).toBeCloseTo(2, 15);
  for (const [f, series] of [a, b].entries()) {
    const e = estimateChains(series);
    expect(s.error[f]).toBe(e.error);
    expect(s.tauInt[f]).toBe(e.tauInt);
  }
  // Deviations of the chain means: a (0, −1.5, 1.5), b (−1, 1, 0); Σ/(C − 1)/C with C = 3.
  expect(s.covariance[0][0]).toBeCloseTo(4.5 / 2 / 3, 15);
  expect(s.covariance[1][1]).toBeCloseTo(2 / 2 / 3, 15);
  expect(s.covariance[0][1]).toBeCloseTo(-1.5 / 2 / 3, 15);
  expect(s.covariance[1][0]).toBeCloseTo(-1.5 / 2 / 3, 15);
});

test("meanCovariance of one chain is zero (no spread to measure), of no features empty", () => {
  expect(meanCovariance([[2], [5]])).toEqual([
    [0, 0],
    [0, 0],
  ]);
  expect(meanCovariance([])).toEqual([]);
  // two chains: (x1 − x2)²/4 on the diagonal
  expect(meanCovariance([[1, 3]])[0][0]).toBeCloseTo(1, 15);
});
