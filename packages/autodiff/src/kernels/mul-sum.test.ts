// The fused product-sum (JavaScript loop and WebAssembly SIMD) against the unfused definition
// written out: products left to right, each column summed from 0 over the rows in order. Both
// paths must give those bits exactly, for every factor layout and ragged widths.

import { seededUniform } from "@physml/lattice-core/testing";
import { describe, expect, it } from "vitest";
import { mulSumKernel } from "./mul-sum.js";
import type { FactorKind } from "./types.js";
import { wasmMulSum } from "./wasm-mul-sum.js";

const rnd = seededUniform(11, -0.5, 0.5);

function reference(xs: Float64Array[], kinds: FactorKind[], R: number, C: number): Float64Array {
  const o = new Float64Array(C);
  for (let j = 0; j < C; j++) {
    let s = 0;
    for (let r = 0; r < R; r++) {
      const at = (k: number) =>
        kinds[k] === "F" ? xs[k][r * C + j] : kinds[k] === "S" ? xs[k][j] : xs[k][0];
      let p = at(0);
      for (let k = 1; k < kinds.length; k++) p *= at(k);
      s += p;
    }
    o[j] = s;
  }
  return o;
}

const firstMismatch = (a: Float64Array, b: Float64Array) => {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
};

describe("fused product-sum ≡ mul then sum over rows, bit for bit", () => {
  const patterns: FactorKind[][] = [
    ["F"],
    ["F", "F"],
    ["F", "S"],
    ["S", "F"],
    ["S", "K", "F", "F"],
    ["K", "F", "S"],
  ];
  // widths: below a SIMD pair, not a multiple of 4 or 8, one chunk (2048) and a ragged second one
  const sizes: [number, number][] = [
    [10, 3],
    [7, 65],
    [10, 2048],
    [3, 4099],
    [10, 6554],
  ];
  for (const kinds of patterns) {
    for (const [R, C] of sizes) {
      it(`${kinds.join("")} over [${R}, ${C}]`, () => {
        const xs = kinds.map((k) =>
          Float64Array.from({ length: k === "F" ? R * C : k === "S" ? C : 1 }, () => rnd() * 4),
        );
        const ref = reference(xs, kinds, R, C);
        const viaDispatch = new Float64Array(C).fill(Number.NaN);
        mulSumKernel(xs, kinds, R, C, viaDispatch);
        expect(firstMismatch(viaDispatch, ref)).toBe(-1);
        const simd = new Float64Array(C).fill(Number.NaN);
        expect(wasmMulSum(xs, kinds, R, C, simd)).toBe(true);
        expect(firstMismatch(simd, ref)).toBe(-1);
      });
    }
  }

  it("signed zeros and non-finite values follow IEEE like the loop", () => {
    const R = 3;
    const C = 4100;
    const a = Float64Array.from({ length: R * C }, (_, i) => [-0, 0, Number.POSITIVE_INFINITY, -1.5][i % 4]);
    const b = Float64Array.from({ length: R * C }, (_, i) => [0, -0, 2, Number.NaN][(i >> 2) % 4]);
    const ref = reference([a, b], ["F", "F"], R, C);
    const o = new Float64Array(C);
    expect(wasmMulSum([a, b], ["F", "F"], R, C, o)).toBe(true);
    expect(firstMismatch(o, ref)).toBe(-1);
  });
});
