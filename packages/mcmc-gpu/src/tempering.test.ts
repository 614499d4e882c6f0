import { type Couplings, TERM_NAMES } from "@physml/lattice-core";
import { describe, expect, test } from "vitest";
import { Tempering } from "./tempering.js";

// Independent truth for replica exchange: the weight of an assignment (slot s → chain π(s)) is
// the product of the slot Boltzmann weights Π_s exp(t_s · S(x_π(s))) (couplings absorb β; the
// weight is exp(−H) = exp(t · S)). A swap is accepted with min(1, weight after / weight before),
// and the chain of assignments must have this product as its stationary distribution.

const J: Couplings = { nn: 1, plaquette: 0.5, nnn: -0.25, field: 0.1 };
const ladder = (betas: number[]): Couplings[] =>
  betas.map((b) => ({ nn: b * J.nn, plaquette: b * J.plaquette, nnn: b * J.nnn, field: b * J.field }));
const dot = (t: Couplings, S: readonly number[]): number =>
  TERM_NAMES.reduce((acc, n, k) => acc + t[n] * S[k], 0);

/** log of the product of slot Boltzmann weights for the assignment chainOfSlot. */
function logWeight(
  slots: readonly Couplings[],
  sums: readonly number[][],
  chainOfSlot: ArrayLike<number>,
): number {
  return slots.reduce((acc, t, s) => acc + dot(t, sums[chainOfSlot[s]]), 0);
}

/** Swap acceptance for slot pair (s, s+1) from the weights before and after the swap. */
function swapProbability(slots: readonly Couplings[], sums: readonly number[][], s: number): number {
  const before = Array.from(slots, (_, k) => k);
  const after = before.slice();
  [after[s], after[s + 1]] = [after[s + 1], after[s]];
  return Math.min(1, Math.exp(logWeight(slots, sums, after) - logWeight(slots, sums, before)));
}

/** Term sums in the layout `exchange` reads: `terms[chain·4 + k]`. */
const flat = (sums: readonly number[][]): Float64Array => Float64Array.from(sums.flat());

/** Both arrays are permutations of 0..n−1 and inverse to each other. */
function expectInversePermutations(t: Tempering): void {
  expect([...t.chainOfSlot].sort((x, y) => x - y)).toEqual(Array.from({ length: t.slots }, (_, k) => k));
  for (let s = 0; s < t.slots; s++) expect(t.slotOfChain[t.chainOfSlot[s]]).toBe(s);
}

/** Binomial bound: |k/n − p| within 5 standard errors (one chance in ~1.7 million to fail by luck). */
function expectRate(k: number, n: number, p: number): void {
  expect(Math.abs(k / n - p)).toBeLessThanOrEqual(5 * Math.sqrt((p * (1 - p)) / n));
}

describe("Tempering", () => {
  test("starts from the identity assignment with one statistics entry per slot pair", () => {
    const t = new Tempering(5, 3, 7, 9);
    expect([...t.chainOfSlot]).toEqual([0, 1, 2, 3, 4]);
    expect([...t.slotOfChain]).toEqual([0, 1, 2, 3, 4]);
    expect([...t.proposed]).toEqual([0, 0, 0, 0]);
    expect([...t.accepted]).toEqual([0, 0, 0, 0]);
    expect(t.events).toBe(0);
  });

  test("a swap is accepted with min(1, Boltzmann weight after / before), per slot pair", () => {
    // Four slots: event 0 proposes pairs (0,1) and (2,3), which involve chains 0..3.
    const slots = ladder([0.2, 0.5, 0.9, 1.4]);
    const sums = [
      [10, 2, -4, 6],
      [13, 4, -6, 6],
      [-6, 4, 8, -2],
      [-5, 4, 8, 0],
    ];
    const p01 = swapProbability(slots, sums, 0);
    const p23 = swapProbability(slots, sums, 2);
    // Neither certain nor negligible, and distinct: a sign or index slip moves the rate.
    expect(p01).toBeGreaterThan(0.1);
    expect(p23).toBeLessThan(0.9);
    expect(Math.abs(p01 - p23)).toBeGreaterThan(0.2);
    const terms = flat(sums);
    const n = 4000;
    let k01 = 0;
    let k23 = 0;
    for (let trial = 0; trial < n; trial++) {
      const t = new Tempering(4, 1, trial, 12345);
      const changed = t.exchange(slots, terms);
      const a01 = t.accepted[0] === 1;
      const a23 = t.accepted[2] === 1;
      k01 += +a01;
      k23 += +a23;
      expect(changed).toBe(a01 || a23);
      expect([...t.proposed]).toEqual([1, 0, 1]);
      expect(t.accepted[1]).toBe(0);
      expect(t.events).toBe(1);
      expect([...t.chainOfSlot]).toEqual([a01 ? 1 : 0, a01 ? 0 : 1, a23 ? 3 : 2, a23 ? 2 : 3]);
      expectInversePermutations(t);
      // Each chain now runs with the couplings of the slot it carries.
      const perChain = t.chainCouplings(slots);
      for (let s = 0; s < 4; s++) expect(perChain[t.chainOfSlot[s]]).toBe(slots[s]);
    }
    expectRate(k01, n, p01);
    expectRate(k23, n, p23);
  });

  test("uphill swaps and equal term sums always go through; a hopeless swap never does", () => {
    const slots = ladder([0.2, 0.5, 0.9]);
    // Colder slot on the lower-energy chain after the swap: weight ratio > 1.
    const uphill = [
      [13, 4, -6, 6],
      [10, 2, -4, 6],
      [0, 0, 0, 0],
    ];
    expect(swapProbability(slots, uphill, 0)).toBe(1);
    const equal = [
      [3, 1, 1, 2],
      [3, 1, 1, 2],
      [3, 1, 1, 2],
    ];
    // Weight ratio e^{-90}: expected acceptances in 500 trials ~ 1e-36.
    const hopeless = [
      [0, 0, 0, 0],
      [300, 0, 0, 0],
      [0, 0, 0, 0],
    ];
    expect(swapProbability(slots, hopeless, 0)).toBeLessThan(1e-38);
    for (let trial = 0; trial < 500; trial++) {
      for (const [sums, accept] of [
        [uphill, true],
        [equal, true],
        [hopeless, false],
      ] as const) {
        const t = new Tempering(3, 1, trial, 1);
        expect(t.exchange(slots, flat(sums))).toBe(accept);
        expect([...t.chainOfSlot]).toEqual(accept ? [1, 0, 2] : [0, 1, 2]);
        expect([...t.slotOfChain]).toEqual(accept ? [1, 0, 2] : [0, 1, 2]);
        expect([...t.accepted]).toEqual([accept ? 1 : 0, 0]);
      }
    }
  });

  test("events alternate between even and odd slot pairs", () => {
    // Equal term sums: every proposal accepted, so the assignment follows the proposals.
    const slots = ladder([0.1, 0.2, 0.3, 0.4, 0.5]);
    const terms = flat(Array.from({ length: 5 }, () => [1, 2, 3, 4]));
    const t = new Tempering(5, 1, 4, 2);
    t.exchange(slots, terms); // pairs (0,1), (2,3)
    expect([...t.chainOfSlot]).toEqual([1, 0, 3, 2, 4]);
    t.exchange(slots, terms); // pairs (1,2), (3,4)
    expect([...t.chainOfSlot]).toEqual([1, 3, 0, 4, 2]);
    expect([...t.slotOfChain]).toEqual([2, 0, 4, 1, 3]);
    expect([...t.proposed]).toEqual([1, 1, 1, 1]);
    expect([...t.accepted]).toEqual([1, 1, 1, 1]);
    expect(t.events).toBe(2);
    t.reset();
    expect([...t.chainOfSlot]).toEqual([0, 1, 2, 3, 4]);
    expect([...t.slotOfChain]).toEqual([0, 1, 2, 3, 4]);
  });

  test("the assignment is distributed as the product of slot Boltzmann weights (detailed balance)", () => {
    // Three slots and frozen chains: 6 assignments. Independent replicas (own Philox key) run 40
    // events from the identity; the swap probabilities below are ≥ 0.3, so 40 events leave a
    // bias far under the error bar (checked against powers of the exact 6×6 transition matrix).
    const slots = ladder([0.3, 0.6, 0.9]);
    const sums = [
      [2, 1, 0, 1],
      [4, 1, -1, 2],
      [5, 2, -2, 1],
    ];
    const perms = [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ];
    const w = perms.map((p) => Math.exp(logWeight(slots, sums, p)));
    const z = w.reduce((a, b) => a + b, 0);
    const terms = flat(sums);
    const counts = new Array<number>(perms.length).fill(0);
    const n = 3000;
    for (let r = 0; r < n; r++) {
      const t = new Tempering(3, 1, r, 777);
      for (let e = 0; e < 40; e++) t.exchange(slots, terms);
      expectInversePermutations(t);
      counts[perms.findIndex((p) => p.every((c, s) => t.chainOfSlot[s] === c))]++;
    }
    perms.forEach((_, k) => {
      expectRate(counts[k], n, w[k] / z);
    });
  });
});
