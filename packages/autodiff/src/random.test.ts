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

  it("foldIn: same data same key, distinct data distinct keys, none equal to split's", () => {
    const k = random.key(42);
    const f = random.foldIn(k, 7);
    expect([f.k0, f.k1]).toEqual([random.foldIn(random.key(42), 7).k0, random.foldIn(random.key(42), 7).k1]);
    // data across the word boundary and at the top of the range, where arithmetic seeds fail
    const data = [0, 1, 2, 3, 1000, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 52, 2 ** 53 - 1];
    const folded = data.map((d) => random.foldIn(k, d)).map((x) => `${x.k0},${x.k1}`);
    expect(new Set(folded).size).toBe(data.length);
    const splitKeys = new Set(random.split(k, 1000).map((x) => `${x.k0},${x.k1}`));
    for (const f of folded) expect(splitKeys.has(f)).toBe(false);
    // the seed's high word matters: keys 1 and 2^32 + 1 fold to different keys
    const a = random.foldIn(random.key(1), 5);
    const b = random.foldIn(random.key(2 ** 32 + 1), 5);
    expect([a.k0, a.k1]).not.toEqual([b.k0, b.k1]);
  });

  it("foldIn keys give independent uniforms: means 1/2 and neighbour correlation 0 within 4σ", () => {
    // M keys folded from consecutive data, n uniforms each: each stream's mean within 4σ, the
    // spread of the M means that of independent streams, and consecutive streams uncorrelated.
    const M = 64;
    const n = 2000;
    const k = random.key(9);
    const streams = Array.from({ length: M }, (_, d) =>
      random.uniform(random.foldIn(k, d), [n]).toFloat64Array(),
    );
    const means = streams.map((u) => moments(u)[0]);
    const se = Math.sqrt(1 / 12 / n);
    for (const m of means) expect(Math.abs(m - 0.5)).toBeLessThan(4.5 * se);
    // χ² of the M means against 1/2, M degrees of freedom (sd √(2M))
    const chi2 = means.reduce((s, m) => s + ((m - 0.5) / se) ** 2, 0);
    expect(Math.abs(chi2 - M)).toBeLessThan(4 * Math.sqrt(2 * M));
    let c = 0;
    for (let d = 0; d + 1 < M; d++) {
      for (let i = 0; i < n; i++) c += (streams[d][i] - 0.5) * (streams[d + 1][i] - 0.5);
    }
    const pairs = (M - 1) * n;
    // each product has mean 0 and variance (1/12)²
    expect(Math.abs(c / pairs)).toBeLessThan((4 * (1 / 12)) / Math.sqrt(pairs));
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
    expect(() => random.foldIn(random.key(1), -1)).toThrow(/random\.foldIn\.data/);
    expect(() => random.foldIn(random.key(1), 2 ** 53)).toThrow(AutodiffInputError);
    expect(() => random.foldIn(random.key(1), 0.5)).toThrow(AutodiffInputError);
  });
});
