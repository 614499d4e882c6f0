// The packed kernel's random words (packed-hash.ts): known answers, and direct statistical
// checks of the Bernoulli masks they produce, on the kernel's own stream (block keys from
// Philox counters (g, n, k, b)). Tolerances are 4σ of the exact null distribution (binomial
// counts; √S·r ~ N(0, 1) for the correlation r of two independent indicators), fixed seed.

import { seededUint32 } from "@physml/lattice-core/testing";
import { describe, expect, test } from "vitest";
import { packedThresholds, thresholdFor } from "../acceptance.js";
import { lowbias32, packedAcceptMask, packedWord } from "./packed-hash.js";
import { philox4x32, philoxKey } from "./philox.js";

/** The published inverse of lowbias32 (hash-prospector), in BigInt arithmetic. */
function lowbias32InverseBig(v: number): number {
  const M = 0xffffffffn;
  let x = BigInt(v);
  x ^= x >> 16n;
  x = (x * 0x43021123n) & M;
  x ^= (x >> 15n) ^ (x >> 30n);
  x = (x * 0x1d69e2a5n) & M;
  x ^= x >> 16n;
  return Number(x);
}

/** S sites of the kernel's stream: block keys Philox(key, (0, n, 0, b)), 4 sites per block. */
function* sites(count: number): Generator<[number, number, number, number]> {
  const [k0, k1] = philoxKey(20251122);
  const w = new Int32Array(4);
  const u = new Uint32Array(w.buffer);
  for (let q = 0; q < count / 4; q++) {
    philox4x32(k0, k1, 0, q >> 12, 0, q & 4095, u);
    for (let jj = 0; jj < 4; jj++) yield [w[0], w[1], w[2], jj];
  }
}

const S = 1 << 16;

/** z of a binomial count against its exact mean and standard deviation. */
const zCount = (count: number, n: number, p: number) => (count - n * p) / Math.sqrt(n * p * (1 - p));

/** √n · (phi coefficient) of two 0/1 series summarised by their counts: ~N(0, 1) if independent. */
function zCorr(n11: number, na: number, nb: number, n: number): number {
  const den = Math.sqrt(na * (n - na) * nb * (n - nb));
  return (Math.sqrt(n) * (n * n11 - na * nb)) / den;
}

/** Counts of bits and of pairs of bits over a series of 32-bit masks (pair (a, b) → na·32 + b). */
function pairCounts(xs: Int32Array, ys: Int32Array): { nx: number[]; ny: number[]; n11: Float64Array } {
  const nx = Array(32).fill(0);
  const ny = Array(32).fill(0);
  const n11 = new Float64Array(1024);
  for (let t = 0; t < xs.length; t++) {
    const x = xs[t];
    const y = ys[t];
    for (let b = 0; b < 32; b++) {
      if ((y >>> b) & 1) ny[b]++;
      if (!((x >>> b) & 1)) continue;
      nx[b]++;
      for (let c = 0; c < 32; c++) if ((y >>> c) & 1) n11[b * 32 + c]++;
    }
  }
  return { nx, ny, n11 };
}

/**
 * The z of every pair (a, b) ≠ same-bit-of-the-same-series, with the 4σ band of their mean
 * square (Σz²/m has mean 1 and sd √(2/m) for independent indicators).
 */
function correlationZs(xs: Int32Array, ys: Int32Array, samePoint: boolean): number[] {
  const { nx, ny, n11 } = pairCounts(xs, ys);
  const zs: number[] = [];
  for (let a = 0; a < 32; a++) {
    for (let b = samePoint ? a + 1 : 0; b < 32; b++) zs.push(zCorr(n11[a * 32 + b], nx[a], ny[b], xs.length));
  }
  return zs;
}

function expectUncorrelated(zs: number[]): void {
  // Each pair within 5σ (≈ 4σ after a Bonferroni factor for ~1000 pairs), and the mean square
  // of all of them within 4σ of 1: a correlation spread thinly over many pairs still shows.
  expect(Math.max(...zs.map(Math.abs))).toBeLessThan(5);
  const ms = zs.reduce((a, z) => a + z * z, 0) / zs.length;
  expect(Math.abs(ms - 1)).toBeLessThan(4 * Math.sqrt(2 / zs.length));
}

describe("lowbias32 and packedWord", () => {
  test("known answers (independent Python computation) and the published inverse", () => {
    expect([0, 1, 0xffffffff, 0x243f6a88].map(lowbias32)).toEqual([0, 0x688990c0, 0x6768824a, 0x212ca684]);
    expect(packedWord(0x243f6a88, 0x85a308d3, 0x13198a2e, 5)).toBe(0xb32c06d6);
    expect(packedWord(0xffffffff, 0xffffffff, 0xffffffff, 127)).toBe(0x1c77d579);
    const word = seededUint32(12345);
    for (let t = 0; t < 2000; t++) {
      const s = word();
      expect(lowbias32InverseBig(lowbias32(s))).toBe(s);
    }
  });

  test("packedAcceptMask is the bit-serial comparison u < T per lane on packedWord's words", () => {
    const { t4, t8 } = packedThresholds(0.3);
    let n = 0;
    for (const [r0, r1, r2, jj] of sites(512)) {
      const need4 = Math.imul(r0, 0x9e3779b9) & ~r2;
      const need8 = ~need4 & r1;
      const words = Array.from({ length: 32 }, (_, m) => packedWord(r0, r1, r2, 4 * m + jj));
      let want = 0;
      for (let b = 0; b < 32; b++) {
        let u = 0;
        for (let m = 0; m < 32; m++) u = u * 2 + ((words[m] >>> b) & 1);
        const t = (need4 >>> b) & 1 ? t4 : (need8 >>> b) & 1 ? t8 : -1;
        if (t >= 0 && u < t) want |= 1 << b;
      }
      expect(packedAcceptMask(r0, r1, r2, jj, need4, need8, t4, t8)).toBe(want);
      n++;
    }
    expect(n).toBe(512);
  });
});

describe("Bernoulli masks of the packed kernel (S = 65536 sites)", () => {
  for (const beta of [0.2, 0.44, 1.0]) {
    const T = thresholdFor(4 * beta); // exp(−4β) as a u32 threshold
    const p = T / 2 ** 32;
    const masks = new Int32Array(S);
    let at = 0;
    for (const [r0, r1, r2, jj] of sites(S)) masks[at++] = packedAcceptMask(r0, r1, r2, jj, -1, 0, T, 0);

    test(`β = ${beta}: every lane accepts with frequency T/2^32 = ${p.toFixed(4)} (4σ)`, () => {
      for (let b = 0; b < 32; b++) {
        let count = 0;
        for (const m of masks) count += (m >>> b) & 1;
        expect(Math.abs(zCount(count, S, p))).toBeLessThan(4);
      }
    });

    test(`β = ${beta}: no correlation between lanes of a site`, () => {
      expectUncorrelated(correlationZs(masks, masks, true));
    });

    test(`β = ${beta}: no correlation between neighbouring sites (same block and across blocks)`, () => {
      expectUncorrelated(correlationZs(masks.subarray(0, S - 1), masks.subarray(1), false));
      // Sites 4 apart: the same place jj in consecutive blocks.
      expectUncorrelated(correlationZs(masks.subarray(0, S - 4), masks.subarray(4), false));
    });
  }

  test("both thresholds at once (β = 0.44): even lanes T4, odd lanes T8", () => {
    const { t4, t8 } = packedThresholds(0.44);
    const counts = Array(32).fill(0);
    for (const [r0, r1, r2, jj] of sites(S)) {
      const m = packedAcceptMask(r0, r1, r2, jj, 0x55555555, 0xaaaaaaaa | 0, t4, t8);
      for (let b = 0; b < 32; b++) counts[b] += (m >>> b) & 1;
    }
    counts.forEach((c, b) => {
      expect(Math.abs(zCount(c, S, (b & 1 ? t8 : t4) / 2 ** 32))).toBeLessThan(4);
    });
  });

  test("consecutive levels of a site are independent words (levels 1…8, every lane)", () => {
    // Bit b of u_m and of u_{m+1} agree with probability 1/2, and u_m's bits are not correlated
    // with u_{m+1}'s across lanes either.
    for (let m = 0; m < 8; m++) {
      const a = new Int32Array(S);
      const c = new Int32Array(S);
      let at = 0;
      for (const [r0, r1, r2, jj] of sites(S)) {
        a[at] = packedWord(r0, r1, r2, 4 * m + jj);
        c[at++] = packedWord(r0, r1, r2, 4 * (m + 1) + jj);
      }
      for (let b = 0; b < 32; b++) {
        let agree = 0;
        for (let t = 0; t < S; t++) agree += ((a[t] ^ c[t]) >>> b) & 1 ? 0 : 1;
        expect(Math.abs(zCount(agree, S, 0.5))).toBeLessThan(4);
      }
      expectUncorrelated(correlationZs(a, c, false));
    }
  });
});
