// Seeded randomness: determinism, key independence and distribution moments (4σ bounds).
import { describe, expect, it } from "vitest";
import { AutodiffInputError, random } from "./index.js";

const N = 40000;
const moments = (x: Float64Array) => {
  let m = 0;
  for (const v of x) m += v;
  m /= x.length;
  let v2 = 0;
  for (const v of x) v2 += (v - m) ** 2;
  return [m, v2 / (x.length - 1)];
};

describe("random", () => {
  it("same key → same numbers; different/split keys → different streams", () => {
    const k = random.key(42);
    expect(random.normal(k, [5]).toArray()).toEqual(random.normal(random.key(42), [5]).toArray());
    expect(random.normal(k, [5]).toArray()).not.toEqual(random.normal(random.key(43), [5]).toArray());
    const [a, b] = random.split(k);
    expect(random.uniform(a, [4]).toArray()).not.toEqual(random.uniform(b, [4]).toArray());
    expect(random.split(k, 3).map((x) => [x.k0, x.k1])).toEqual(
      random.split(random.key(42), 3).map((x) => [x.k0, x.k1]),
    );
  });

  it("uniform has mean 1/2 and variance 1/12 within 4σ, all in (0,1)", () => {
    const u = random.uniform(random.key(1), [N]).toFloat64Array();
    const [m, v] = moments(u);
    expect(Math.abs(m - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / N));
    // Var of the sample variance of U(0,1): (μ4 − σ⁴)/N with μ4 = 1/80
    expect(Math.abs(v - 1 / 12)).toBeLessThan(4 * Math.sqrt((1 / 80 - 1 / 144) / N));
    expect(u.every((x) => x > 0 && x < 1)).toBe(true);
  });

  it("normal has mean 0 and variance 1 within 4σ", () => {
    const [m, v] = moments(random.normal(random.key(2), [N]).toFloat64Array());
    expect(Math.abs(m)).toBeLessThan(4 / Math.sqrt(N));
    expect(Math.abs(v - 1)).toBeLessThan(4 * Math.sqrt(2 / N));
  });

  it("gumbel has mean γ and variance π²/6 within 4σ", () => {
    const [m, v] = moments(random.gumbel(random.key(3), [N]).toFloat64Array());
    const varG = Math.PI ** 2 / 6;
    expect(Math.abs(m - 0.5772156649015329)).toBeLessThan(4 * Math.sqrt(varG / N));
    // Gumbel excess kurtosis 12/5 → μ4 = (3 + 2.4)σ⁴
    expect(Math.abs(v - varG)).toBeLessThan(4 * Math.sqrt(((5.4 - 1) * varG ** 2) / N));
  });

  it("split streams are uncorrelated (|corr| < 4/√N)", () => {
    const [a, b] = random.split(random.key(4));
    const x = random.normal(a, [N]).toFloat64Array();
    const y = random.normal(b, [N]).toFloat64Array();
    let c = 0;
    for (let i = 0; i < N; i++) c += x[i] * y[i];
    expect(Math.abs(c / N)).toBeLessThan(4 / Math.sqrt(N));
  });

  it("permutation is a permutation and seeds matter", () => {
    const p = random.permutation(random.key(5), 50);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...random.permutation(random.key(6), 50)]).not.toEqual([...p]);
  });

  it("bad input is a typed error", () => {
    expect(() => random.key(1.5)).toThrow(AutodiffInputError);
    expect(() => random.uniform(random.key(1), [2], { minval: 1, maxval: 0 })).toThrow(AutodiffInputError);
    expect(() => random.split(random.key(1), 0)).toThrow(AutodiffInputError);
  });
});
