// Ising ΔE, energies, term sums, the ΔE table and its count form against the energy difference
// of two full configurations computed straight from the model's terms on coordinates
// (test/model-reference.ts), for every configuration and every site of tiny tori.
import { describe, expect, it } from "vitest";
import {
  configOf,
  instancesOf,
  isingEnergyDirect,
  isingSumsDirect,
  sidesOf,
} from "../../test/model-reference.js";
import { PhysmlInputError } from "../errors.js";
import { seededUniform } from "../testing/index.js";
import { defineModel } from "./define.js";
import { modelTables } from "./derive.js";
import {
  ACCEPT_HALF,
  ALWAYS,
  energyFromTermSums,
  isingDeltaETable,
  isingLocalIndex,
  isingModelDeltaE,
  isingModelEnergy,
  isingTermSums,
  isingThresholds,
  thresholdFor,
} from "./ising.js";
import { isingCountTable } from "./ising-counts.js";
import { nearestNeighbourShapes, standardSquareModel } from "./standard.js";
import type { Model, ModelInput } from "./types.js";

const chainSites = (n: number, from = 0) => Array.from({ length: n }, (_, k) => [from + k]);

const PLAQ = [
  [0, 0],
  [1, 0],
  [1, 1],
  [0, 1],
];

const INPUTS: Record<string, ModelInput> = {
  "chain 5: nn, 3-spin, two fields": {
    spin: "ising",
    lattice: { chain: 5 },
    terms: [
      { name: "nn", coupling: 0.3, sites: chainSites(2) },
      { name: "three", coupling: -0.2, sites: chainSites(3) },
      { name: "h", coupling: 0.1, shapes: [[[0]], [[0]]] },
    ],
  },
  "twisted chain 6: nn, 4-spin": {
    spin: "ising",
    lattice: { chain: 6, twist: [true] },
    terms: [
      { name: "nn", coupling: 0.35, sites: chainSites(2) },
      { name: "four", coupling: -0.15, sites: chainSites(4, -1) },
    ],
  },
  "square 2x4 twisted along y: nn, plaquette, diagonal": {
    spin: "ising",
    lattice: { square: [2, 4], twist: [false, true] },
    terms: [
      { name: "nn", coupling: 0.4, shapes: nearestNeighbourShapes(2) },
      { name: "p", coupling: -0.25, sites: PLAQ },
      {
        name: "d",
        coupling: 0.15,
        sites: [
          [0, 0],
          [-1, 2],
        ],
      },
    ],
  },
  "square 3x3 twisted along x and y: nn": {
    spin: "ising",
    lattice: { square: 3, twist: [true, true] },
    terms: [{ name: "nn", coupling: -0.3, shapes: nearestNeighbourShapes(2) }],
  },
  "cubic 2 twisted along z: nn": {
    spin: "ising",
    lattice: { cubic: 2, twist: [false, false, true] },
    terms: [{ name: "nn", coupling: 0.25, shapes: nearestNeighbourShapes(3) }],
  },
  "cubic 2: nn, field": {
    spin: "ising",
    lattice: { cubic: 2 },
    terms: [
      { name: "nn", coupling: 0.2, shapes: nearestNeighbourShapes(3) },
      { name: "h", coupling: -0.45, sites: [[0, 0, 0]] },
    ],
  },
  "square 3x2 with a zero coupling and two 3-spin shapes": {
    spin: "ising",
    lattice: { square: [3, 2] },
    terms: [
      { name: "nn", coupling: 0, shapes: nearestNeighbourShapes(2) },
      {
        name: "tri",
        coupling: 0.3,
        shapes: [
          [
            [0, 0],
            [1, 0],
            [0, 1],
          ],
          [
            [0, 0],
            [-1, 0],
            [0, -1],
          ],
        ],
      },
      { name: "h", coupling: 0.05, sites: [[0, 0]] },
    ],
  },
};

const MODELS = Object.entries(INPUTS).map(([name, input]) => [name, defineModel(input)] as const);
MODELS.push([
  "standard square 3x3",
  standardSquareModel(3, 3, { nn: 0.3, plaquette: -0.2, nnn: 0.1, field: 0.05 }),
]);

/** P_t (sites in multi-site shapes) and f_t (1-site shapes) counted from the shapes. */
function positionsAndFields(m: Model): { P: number[]; f: number[] } {
  const P = m.terms.map((t) => t.shapes.reduce((a, s) => a + (s.length > 1 ? s.length : 0), 0));
  const f = m.terms.map((t) => t.shapes.filter((s) => s.length === 1).length);
  return { P, f };
}

/** Acceptance probability a threshold stands for (`r < T` for uniform u32 r, or always). */
const acceptance = (T: number): number => (T === ALWAYS ? 1 : T / 2 ** 32);

/** Configurations to try: all of them up to 64, else 48 seeded random ones. */
function configurations(N: number): Int8Array[] {
  if (N <= 6) return Array.from({ length: 1 << N }, (_, c) => configOf(c, N));
  const u = seededUniform(5);
  return Array.from({ length: 48 }, () => configOf(Math.floor(u() * 2 ** N), N));
}

/** Mismatches as messages (one expect per test keeps the loops fast). */
function mismatch(bad: string[], what: string, got: number, want: number, tol = 1e-12): void {
  if (!(Math.abs(got - want) <= tol)) bad.push(`${what}: got ${got}, want ${want}`);
}

/**
 * Lattices whose zero-cost flips are taken at ½ (plain Metropolis is reducible there): chains, and
 * tori with a side of 1 (rings along the other axes) or 2 (both neighbours along it one site).
 */
const halfAtZero = (l: Model["lattice"]): boolean =>
  l.kind === "chain" || (l.kind === "square" ? Math.min(l.Lx, l.Ly) <= 2 : l.L <= 2);

/** Metropolis acceptance to within the u32 resolution; ½ for a zero-cost flip where halfAtZero. */
function acceptanceMismatch(bad: string[], what: string, T: number, de: number, chain: boolean): void {
  if (chain && Math.abs(de) < 1e-9) mismatch(bad, what, T, ACCEPT_HALF, 0);
  else mismatch(bad, what, acceptance(T), Math.min(1, Math.exp(-de)), 2 ** -31);
}

describe("Ising ΔE against two full energies from the terms", () => {
  for (const [name, m] of MODELS) {
    it(`${name}: every site of each configuration`, () => {
      const N = sidesOf(m).reduce((a, b) => a * b, 1);
      const tb = modelTables(m);
      expect(tb.degenerate).toBeNull();
      expect(tb.lattice.nSites).toBe(N);
      const table = isingDeltaETable(m);
      const thresholds = isingThresholds(m);
      const counts = isingCountTable(m);
      const { P, f } = positionsAndFields(m);
      const chain = halfAtZero(m.lattice);
      const bad: string[] = [];
      for (const s of configurations(N)) {
        const c = s.join(",");
        const sums = isingSumsDirect(m, s);
        for (const [t, v] of isingTermSums(m, s).entries()) mismatch(bad, `${c} S_${t}`, v, sums[t], 0);
        const e0 = isingEnergyDirect(m, s);
        mismatch(bad, `${c} E`, isingModelEnergy(m, s), e0);
        for (let i = 0; i < N; i++) {
          s[i] = -s[i];
          const de = isingEnergyDirect(m, s) - e0;
          s[i] = -s[i];
          mismatch(bad, `${c} i=${i} stencil ΔE`, isingModelDeltaE(m, s, i), de);
          const idx = isingLocalIndex(m, s, i);
          if (idx >= tb.half !== s[i] > 0) bad.push(`${c} i=${i} index ${idx} in the wrong half`);
          mismatch(bad, `${c} i=${i} table ΔE`, table[idx], de);
          acceptanceMismatch(bad, `${c} i=${i} threshold`, thresholds[idx], de, chain);
          // Count form: n_t = instances through i with product −1. The product of an instance
          // containing i is s_i times the rest, so ΔE = 2Σ_t c_t (P_t + f_t − 2n_t).
          const n = negativeCountsDirect(m, s, i);
          const at = n.reduce((acc, v, t) => acc + v * counts.stride[t], 0);
          mismatch(bad, `${c} i=${i} count ΔE`, counts.deltaE[at], de);
          mismatch(bad, `${c} i=${i} count threshold`, counts.thresholds[at], thresholds[idx], 0);
          const byCounts = 2 * m.terms.reduce((acc, t, k) => acc + t.coupling * (P[k] + f[k] - 2 * n[k]), 0);
          mismatch(bad, `${c} i=${i} 2Σc(P+f−2n)`, byCounts, de);
        }
      }
      expect(bad.slice(0, 5)).toEqual([]);
    });
  }

  it("the whole table follows its documented layout (entries no configuration reaches included)", () => {
    for (const [, m] of MODELS) {
      const { P, f } = positionsAndFields(m);
      const tb = modelTables(m);
      const radix = P.map((p) => p + 1);
      expect(tb.radix).toEqual(radix);
      const half = radix.reduce((a, b) => a * b, 1);
      expect(tb.half).toBe(half);
      // Last term fastest.
      expect(tb.stride).toEqual(radix.map((_, t) => radix.slice(t + 1).reduce((a, b) => a * b, 1)));
      const table = isingDeltaETable(m);
      expect(table.length).toBe(2 * half);
      for (let idx = 0; idx < 2 * half; idx++) {
        const s = idx >= half ? 1 : -1;
        let r = idx % half;
        let local = 0;
        for (let t = m.terms.length - 1; t >= 0; t--) {
          const digit = r % radix[t];
          r = (r - digit) / radix[t];
          local += m.terms[t].coupling * (f[t] + 2 * digit - P[t]);
        }
        expect(table[idx]).toBeCloseTo(2 * s * local, 12);
      }
    }
  });

  it("count table: sizes, strides, and NaN exactly where a field's count contradicts the spin", () => {
    for (const [, m] of MODELS) {
      const { P, f } = positionsAndFields(m);
      const ct = isingCountTable(m);
      const size = P.map((p, t) => p + f[t]);
      expect(ct.size).toEqual(size);
      const radix = size.map((v) => v + 1);
      expect(ct.stride).toEqual(radix.map((_, t) => radix.slice(t + 1).reduce((a, b) => a * b, 1)));
      const total = radix.reduce((a, b) => a * b, 1);
      expect(ct.deltaE.length).toBe(total);
      expect(ct.thresholds.length).toBe(total);
      for (let idx = 0; idx < total; idx++) {
        let r = idx;
        const n: number[] = [];
        for (let t = size.length - 1; t >= 0; t--) {
          n[t] = r % radix[t];
          r = (r - n[t]) / radix[t];
        }
        // s = +1: fields positive, so n_t ≤ P_t; s = −1: every field negative, so n_t ≥ f_t.
        const possible = n.every((v, t) => v <= P[t]) || n.every((v, t) => v >= f[t]);
        if (!possible) {
          expect(ct.deltaE[idx]).toBeNaN();
          expect(ct.thresholds[idx]).toBe(0);
          continue;
        }
        const de = 2 * m.terms.reduce((acc, t, k) => acc + t.coupling * (P[k] + f[k] - 2 * n[k]), 0);
        expect(ct.deltaE[idx]).toBeCloseTo(de, 12);
        if (Math.abs(de) < 1e-9 && halfAtZero(m.lattice)) expect(ct.thresholds[idx]).toBe(ACCEPT_HALF);
        else
          expect(Math.abs(acceptance(ct.thresholds[idx]) - Math.min(1, Math.exp(-de)))).toBeLessThanOrEqual(
            2 ** -31,
          );
      }
    }
  });
});

/** n_t for flipping i, from the direct instances: products −1 among instances through i. */
function negativeCountsDirect(m: Model, s: Int8Array, i: number): number[] {
  return m.terms.map((_, t) => {
    let n = 0;
    for (const { sites, sign } of instancesOf(m, t)) {
      const hits = sites.filter((j) => j === i).length;
      const p = sites.reduce((acc, j) => acc * s[j], sign);
      if (p < 0) n += hits;
    }
    return n;
  });
}

describe("degenerate stencils, offsets, thresholds and errors", () => {
  it("a term visiting one site twice: ΔE from full energies, and the tables say why", () => {
    // On a 2-site ring the 3-spin shape {0, 1, 2} visits site 0 twice (s_0² = 1).
    const m = defineModel({
      spin: "ising",
      lattice: { chain: 2 },
      terms: [
        { name: "nn", coupling: 0.3, sites: chainSites(2) },
        { name: "three", coupling: -0.7, sites: chainSites(3) },
        { name: "h", coupling: 0.2, sites: [[0]] },
      ],
    });
    expect(modelTables(m).degenerate).toBe("term three shape 0 visits a site twice on this lattice");
    for (let c = 0; c < 4; c++) {
      const s = configOf(c, 2);
      const e0 = isingEnergyDirect(m, s);
      for (let i = 0; i < 2; i++) {
        s[i] = -s[i];
        const de = isingEnergyDirect(m, s) - e0;
        s[i] = -s[i];
        expect(isingModelDeltaE(m, s, i)).toBeCloseTo(de, 12);
        // The same inside a longer array, at an offset, with junk around it.
        const big = Int8Array.from([1, -1, -1, ...s, -1]);
        expect(isingModelDeltaE(m, big, i, 3)).toBeCloseTo(de, 12);
      }
    }
    // Only the first offending shape is named.
    const two = defineModel({
      spin: "ising",
      lattice: { chain: 3 },
      terms: [
        { name: "a", coupling: 1, sites: chainSites(2) },
        { name: "b", coupling: 1, shapes: [chainSites(2), [[0], [3]], [[0], [-3]]] },
        { name: "c", coupling: 1, sites: [[0], [6]] },
      ],
    });
    expect(modelTables(two).degenerate).toBe("term b shape 1 visits a site twice on this lattice");
  });

  it("reads a configuration at an offset inside a longer array", () => {
    const [, m] = MODELS.find(([n]) => n.startsWith("square 2x4"))!;
    const N = 8;
    const s = configOf(0b10110010, N);
    const big = new Int8Array(N + 5).fill(-1);
    big.set(s, 2);
    big[0] = 1;
    expect(Array.from(isingTermSums(m, big, 2))).toEqual(isingSumsDirect(m, s));
    for (let i = 0; i < N; i++) {
      expect(isingLocalIndex(m, big, i, 2)).toBe(isingLocalIndex(m, s, i));
      expect(isingModelDeltaE(m, big, i, 2)).toBe(isingModelDeltaE(m, s, i));
    }
    const sums = [9, 9, ...isingSumsDirect(m, s)];
    expect(energyFromTermSums(m, sums, 2)).toBeCloseTo(isingEnergyDirect(m, s), 12);
    expect(isingModelEnergy(m, big, 2)).toBeCloseTo(isingEnergyDirect(m, s), 12);
  });

  it("thresholds: Metropolis as u32, capped below ALWAYS, written at an offset", () => {
    expect(thresholdFor(0)).toBe(ALWAYS);
    expect(thresholdFor(-0.5)).toBe(ALWAYS);
    expect(ALWAYS).toBe(2 ** 32 - 1);
    expect(ACCEPT_HALF).toBe(2 ** 31);
    // e^−ΔE rounds to 1 for tiny ΔE > 0: capped one below ALWAYS, so r = 2^32 − 1 rejects.
    expect(thresholdFor(1e-18)).toBe(2 ** 32 - 2);
    expect(thresholdFor(1000)).toBe(0);
    for (const de of [0.01, 0.5, 1, 3, 20]) {
      const T = thresholdFor(de);
      expect(Number.isInteger(T)).toBe(true);
      expect(T / 2 ** 32).toBeLessThanOrEqual(Math.exp(-de));
      expect((T + 1) / 2 ** 32).toBeGreaterThan(Math.exp(-de));
    }
    const [, m] = MODELS[0];
    const own = isingThresholds(m);
    const out = new Uint32Array(own.length + 7).fill(123);
    const ret = isingThresholds(m, out, 4);
    expect(ret).toBe(out);
    expect(Array.from(out.subarray(0, 4))).toEqual([123, 123, 123, 123]);
    expect(Array.from(out.subarray(4, 4 + own.length))).toEqual(Array.from(own));
    expect(Array.from(out.subarray(4 + own.length))).toEqual([123, 123, 123]);
  });

  it("a ΔE that is zero up to rounding counts as zero on chains (½), never elsewhere", () => {
    // 0.1 + 0.2 − 0.3 ≠ 0 in Float64: entries of order 1e-16 where the three terms cancel.
    const terms = [
      { name: "a", coupling: 0.1, sites: [[0], [1]] },
      { name: "b", coupling: 0.2, sites: [[0], [2]] },
      { name: "c", coupling: -0.3, sites: [[0], [3]] },
    ];
    const chain = defineModel({ spin: "ising", lattice: { chain: 8 }, terms });
    const table = isingDeltaETable(chain);
    const tiny = Array.from(table.keys()).filter((j) => table[j] !== 0 && Math.abs(table[j]) < 1e-14);
    expect(tiny.length).toBeGreaterThan(0);
    const th = isingThresholds(chain);
    for (const j of tiny) expect(th[j]).toBe(ACCEPT_HALF);
    // Differences of order the couplings are not rounding: plain Metropolis.
    for (let j = 0; j < table.length; j++)
      if (Math.abs(table[j]) > 1e-3) expect(th[j]).toBe(thresholdFor(table[j]));
    const square = defineModel({
      spin: "ising",
      lattice: { square: [8, 3] },
      terms: terms.map((t) => ({ ...t, sites: t.sites.map(([x]) => [x, 0]) })),
    });
    const sth = isingThresholds(square);
    for (const j of tiny) expect(sth[j]).toBe(thresholdFor(table[j]));
  });

  it("zero below rounding of the couplings' scale: all-zero couplings, and large couplings", () => {
    // Every ΔE is exactly 0 when every coupling is 0: a chain takes each flip with probability ½.
    const off = defineModel({
      spin: "ising",
      lattice: { chain: 4 },
      terms: [{ name: "a", coupling: 0, sites: [[0], [1]] }],
    });
    expect(Array.from(new Set(isingThresholds(off)))).toEqual([ACCEPT_HALF]);
    // Couplings of order 100 cancel to rounding errors of order 1e-14 (not 1e-16).
    const big = defineModel({
      spin: "ising",
      lattice: { chain: 8 },
      terms: [
        { name: "a", coupling: 100.1, sites: [[0], [1]] },
        { name: "b", coupling: 200.2, sites: [[0], [2]] },
        { name: "c", coupling: -300.3, sites: [[0], [3]] },
      ],
    });
    const table = isingDeltaETable(big);
    const tiny = Array.from(table.keys()).filter((j) => table[j] !== 0 && Math.abs(table[j]) < 1e-9);
    expect(tiny.length).toBeGreaterThan(0);
    expect(Math.max(...tiny.map((j) => Math.abs(table[j])))).toBeGreaterThan(1e-15);
    const th = isingThresholds(big);
    for (const j of tiny) expect(th[j]).toBe(ACCEPT_HALF);
  });

  it("names the bad argument: spin kind, configuration length, site index", () => {
    const xy = defineModel({
      spin: "xy",
      lattice: { chain: 4 },
      terms: [{ name: "j", coupling: 1, sites: chainSites(2) }],
    });
    for (const f of [
      () => isingDeltaETable(xy),
      () => isingCountTable(xy),
      () => isingTermSums(xy, new Int8Array(4)),
      () => isingModelDeltaE(xy, new Int8Array(4), 0),
    ])
      expect(f).toThrow('model.spin: expected "ising", got on(2)');
    const [, m] = MODELS[0]; // chain of 5
    const s = configOf(3, 5);
    expect(() => isingTermSums(m, s.subarray(0, 4))).toThrow(
      "spins.length: expected at least 5 (an Int8Array of ±1), got 4",
    );
    expect(() => isingTermSums(m, s, 1)).toThrow(
      "spins.length: expected at least 6 (an Int8Array of ±1), got 5",
    );
    expect(() => isingTermSums(m, Float64Array.from(s) as never)).toThrow(PhysmlInputError);
    expect(() => isingTermSums(m, undefined as never)).toThrow(
      "spins.length: expected at least 5 (an Int8Array of ±1), got undefined",
    );
    expect(() => isingModelDeltaE(m, s, 0, 1)).toThrow("spins.length: expected at least 6");
    expect(isingTermSums(m, s, 0).length).toBe(3);
    for (const i of [-1, 5, 1.5, Number.NaN])
      expect(() => isingModelDeltaE(m, s, i)).toThrow(`i: expected an integer in [0, 4], got ${i}`);
    expect(isingModelDeltaE(m, s, 4)).toBeCloseTo(
      (() => {
        const t = s.slice();
        t[4] = -t[4];
        return isingEnergyDirect(m, t) - isingEnergyDirect(m, s);
      })(),
      12,
    );
  });
});
