// Test-only helpers for the linear-algebra tests: random batches and entrywise comparison.
import { expect } from "vitest";
import { add, eye, matmul, mT, mul, random, type Tensor } from "../src/index.js";

export const rand = (shape: number[], seed: number) => random.normal(random.key(seed), shape);
/** A well-conditioned batch: R + n·I. */
export const wellCond = (b: number, n: number, seed: number) => add(rand([b, n, n], seed), mul(eye(n), n));
/** A symmetric batch with (almost surely) well-separated eigenvalues. */
export const sym = (x: Tensor) => add(x, mT(x));
/** A symmetric positive-definite batch: R Rᵀ + I. */
export const spd = (x: Tensor) => add(matmul(x, mT(x)), eye(x.shape[x.ndim - 1]));
/** […, n] → the batch of n×n diagonal matrices diag(d), for rebuilding A from its factors. */
export const diagEmbed = (d: Tensor) =>
  d.reshape([...d.shape.slice(0, -1), 1, d.shape[d.ndim - 1]]).mul(eye(d.shape[d.ndim - 1]));

/** |a − b| ≤ tol entrywise (b broadcast over a's leading dims when it is shorter). */
export function expectClose(
  a: Tensor | Float64Array,
  b: Tensor | Float64Array | number[],
  tol: number,
): void {
  const x = a instanceof Float64Array ? a : a.toFloat64Array();
  const y = b instanceof Float64Array || Array.isArray(b) ? b : b.toFloat64Array();
  expect(x.length % y.length).toBe(0);
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i % y.length]));
  expect(worst).toBeLessThanOrEqual(tol);
}
