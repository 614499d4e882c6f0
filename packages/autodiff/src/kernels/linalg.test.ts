// The batched log|det| and inverse (straight-line code up to UNROLL_MAX_N, loops above) against
// the per-block algorithm they replace, kept here as the reference: LU with partial pivoting, then
// log|det| from its diagonal and the inverse as a solve against the identity, column by column.
// Equal bit for bit for every n from 1 to 16 and at 17, 24 and 20 (past the first scratch set's 16,
// growing and then reusing a larger one), on random blocks and on blocks that exercise the
// pivot swaps and the zero-multiplier skip; singular and non-finite blocks as before.
import { describe, expect, it } from "vitest";
import { inverseBatch, slogdetBatch } from "./linalg.js";
import { UNROLL_MAX_N } from "./linalg-unrolled.js";
import type { Data } from "./types.js";

/** LU of one block (the reference); returns [sign, lu, piv], sign 0 if singular. */
function refLu(a: Data, off: number, n: number): [number, Float64Array, Int32Array] {
  const lu = Float64Array.from(a.subarray(off, off + n * n));
  const piv = Int32Array.from({ length: n }, (_, i) => i);
  let sign = 1;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(lu[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(lu[i * n + k]);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (best === 0) return [0, lu, piv];
    if (p !== k) {
      for (let j = 0; j < n; j++) [lu[k * n + j], lu[p * n + j]] = [lu[p * n + j], lu[k * n + j]];
      [piv[k], piv[p]] = [piv[p], piv[k]];
      sign = -sign;
    }
    const d = lu[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const f = (lu[i * n + k] /= d);
      if (f !== 0) for (let j = k + 1; j < n; j++) lu[i * n + j] -= f * lu[k * n + j];
    }
  }
  return [sign, lu, piv];
}

function refSlogdet(a: Data, off: number, n: number): [number, number] {
  let [sign, lu] = refLu(a, off, n);
  if (sign === 0) return [0, Number.NEGATIVE_INFINITY];
  let ld = 0;
  for (let i = 0; i < n; i++) {
    const d = lu[i * n + i];
    if (d < 0) sign = -sign;
    ld += Math.log(Math.abs(d));
  }
  return [sign, ld];
}

/** The inverse of one block as a solve against the identity, or null if singular. */
function refInverse(a: Data, off: number, n: number): Float64Array | null {
  const [sign, lu, piv] = refLu(a, off, n);
  if (sign === 0) return null;
  const o = new Float64Array(n * n);
  const y = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    for (let i = 0; i < n; i++) {
      let s = piv[i] === c ? 1 : 0;
      for (let k = 0; k < i; k++) s -= lu[i * n + k] * y[k];
      y[i] = s;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = y[i];
      for (let k = i + 1; k < n; k++) s -= lu[i * n + k] * y[k];
      y[i] = s / lu[i * n + i];
    }
    for (let i = 0; i < n; i++) o[i * n + c] = y[i];
  }
  return o;
}

/** Deterministic uniform numbers in [−1, 1) (mulberry32). */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  };
}

/**
 * nb blocks of n×n: random dense ones (pivots anywhere), random ones with many exact zeros (zero
 * multipliers, so the skip and the exact +0 products both occur), and permutation matrices scaled
 * by random factors (every step swaps; the LU's multipliers are all zero).
 */
function blocks(n: number, nb: number, seed: number): Float64Array {
  const r = uniform(seed);
  const a = new Float64Array(nb * n * n);
  for (let b = 0; b < nb; b++) {
    const off = b * n * n;
    const kind = b % 3;
    if (kind === 2) {
      const perm = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(((r() + 1) / 2) * (i + 1));
        [perm[i], perm[j]] = [perm[j], perm[i]];
      }
      for (let i = 0; i < n; i++) a[off + i * n + perm[i]] = 1 + r();
    } else {
      for (let i = 0; i < n * n; i++) a[off + i] = kind === 1 && r() < 0 ? 0 : 4 * r();
      if (kind === 1) for (let i = 0; i < n; i++) a[off + i * n + i] = 3 + r();
    }
  }
  return a;
}

const bits = (x: ArrayLike<number>): string[] =>
  Array.from(x, (v) => {
    const f = new Float64Array([v]);
    return new BigUint64Array(f.buffer)[0].toString(16);
  });

describe("batched log|det| and inverse against the per-block reference", () => {
  it("covers both the straight-line code and the loops", () => {
    expect(UNROLL_MAX_N).toBeGreaterThanOrEqual(1);
    expect(UNROLL_MAX_N).toBeLessThan(16);
  });

  for (const n of [...Array.from({ length: 16 }, (_, i) => i + 1), 17, 24, 20]) {
    it(`n = ${n}: the same bits`, () => {
      const nb = 30;
      const a = blocks(n, nb, 1000 + n);
      const ld = new Float64Array(nb);
      const sign = new Float64Array(nb);
      slogdetBatch(a, n, nb, ld, sign);
      const inv = new Float64Array(nb * n * n);
      expect(inverseBatch(a, n, nb, inv)).toBe(-1);
      const wantLd: number[] = [];
      const wantSign: number[] = [];
      const wantInv: number[] = [];
      for (let b = 0; b < nb; b++) {
        const [s, l] = refSlogdet(a, b * n * n, n);
        wantSign.push(s);
        wantLd.push(l);
        wantInv.push(...refInverse(a, b * n * n, n)!);
      }
      expect(bits(ld)).toEqual(bits(wantLd));
      expect(bits(sign)).toEqual(bits(wantSign));
      expect(bits(inv)).toEqual(bits(wantInv));
      // the sign alone is optional
      const ld2 = new Float64Array(nb);
      slogdetBatch(a, n, nb, ld2, null);
      expect(bits(ld2)).toEqual(bits(wantLd));
    });
  }

  it("float32 blocks: read as float64, log|det| rounded into a float32 output as before", () => {
    for (const n of [3, UNROLL_MAX_N + 1]) {
      const a = Float32Array.from(blocks(n, 6, 7 + n));
      const ld = new Float32Array(6);
      slogdetBatch(a, n, 6, ld, null);
      const inv = new Float64Array(6 * n * n);
      expect(inverseBatch(a, n, 6, inv)).toBe(-1);
      for (let b = 0; b < 6; b++) {
        expect(ld[b]).toBe(Math.fround(refSlogdet(a, b * n * n, n)[1]));
        expect(bits(inv.subarray(b * n * n, (b + 1) * n * n))).toEqual(bits(refInverse(a, b * n * n, n)!));
      }
    }
  });

  it("a singular block: log|det| −∞ and sign 0 there, the inverse reports the first such block", () => {
    for (const n of [1, 2, 5, UNROLL_MAX_N, UNROLL_MAX_N + 1, 16]) {
      const a = blocks(n, 5, 50 + n);
      // block 1 gets a zero column, block 3 two equal rows (exactly singular in the LU)
      for (let i = 0; i < n; i++) a[1 * n * n + i * n + (n - 1)] = 0;
      if (n > 1) for (let j = 0; j < n; j++) a[3 * n * n + n + j] = a[3 * n * n + j];
      else a[3] = 0;
      const ld = new Float64Array(5);
      const sign = new Float64Array(5);
      slogdetBatch(a, n, 5, ld, sign);
      for (let b = 0; b < 5; b++) {
        const [s, l] = refSlogdet(a, b * n * n, n);
        expect([sign[b], ld[b]]).toEqual([s, l]);
      }
      expect([sign[1], ld[1], sign[3], ld[3]]).toEqual([
        0,
        Number.NEGATIVE_INFINITY,
        0,
        Number.NEGATIVE_INFINITY,
      ]);
      expect(inverseBatch(a, n, 5, new Float64Array(5 * n * n))).toBe(1);
      expect(inverseBatch(a.subarray(2 * n * n), n, 3, new Float64Array(3 * n * n))).toBe(1);
    }
  });

  it("a NaN or an infinite entry: log|det| as before, the inverse non-finite where the reference is", () => {
    for (const n of [1, 3, 8, UNROLL_MAX_N, UNROLL_MAX_N + 2]) {
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
        for (let at = 0; at < n * n; at += Math.max(1, n - 1)) {
          // a block with exact zeros, so some multipliers are 0 and skip a non-finite row
          const a = blocks(n, 2, 90 + n).slice(n * n);
          a[at] = bad;
          const ld = new Float64Array(1);
          const sign = new Float64Array(1);
          slogdetBatch(a, n, 1, ld, sign);
          const [s, l] = refSlogdet(a, 0, n);
          expect([sign[0], ld[0]]).toEqual([s, l]);
          const inv = new Float64Array(n * n);
          const want = refInverse(a, 0, n);
          const singular = inverseBatch(a, n, 1, inv) === 0;
          expect(singular).toBe(want === null);
          if (want === null) continue;
          // Entries finite in the reference are the same bits; a non-finite reference has a
          // non-finite entry here too (which entries, and NaN or ±∞, may differ).
          for (let i = 0; i < n * n; i++)
            if (Number.isFinite(want[i])) expect(bits([inv[i]])).toEqual(bits([want[i]]));
          expect(inv.some((v) => !Number.isFinite(v))).toBe(want.some((v) => !Number.isFinite(v)));
        }
      }
    }
  });
});
