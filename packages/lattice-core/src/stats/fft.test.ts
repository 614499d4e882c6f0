import { describe, expect, it } from "vitest";
import { gaussian } from "../../test/helpers.js";
import { seededUniform } from "../testing/index.js";
import { autocovarianceSums } from "./fft.js";

describe("segmented FFT autocovariance", () => {
  it("equals the direct lag sums, across segment boundaries and for short series", () => {
    const g = gaussian(seededUniform(4));
    for (const [n, lags] of [
      [10, 9],
      [1000, 100],
      [70_000, 300],
      [100_003, 20_000],
    ] as const) {
      const d = Float64Array.from({ length: n }, g);
      const fast = autocovarianceSums(d, lags);
      for (const t of [0, 1, 2, Math.floor(lags / 2), lags]) {
        let s = 0;
        for (let i = 0; i + t < n; i++) s += d[i] * d[i + t];
        expect(Math.abs(fast[t] - s)).toBeLessThan(1e-9 * n);
      }
    }
  });
});
