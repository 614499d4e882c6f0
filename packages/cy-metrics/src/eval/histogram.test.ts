import { describe, expect, it } from "vitest";
import { histogram } from "./histogram.js";

describe("histogram", () => {
  it("counts every value once: bins (tails in the end bins) plus non-finite add up to the number of values", () => {
    const v = Float64Array.from({ length: 1000 }, (_, i) => Math.sin(i) * (i % 97 === 0 ? 1e6 : 1));
    v[3] = Number.NaN;
    v[4] = Number.POSITIVE_INFINITY;
    const h = histogram(v, 17);
    expect(h.counts.reduce((a, b) => a + b, 0) + h.nonFinite).toBe(1000);
    expect(h.nonFinite).toBe(2);
    expect(h.edges).toHaveLength(18);
    // the 1e6 outliers (11 of 1000, both signs) do not set the range
    expect(h.edges[17] - h.edges[0]).toBeLessThan(10);
  });

  it("bins by hand: values 0…9 in 5 bins over [0, 10) are two per bin", () => {
    const h = histogram(
      Float64Array.from({ length: 10 }, (_, i) => i),
      5,
      [0, 10],
    );
    expect(h.counts).toEqual([2, 2, 2, 2, 2]);
    expect(h.edges).toEqual([0, 2, 4, 6, 8, 10]);
  });

  it("a constant sample gets a non-empty range and one full bin", () => {
    const h = histogram(new Float64Array(7).fill(3), 4);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(7);
    expect(h.edges[4]).toBeGreaterThan(h.edges[0]);
  });
});
