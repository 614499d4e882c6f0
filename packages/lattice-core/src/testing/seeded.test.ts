// The tests' seeded generator: reproducible, in range, and uniform enough for test inputs
// (moments and lag-1 correlation within 4σ, χ² of a histogram within 4σ of its dof).
import { describe, expect, it } from "vitest";
import { PhysmlInputError } from "../errors.js";
import { seededUint32, seededUniform } from "./index.js";

const N = 100_000;

describe("seededUniform", () => {
  it("same seed, same stream; other seeds (also above 2^32), other streams", () => {
    const a = Array.from({ length: 8 }, seededUniform(7));
    expect(Array.from({ length: 8 }, seededUniform(7))).toEqual(a);
    expect(Array.from({ length: 8 }, seededUniform(8))).not.toEqual(a);
    expect(Array.from({ length: 8 }, seededUniform(7 + 2 ** 32))).not.toEqual(a);
    expect(Array.from({ length: 8 }, seededUniform(2 ** 53 - 1))).not.toEqual(a);
    // negative seeds are seeds too, distinct from their 32-bit wrap
    expect(Array.from({ length: 8 }, seededUniform(-1))).not.toEqual(
      Array.from({ length: 8 }, seededUniform(2 ** 32 - 1)),
    );
  });

  it("draws in [lo, hi) with mean (lo + hi)/2 and variance (hi − lo)²/12 within 4σ", () => {
    const [lo, hi] = [-0.5, 1.5];
    const x = Float64Array.from({ length: N }, seededUniform(11, lo, hi));
    expect(x.every((v) => v >= lo && v < hi)).toBe(true);
    const w = hi - lo;
    const m = x.reduce((s, v) => s + v, 0) / N;
    const v2 = x.reduce((s, v) => s + (v - m) ** 2, 0) / (N - 1);
    expect(Math.abs(m - (lo + hi) / 2)).toBeLessThan(4 * Math.sqrt(w ** 2 / 12 / N));
    // Var of the sample variance of a uniform: (μ4 − σ⁴)/N with μ4 = w⁴/80, σ² = w²/12
    expect(Math.abs(v2 - w ** 2 / 12)).toBeLessThan(4 * Math.sqrt((w ** 4 / 80 - w ** 4 / 144) / N));
  });

  it("has a flat histogram (χ² within 4σ of its dof) and no lag-1 correlation (4σ)", () => {
    const u = Float64Array.from({ length: N }, seededUniform(3));
    const B = 100;
    const h = new Float64Array(B);
    for (const v of u) h[Math.floor(v * B)]++;
    const e = N / B;
    const chi2 = h.reduce((s, c) => s + (c - e) ** 2 / e, 0);
    expect(Math.abs(chi2 - (B - 1))).toBeLessThan(4 * Math.sqrt(2 * (B - 1)));
    let c = 0;
    for (let i = 1; i < N; i++) c += (u[i] - 0.5) * (u[i - 1] - 0.5);
    expect(Math.abs(c / (N - 1))).toBeLessThan((4 * (1 / 12)) / Math.sqrt(N - 1));
  });

  it("refuses a bad seed or range with the field named", () => {
    expect(() => seededUniform(0.5)).toThrow(PhysmlInputError);
    expect(() => seededUniform(2 ** 53)).toThrow(/^seed: /);
    expect(() => seededUniform(1, 1, 1)).toThrow(/^hi: /);
  });
});

describe("seededUint32", () => {
  it("gives uint32 words whose every bit is set half the time (4σ)", () => {
    const next = seededUint32(5);
    const ones = new Float64Array(32);
    let words = 0;
    for (let i = 0; i < N; i++) {
      const w = next();
      if (Number.isInteger(w) && w >= 0 && w < 2 ** 32) words++;
      for (let b = 0; b < 32; b++) ones[b] += (w >>> b) & 1;
    }
    expect(words).toBe(N);
    for (const n of ones) expect(Math.abs(n / N - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / N));
  });
});
