// The reduction kernel against naive loops: sums over leading axes (the blocked column-sum path)
// must give the same bits as adding the rows in order; other axis sets go through the general loop.

import { seededUniform } from "@physml/lattice-core/testing";
import { describe, expect, it } from "vitest";
import { reduceKernel } from "./reduce.js";

const rnd = seededUniform(3, -0.5, 0.5);

describe("reduceKernel", () => {
  for (const [R, C] of [
    [1024, 64],
    [10, 65],
    [7, 3],
    [33, 1],
    [5, 17],
  ]) {
    it(`sum over the leading axis of [${R}, ${C}] adds rows in order`, () => {
      const x = Float64Array.from({ length: R * C }, rnd);
      const o = new Float64Array(C);
      reduceKernel("sum", x, [R, C], [0], o);
      for (let j = 0; j < C; j++) {
        let s = 0;
        for (let r = 0; r < R; r++) s += x[r * C + j];
        expect(Object.is(o[j], s)).toBe(true);
      }
    });
  }

  it("sums over two leading axes of [4, 6, 10] and over a middle axis", () => {
    const x = Float64Array.from({ length: 240 }, rnd);
    const o = new Float64Array(10);
    reduceKernel("sum", x, [4, 6, 10], [0, 1], o);
    for (let j = 0; j < 10; j++) {
      let s = 0;
      for (let r = 0; r < 24; r++) s += x[r * 10 + j];
      expect(Object.is(o[j], s)).toBe(true);
    }
    const m = new Float64Array(40);
    reduceKernel("sum", x, [4, 6, 10], [1], m);
    for (let a = 0; a < 4; a++)
      for (let j = 0; j < 10; j++) {
        let s = 0;
        for (let r = 0; r < 6; r++) s += x[a * 60 + r * 10 + j];
        expect(m[a * 10 + j]).toBeCloseTo(s, 14);
      }
  });

  it("max over the leading axis still takes the general path (NaN propagates)", () => {
    const x = Float64Array.from([1, 5, Number.NaN, 2, 3, 4]);
    const o = new Float64Array(2);
    reduceKernel("max", x, [3, 2], [0], o);
    expect(Number.isNaN(o[0])).toBe(true);
    expect(o[1]).toBe(5);
  });
});
