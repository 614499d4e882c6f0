import { deltaE, squareLattice } from "@physml/lattice-core";
import { seededUint32 } from "@physml/lattice-core/testing";
import { describe, expect, test } from "vitest";
import {
  ALWAYS,
  packedThresholds,
  THRESHOLDS_PER_CHAIN,
  thresholdFor,
  thresholdIndex,
  thresholdTable,
} from "./acceptance.js";

describe("acceptance thresholds", () => {
  test("ΔE ≤ 0 always accepts; otherwise floor(2^32 e^-ΔE), capped below ALWAYS", () => {
    expect(thresholdFor(0)).toBe(ALWAYS);
    expect(thresholdFor(-3)).toBe(ALWAYS);
    expect(thresholdFor(Math.LN2)).toBe(2 ** 31);
    expect(thresholdFor(1e-300)).toBe(0xfffffffe);
    expect(thresholdFor(800)).toBe(0);
  });

  test("the table entry of every local neighbourhood matches lattice-core's ΔE", () => {
    // Independent truth: lattice-core's deltaE on actual configurations of a 4×4 lattice.
    const lat = squareLattice(4);
    const c = { nn: 0.37, plaquette: -0.21, nnn: 0.13, field: 0.05 };
    const table = thresholdTable(c);
    expect(table.length).toBe(THRESHOLDS_PER_CHAIN);
    const word = seededUint32(99);
    const spins = new Int8Array(16);
    for (let t = 0; t < 400; t++) {
      for (let i = 0; i < 16; i++) spins[i] = word() & 1 ? 1 : -1;
      const i = t % 16;
      const [x, y] = lat.coords(i);
      const s = (dx: number, dy: number) => spins[lat.site(x + dx, y + dy)];
      const a = s(1, 0) + s(0, 1) + s(-1, 0) + s(0, -1);
      const b = s(1, 1) + s(-1, 1) + s(-1, -1) + s(1, -1);
      const q =
        s(1, 0) * s(1, 1) * s(0, 1) +
        s(-1, 0) * s(-1, 1) * s(0, 1) +
        s(-1, -1) * s(0, -1) * s(-1, 0) +
        s(0, -1) * s(1, -1) * s(1, 0);
      const dE = deltaE(lat, c, spins, i);
      const expected = dE <= 0 ? ALWAYS : Math.floor(2 ** 32 * Math.exp(-dE));
      const got = table[thresholdIndex(spins[i], a, b, q)];
      // Same ΔE up to rounding of the sum order: at most one unit of the threshold apart.
      expect(Math.abs(got - expected)).toBeLessThanOrEqual(dE <= 0 ? 0 : 1 + expected * 1e-14);
    }
  });

  test("packed thresholds are the int-kernel ones for ΔE = 4|J| and 8|J|", () => {
    for (const J of [0.44, -0.3]) {
      const { t4, t8 } = packedThresholds(J);
      expect(t4).toBe(Math.floor(2 ** 32 * Math.exp(-4 * Math.abs(J))));
      expect(t8).toBe(Math.floor(2 ** 32 * Math.exp(-8 * Math.abs(J))));
    }
    expect(packedThresholds(0)).toEqual({ t4: ALWAYS, t8: ALWAYS });
  });
});
