import { describe, expect, it } from "vitest";
import { seededUniform } from "../testing/index.js";
import { defineModel } from "./define.js";
import { modelTables } from "./derive.js";
import { ACCEPT_HALF, isingModelDeltaE, isingModelEnergy, thresholdFor } from "./ising.js";
import { isingCountTable } from "./ising-counts.js";
import { nearestNeighbourShapes } from "./standard.js";
import type { ModelInput } from "./types.js";

const MODELS: Record<string, ModelInput> = {
  "square nn + nnn + plaquette + field": {
    spin: "ising",
    lattice: { square: [6, 6] },
    terms: [
      { name: "nn", coupling: 0.31, shapes: nearestNeighbourShapes(2) },
      {
        name: "nnn",
        coupling: -0.17,
        shapes: [
          [
            [0, 0],
            [1, 1],
          ],
          [
            [0, 0],
            [1, -1],
          ],
        ],
      },
      {
        name: "plaq",
        coupling: 0.23,
        sites: [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
        ],
      },
      { name: "h", coupling: 0.07, sites: [[0, 0]] },
    ],
  },
  "chain 5-spin + two fields": {
    spin: "ising",
    lattice: { chain: 16 },
    terms: [
      { name: "s5", coupling: -0.4, sites: [[0], [1], [2], [3], [4]] },
      { name: "h", coupling: 0.2, shapes: [[[0]], [[0]]] },
    ],
  },
};

/** n_t for flipping site i: instances of term t through i whose product is −1. */
function counts(model: ReturnType<typeof defineModel>, s: Int8Array, i: number): number[] {
  return modelTables(model).terms.map((t) => {
    let n = 0;
    for (const { k, sites } of t.instances)
      for (let x = 0; x < sites.length; x += k) {
        let p = 1;
        let hit = 0;
        for (let q = 0; q < k; q++) {
          p *= s[sites[x + q]];
          if (sites[x + q] === i) hit++;
        }
        n += hit * (p < 0 ? 1 : 0);
      }
    return n;
  });
}

describe("isingCountTable", () => {
  for (const [name, input] of Object.entries(MODELS)) {
    it(`${name}: ΔE by counts = energy difference, thresholds = thresholdFor(ΔE) (½ at ΔE = 0 on chains)`, () => {
      const model = defineModel(input);
      const ct = isingCountTable(model);
      const N = modelTables(model).lattice.nSites;
      const u = seededUniform(7);
      const seen = new Set<number>();
      for (let trial = 0; trial < 400; trial++) {
        const s = Int8Array.from({ length: N }, () => (u() < 0.5 ? -1 : 1));
        const i = Math.floor(u() * N);
        const idx = counts(model, s, i).reduce((a, n, t) => a + n * ct.stride[t], 0);
        seen.add(idx);
        const de = ct.deltaE[idx];
        // Bit for bit the stencil ΔE (same summation order); the energy difference to rounding.
        expect(de).toBe(isingModelDeltaE(model, s, i));
        const flipped = s.slice();
        flipped[i] = -flipped[i];
        expect(de).toBeCloseTo(isingModelEnergy(model, flipped) - isingModelEnergy(model, s), 10);
        // Metropolis, except a zero-cost flip on a chain: probability ½ (see isingThresholds).
        const lazy = model.lattice.kind === "chain" && de === 0;
        expect(ct.thresholds[idx]).toBe(lazy ? ACCEPT_HALF : thresholdFor(de));
      }
      expect(seen.size).toBeGreaterThan(10);
    });
  }

  it("marks count vectors no configuration reaches (a field ties its count to the spin)", () => {
    const model = defineModel(MODELS["chain 5-spin + two fields"]);
    const ct = isingCountTable(model);
    expect(ct.size).toEqual([5, 2]);
    // n_h = 1 is impossible (both fields are negative together); n_h = 2 with n_s5 = 0 is fine.
    expect(Number.isNaN(ct.deltaE[0 * ct.stride[0] + 1])).toBe(true);
    expect(ct.thresholds[1]).toBe(0);
    expect(ct.deltaE[2]).toBe(2 * (-0.4 * 5 + 0.2 * (2 - 4)));
  });
});
