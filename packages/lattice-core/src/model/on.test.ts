// O(n) term sums against dot products and field components summed from coordinates, and the
// local field against the energy change of moving one spin (H is linear in each s_i, so
// H(s_i + e_a) − H(s_i) = −h_a exactly, up to rounding).
import { describe, expect, it } from "vitest";
import { gaussian } from "../../test/helpers.js";
import { onSumsDirect } from "../../test/model-reference.js";
import { seededUniform } from "../testing/index.js";
import { defineModel } from "./define.js";
import { checkOn, onLocalField, onTermSums } from "./on.js";
import { nearestNeighbourShapes } from "./standard.js";
import type { Model, ModelInput } from "./types.js";

const INPUTS: [number, ModelInput][] = [
  [
    2,
    {
      spin: "xy",
      lattice: { chain: 5 },
      terms: [
        { name: "nn", coupling: 0.7, sites: [[0], [1]] },
        { name: "nnn", coupling: -0.4, sites: [[0], [2]] },
        { name: "hy", coupling: 0.3, sites: [[0]], axis: 1 },
        { name: "hx", coupling: -0.2, shapes: [[[0]], [[0]]] },
      ],
    },
  ],
  [
    4,
    {
      spin: { on: 4 },
      lattice: { square: [3, 2] },
      terms: [
        { name: "nn", coupling: 0.5, shapes: nearestNeighbourShapes(2) },
        {
          name: "diag",
          coupling: 0.25,
          sites: [
            [0, 0],
            [1, -1],
          ],
        },
        { name: "h", coupling: 0.6, sites: [[0, 0]], axis: 3 },
      ],
    },
  ],
];

/** Unit vectors, n components per site. */
function randomUnits(N: number, n: number, seed: number): Float64Array {
  const g = gaussian(seededUniform(seed));
  const s = new Float64Array(N * n);
  for (let i = 0; i < N; i++) {
    const v = Array.from({ length: n }, g);
    const r = Math.hypot(...v);
    for (let a = 0; a < n; a++) s[i * n + a] = v[a] / r;
  }
  return s;
}

const energy = (m: Model, n: number, s: ArrayLike<number>) =>
  -onSumsDirect(m, n, s).reduce((a, v, t) => a + m.terms[t].coupling * v, 0);

describe("O(n) model quantities", () => {
  for (const [n, input] of INPUTS) {
    it(`O(${n}) ${JSON.stringify(input.lattice)}: term sums and local fields`, () => {
      const m = defineModel(input);
      expect(checkOn(m)).toBe(n);
      const N = m.lattice.kind === "chain" ? m.lattice.L : 6;
      for (let seed = 1; seed <= 3; seed++) {
        const s = randomUnits(N, n, seed);
        const want = onSumsDirect(m, n, s);
        const got = onTermSums(m, s);
        expect(got.length).toBe(m.terms.length);
        want.forEach((v, t) => {
          expect(got[t]).toBeCloseTo(v, 12);
        });
        // At an offset inside a longer array.
        const big = new Float64Array(s.length + 5).fill(9);
        big.set(s, 3);
        Array.from(onTermSums(m, big, 3)).forEach((v, t) => {
          expect(v).toBeCloseTo(want[t], 12);
        });
        const h = new Float64Array(n + 2).fill(7);
        const hb = new Float64Array(n).fill(-7);
        for (let i = 0; i < N; i++) {
          onLocalField(m, s, i, h);
          onLocalField(m, big, i, hb, 3);
          const e0 = energy(m, n, s);
          for (let a = 0; a < n; a++) {
            s[i * n + a] += 1;
            const e1 = energy(m, n, s);
            s[i * n + a] -= 1;
            expect(h[a]).toBeCloseTo(-(e1 - e0), 10);
            expect(hb[a]).toBeCloseTo(h[a], 12);
          }
          // Only out[0…n) is written.
          expect([h[n], h[n + 1]]).toEqual([7, 7]);
        }
      }
    });
  }

  it("names the bad argument", () => {
    const ising = defineModel({
      spin: "ising",
      lattice: { chain: 3 },
      terms: [{ name: "a", coupling: 1, sites: [[0]] }],
    });
    expect(() => checkOn(ising)).toThrow('model.spin: expected "xy", "heisenberg" or { on: n }, got ising');
    expect(() => checkOn(ising, "sampler.model")).toThrow(/^sampler\.model: /);
    expect(() => onTermSums(ising, new Float64Array(3))).toThrow(/^model\.spin: /);
    const m = defineModel(INPUTS[0][1]);
    expect(() => onTermSums(m, new Float64Array(9))).toThrow("spins.length: expected at least 10, got 9");
    expect(() => onTermSums(m, new Float64Array(10), 1)).toThrow(
      "spins.length: expected at least 11, got 10",
    );
    expect(onTermSums(m, new Float64Array(10)).length).toBe(4);
    // On a 1-site ring the nn bond joins the site to itself: no local field.
    const self = defineModel({
      spin: "xy",
      lattice: { chain: 1 },
      terms: [{ name: "nn", coupling: 1, sites: [[0], [1]] }],
    });
    expect(() => onLocalField(self, new Float64Array(2), 0, new Float64Array(2))).toThrow(
      "model.lattice: expected a lattice on which no bond joins a site to itself, got term nn shape 0 visits a site twice on this lattice",
    );
    expect(() => onLocalField(ising, new Float64Array(3), 0, new Float64Array(2))).toThrow(/^model\.spin: /);
  });
});
