// Test-only helpers: a tensor's entries as a plain row-major number array (for toEqual), as raw
// bytes (for bit-for-bit comparisons), the same shape and every entry the same (Object.is, so −0
// and NaN count), and the largest difference of two relative to the second.
import { expect } from "vitest";
import type { Tensor } from "../src/index.js";

export const values = (t: Tensor): number[] => Array.from(t.toFloat64Array());

/** The tensor's float64 bytes: `bits(a).equals(bits(b))` is a bit-for-bit comparison. */
export const bits = (t: Tensor): Buffer => Buffer.from(t.toFloat64Array().buffer);

/** Fails unless `a` has `b`'s shape and every entry is `b`'s (Object.is), reporting the index of the first that is not. */
export function expectSameBits(a: Tensor, b: Tensor): void {
  expect([...a.shape]).toEqual([...b.shape]);
  const x = a.toFloat64Array();
  const y = b.toFloat64Array();
  let bad = -1;
  for (let i = 0; i < x.length && bad < 0; i++) if (!Object.is(x[i], y[i])) bad = i;
  expect(bad).toBe(-1);
}

/** Largest |a − b| over max |b| (a length mismatch throws, so it cannot pass unnoticed). */
export function relToMax(a: Tensor, b: Tensor): number {
  const x = a.toFloat64Array();
  const y = b.toFloat64Array();
  if (x.length !== y.length) throw new RangeError(`relToMax: ${x.length} entries against ${y.length}`);
  let err = 0;
  let scale = 0;
  for (let i = 0; i < x.length; i++) {
    err = Math.max(err, Math.abs(x[i] - y[i]));
    scale = Math.max(scale, Math.abs(y[i]));
  }
  return err / scale;
}
