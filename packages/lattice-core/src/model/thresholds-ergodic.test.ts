// The derived thresholds drive colour-by-colour Metropolis to the Boltzmann distribution: the
// exact one-sweep transition kernel of small rings, applied to point masses, against the
// enumerated state probabilities. Plain Metropolis (zero-cost flips always taken) is shown to
// fail on the same ring and on tori with a side of 2, which is why those accept such flips with
// probability ½.
import { describe, expect, test } from "vitest";
import { isingStateProbabilities } from "../exact/enumerate-model.js";
import { defineModel } from "./define.js";
import { modelTables } from "./derive.js";
import {
  ACCEPT_HALF,
  ALWAYS,
  isingDeltaETable,
  isingLocalIndex,
  isingThresholds,
  thresholdFor,
  zeroCostFlipsAtHalf,
} from "./ising.js";
import { standardSquareModel } from "./standard.js";
import type { Model } from "./types.js";

/** Spins of state k (bit i set ↔ spin −1), the convention of isingStateProbabilities. */
function spinsOf(k: number, N: number): Int8Array {
  return Int8Array.from({ length: N }, (_, i) => ((k >> i) & 1 ? -1 : 1));
}

/** One sweep (colour classes in order, every site of a class) applied to a distribution. */
function sweepDistribution(model: Model, thresholds: Uint32Array, p: Float64Array): Float64Array {
  const tb = modelTables(model);
  const N = tb.lattice.nSites;
  let cur = p;
  for (const cls of tb.colouring.classes)
    for (const i of cls) {
      const next = new Float64Array(cur.length);
      for (let k = 0; k < cur.length; k++) {
        if (cur[k] === 0) continue;
        const T = thresholds[isingLocalIndex(model, spinsOf(k, N), i)];
        const a = T === ALWAYS ? 1 : T / 4294967296;
        next[k ^ (1 << i)] += cur[k] * a;
        next[k] += cur[k] * (1 - a);
      }
      cur = next;
    }
  return cur;
}

/** Total-variation distance to the Boltzmann distribution after `sweeps` sweeps from state k. */
function distanceAfter(model: Model, thresholds: Uint32Array, k: number, sweeps: number): number {
  const exact = isingStateProbabilities(model);
  let p = new Float64Array(exact.length);
  p[k] = 1;
  for (let s = 0; s < sweeps; s++) p = sweepDistribution(model, thresholds, p) as Float64Array<ArrayBuffer>;
  let d = 0;
  for (let j = 0; j < p.length; j++) d += Math.abs(p[j] - exact[j]);
  return d / 2;
}

const ring = (L: number, terms: Model["terms"] | object[]) =>
  defineModel({ spin: "ising", lattice: { chain: L }, terms: terms as never });

describe("colour-by-colour Metropolis with the derived thresholds", () => {
  const nnRing = ring(6, [{ name: "nn", coupling: 0.4, sites: [[0], [1]] }]);
  // From all up, from one domain wall pair, from the Néel state: three of the plain kernel's
  // invariant sets on this ring.
  const starts = [0b000000, 0b000111, 0b010101];

  test("nn ring: every start reaches the Boltzmann distribution (zero-cost flips at ½)", () => {
    const th = isingThresholds(nnRing) as Uint32Array;
    expect(Array.from(th)).toContain(ACCEPT_HALF);
    for (const k of starts) expect(distanceAfter(nnRing, th, k, 200)).toBeLessThan(1e-9);
  });

  test("the same ring with zero-cost flips always taken does not (why chains use ½)", () => {
    const plain = Uint32Array.from(isingDeltaETable(nnRing), thresholdFor);
    const d = starts.map((k) => distanceAfter(nnRing, plain, k, 200));
    expect(Math.max(...d)).toBeGreaterThan(0.05);
  });

  test("a ring with nn, a 3-spin term and a field (odd length, 3 colours) converges too", () => {
    const m = ring(7, [
      { name: "nn", coupling: 0.3, sites: [[0], [1]] },
      { name: "tri", coupling: -0.3, sites: [[0], [1], [2]] },
      { name: "h", coupling: 0.2, sites: [[0]] },
    ]);
    const th = isingThresholds(m) as Uint32Array;
    for (const k of [0, 0b0101010, 0b1111111]) expect(distanceAfter(m, th, k, 300)).toBeLessThan(1e-9);
  });
});

describe("tori with a side of 2 (both neighbours along that axis are one site)", () => {
  const nn = { nn: 0.35, plaquette: 0, nnn: 0, field: 0 };
  // Sites are numbered x + Lx·y, bit i set ↔ spin −1: 0b1100 is two rows of opposite sign on
  // 2×2, a stripe state in which every flip costs 0.
  const tori: [string, Model, number[]][] = [
    ["2×2 nn", standardSquareModel(2, 2, nn), [0b0000, 0b1100, 0b1010, 0b0110]],
    ["4×2 nn", standardSquareModel(4, 2, nn), [0b11110000, 0b00110011]],
    ["2×4 nn", standardSquareModel(2, 4, nn), [0b11001100]],
    [
      "4×2 with plaquette, nnn and field",
      standardSquareModel(4, 2, { nn: 0.3, plaquette: -0.2, nnn: 0.15, field: 0.1 }),
      [0b11110000],
    ],
  ];

  test("the rule: chains and sides of 1 or 2, nothing else", () => {
    expect(zeroCostFlipsAtHalf({ kind: "chain", L: 6 })).toBe(true);
    expect(zeroCostFlipsAtHalf({ kind: "square", Lx: 2, Ly: 4 })).toBe(true);
    expect(zeroCostFlipsAtHalf({ kind: "square", Lx: 4, Ly: 2 })).toBe(true);
    expect(zeroCostFlipsAtHalf({ kind: "square", Lx: 4, Ly: 4 })).toBe(false);
    expect(zeroCostFlipsAtHalf({ kind: "square", Lx: 8, Ly: 1 })).toBe(true);
    expect(zeroCostFlipsAtHalf({ kind: "square", Lx: 3, Ly: 6 })).toBe(false);
    expect(zeroCostFlipsAtHalf({ kind: "cubic", L: 2 })).toBe(true);
    expect(zeroCostFlipsAtHalf({ kind: "cubic", L: 4 })).toBe(false);
  });

  for (const [name, m, starts] of tori) {
    test(`${name}: every start reaches the Boltzmann distribution (zero-cost flips at ½)`, () => {
      const th = isingThresholds(m) as Uint32Array;
      expect(Array.from(th)).toContain(ACCEPT_HALF);
      for (const k of starts) expect(distanceAfter(m, th, k, 200), `start ${k}`).toBeLessThan(1e-9);
    });
  }

  test("with zero-cost flips always taken, stripe starts never get there", () => {
    for (const [name, m, starts] of tori.slice(0, 3)) {
      const plain = isingThresholds(m, undefined, 0, false) as Uint32Array;
      expect(Array.from(plain), name).not.toContain(ACCEPT_HALF);
      const d = starts.map((k) => distanceAfter(m, plain, k, 50));
      expect(Math.max(...d), name).toBeGreaterThan(0.05);
    }
  });

  test("a 4×4 torus keeps plain Metropolis and still converges", () => {
    const m = standardSquareModel(4, 4, nn);
    const th = isingThresholds(m) as Uint32Array;
    expect(Array.from(th)).not.toContain(ACCEPT_HALF);
    expect(Array.from(th)).toContain(ALWAYS);
  });
});
