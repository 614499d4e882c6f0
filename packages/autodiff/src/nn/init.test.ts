// nn/init: every initialiser's range or variance against its formula, with the fans of 1-D,
// matrix and convolution shapes; statistical bounds are 4σ of the sample estimate.
import { describe, expect, it } from "vitest";
import { AutodiffInputError, random } from "../index.js";
import {
  channelsFirst,
  glorotNormal,
  glorotUniform,
  heNormal,
  type Initializer,
  lecunNormal,
  zerosInit,
} from "./index.js";

/** Mean square of the draws; for N(0, σ²) its relative standard error is √(2/n). */
function meanSquare(w: Float64Array): number {
  return w.reduce((acc, v) => acc + v * v, 0) / w.length;
}

function expectNormalVariance(init: Initializer, shape: number[], variance: number): void {
  const w = init(random.key(11), shape).toFloat64Array();
  expect(w.length).toBe(shape.reduce((a, b) => a * b, 1));
  // The mean is 0: |mean| < 4σ/√n.
  const mean = w.reduce((a, b) => a + b, 0) / w.length;
  expect(Math.abs(mean)).toBeLessThan(4 * Math.sqrt(variance / w.length));
  expect(Math.abs(meanSquare(w) / variance - 1)).toBeLessThan(4 * Math.sqrt(2 / w.length));
}

describe("initialisers", () => {
  // fanIn = 64, fanOut = 16: the formulas' fans are told apart (a swap changes a variance 4×).
  it("glorotNormal has variance 2/(fanIn + fanOut)", () => {
    expectNormalVariance(glorotNormal, [64, 16], 2 / 80);
  });

  it("heNormal has variance 2/fanIn and lecunNormal 1/fanIn", () => {
    expectNormalVariance(heNormal, [64, 16], 2 / 64);
    expectNormalVariance(lecunNormal, [64, 16], 1 / 64);
  });

  it("convolution shapes [kh, kw, in, out] multiply both fans by kh·kw", () => {
    // fanIn = 3·3·8 = 72, fanOut = 3·3·4 = 36
    expectNormalVariance(heNormal, [3, 3, 8, 4], 2 / 72);
    expectNormalVariance(glorotNormal, [3, 3, 8, 4], 2 / 108);
    const a = Math.sqrt(6 / 108);
    const w = glorotUniform(random.key(5), [3, 3, 8, 4]).toFloat64Array();
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(a);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.95 * a);
  });

  it("channelsFirst reads the fans of a [Co, Ci, k…] conv weight and stores the draw in that layout", () => {
    // conv2d [Co = 16, Ci = 32, 3, 3]: fanIn = 288. Read as [..., in, out] the fans would be
    // 3·512 and 3·512: variance 2/1536, 5× off (4σ of the estimate here is 8%).
    expectNormalVariance(channelsFirst(heNormal), [16, 32, 3, 3], 2 / 288);
    // conv1d [Co = 64, Ci = 4, 5]: fanIn = 20, fanOut = 320 (misread: 256 and 320, 1.7× off; 4σ 16%)
    expectNormalVariance(channelsFirst(glorotNormal), [64, 4, 5], 2 / 340);
    // the draw is the HWIO draw transposed: w[o, i, y, x] = hwio[y, x, i, o]
    const hwio = heNormal(random.key(7), [3, 2, 5, 4]).toFloat64Array();
    const w = channelsFirst(heNormal)(random.key(7), [4, 5, 3, 2]);
    expect(w.shape).toEqual([4, 5, 3, 2]);
    const v = w.toFloat64Array();
    for (let o = 0; o < 4; o++)
      for (let i = 0; i < 5; i++)
        for (let y = 0; y < 3; y++)
          for (let x = 0; x < 2; x++)
            expect(v[((o * 5 + i) * 3 + y) * 2 + x]).toBe(hwio[((y * 2 + x) * 5 + i) * 4 + o]);
    expect(() => channelsFirst(heNormal)(random.key(0), [3])).toThrow(
      /init\.shape: expected a channels-first shape/,
    );
  });

  it("a 1-D shape [n] uses fanIn = fanOut = n", () => {
    expectNormalVariance(lecunNormal, [2000], 1 / 2000);
    expectNormalVariance(glorotNormal, [2000], 1 / 2000);
  });

  it("glorotUniform fills U(±√(6/(fanIn + fanOut))): variance a²/3, both signs up to the edge", () => {
    const a = Math.sqrt(6 / 80);
    const w = glorotUniform(random.key(3), [64, 16]).toFloat64Array();
    // U(±a): E[w²] = a²/3 and Var[w²] = 4a⁴/45, a relative standard error of √(0.8/n) per mean.
    expect(Math.abs(meanSquare(w) / ((a * a) / 3) - 1)).toBeLessThan(4 * Math.sqrt(0.8 / w.length));
    expect(Math.max(...w)).toBeLessThanOrEqual(a);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(-a);
    // P(max < 0.99a) = 0.995¹⁰²⁴ ≈ 0.6%, but the draw is seeded: these hold for this key.
    expect(Math.max(...w)).toBeGreaterThan(0.98 * a);
    expect(Math.min(...w)).toBeLessThan(-0.98 * a);
  });

  it("zerosInit gives zeros of the shape; an empty shape is refused by name", () => {
    const z = zerosInit(random.key(0), [2, 3]);
    expect(z.shape).toEqual([2, 3]);
    expect(Array.from(z.toFloat64Array())).toEqual([0, 0, 0, 0, 0, 0]);
    expect(() => heNormal(random.key(0), [])).toThrow(AutodiffInputError);
    expect(() => glorotUniform(random.key(0), [])).toThrow(
      /init\.shape: expected a shape with at least one dim/,
    );
  });
});
