// Checks shared by the conv encoder and conv decoder tests: both layers hold the same parameters
// (a width-w conv to c channels, tanh, a 1×1 conv to one channel, tanh) and both are checked
// against a naive loop by central differences and for equivariance under a periodic shift.
import { type Tensor, tensor } from "@physml/autodiff";
import { expect } from "vitest";
import type { ConvEncoderParams } from "../src/chain/conv-encoder.js";

/** A conv layer's parameters as plain arrays (copies), for the naive loops to read and perturb. */
export type Flat = { w1: Float64Array; b1: Float64Array; w2: Float64Array; b2: Float64Array };

export const flat = (p: ConvEncoderParams): Flat => ({
  w1: p.w1.toFloat64Array().slice(),
  b1: p.b1.toFloat64Array().slice(),
  w2: p.w2.toFloat64Array().slice(),
  b2: p.b2.toFloat64Array().slice(),
});

/**
 * Every entry of the parameter gradient `g` equals the central difference of `f` (the naive
 * loop's scalar) at `params` with step 1e−5.
 */
export function expectCentralDifferences(
  g: ConvEncoderParams,
  params: ConvEncoderParams,
  f: (q: Flat) => number,
): void {
  const h = 1e-5;
  for (const k of ["w1", "b1", "w2", "b2"] as const) {
    const got = (g[k] as Tensor).toFloat64Array();
    const n = flat(params)[k].length;
    for (let i = 0; i < n; i++) {
      const plus = flat(params);
      plus[k][i] += h;
      const minus = flat(params);
      minus[k][i] -= h;
      // Central differences: O(h²) ≈ 1e−10 truncation, rounding ≈ 1e−16 · 45 / 1e−5.
      expect(Math.abs(got[i] - (f(plus) - f(minus)) / (2 * h))).toBeLessThan(1e-8);
    }
  }
}

/**
 * `apply` on the rows of `input` (rows × n, periodic) rolled by each of `shifts` sites gives its
 * output on `input` rolled by as many.
 */
export function expectShiftEquivariant(
  apply: (x: Tensor) => Tensor,
  input: Float64Array,
  n: number,
  shifts: readonly number[],
): void {
  const rows = input.length / n;
  const out = apply(tensor(input, [rows, n])).toFloat64Array();
  for (const shift of shifts) {
    const rolled = new Float64Array(rows * n);
    for (let b = 0; b < rows; b++)
      for (let q = 0; q < n; q++) rolled[b * n + ((q + shift) % n)] = input[b * n + q];
    const got = apply(tensor(rolled, [rows, n])).toFloat64Array();
    for (let b = 0; b < rows; b++)
      for (let q = 0; q < n; q++) expect(got[b * n + ((q + shift) % n)]).toBeCloseTo(out[b * n + q], 12);
  }
}
