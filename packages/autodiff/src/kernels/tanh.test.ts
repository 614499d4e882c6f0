import { seededUniform } from "@physml/lattice-core/testing";
import { describe, expect, it } from "vitest";
import { fastTanh, tanhKernel } from "./tanh.js";

// Independent truth: V8's Math.tanh (fdlibm, < 1 ulp). The fast kernel must stay within 4 ulp of
// it everywhere, including the reduction boundaries r = ±1/2 and the cut at |x| = 19.
describe("fastTanh", () => {
  const ulpRel = 2 ** -52;
  const check = (xs: number[]) => {
    for (const x of xs) {
      const ref = Math.tanh(x);
      const err = Math.abs(fastTanh(x) - ref) / Math.abs(ref);
      if (!(err <= 4 * ulpRel)) throw new Error(`tanh(${x}): ${fastTanh(x)} vs ${ref}`);
    }
  };

  it("matches Math.tanh to 4 ulp on random points at every scale", () => {
    const rand = seededUniform(12345);
    const xs: number[] = [];
    for (const scale of [1e-300, 1e-8, 1e-3, 0.3, 1, 3, 10, 25]) {
      for (let i = 0; i < 20000; i++) xs.push((rand() - 0.5) * 2 * scale);
    }
    check(xs);
  });

  it("is accurate at the reduction boundaries and the saturation cut", () => {
    const xs: number[] = [];
    for (let j = 0; j <= 20; j++) {
      for (const d of [-1e-12, 0, 1e-12]) xs.push(j + 0.5 + d, -(j + 0.5 + d), j + d);
    }
    xs.push(18.999999, 19, 19.000001, 19.9, 20, 20.1, 40, 710, 1e308);
    check(xs.filter((x) => x !== 0));
  });

  it("handles signed zero, infinities and NaN like Math.tanh", () => {
    expect(Object.is(fastTanh(-0), -0)).toBe(true);
    expect(Object.is(fastTanh(0), 0)).toBe(true);
    expect(fastTanh(Infinity)).toBe(1);
    expect(fastTanh(-Infinity)).toBe(-1);
    expect(fastTanh(NaN)).toBeNaN();
  });

  it("is odd exactly", () => {
    for (const x of [0.1, 0.5, 0.75, 2.5, 7.3, 18.2]) expect(fastTanh(-x)).toBe(-fastTanh(x));
  });

  it("the SIMD kernel and the scalar path agree bit for bit (long, odd and short arrays)", () => {
    const rand = seededUniform(99);
    const x = new Float64Array(10001);
    for (let i = 0; i < x.length; i++) x[i] = (rand() - 0.5) * (i % 2 ? 50 : 2);
    // ties of the nearest-integer reduction, zeros of both signs, NaN, infinities
    x.set([0.5, 1.5, -2.5, 18.5, -0, 0, Number.NaN, Infinity, -Infinity, 19.2], 0);
    const o = new Float64Array(x.length);
    tanhKernel(x, o, x.length);
    for (let i = 0; i < x.length; i++) expect(Object.is(o[i], fastTanh(x[i]))).toBe(true);
  });

  it("fills an array (Float32 output rounds the Float64 value)", () => {
    const x = new Float64Array([0.25, -1.5, 3]);
    const o = new Float32Array(3);
    tanhKernel(x, o, 3);
    expect([...o]).toEqual([...x].map((v) => Math.fround(Math.tanh(v))));
  });
});
