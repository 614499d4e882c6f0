// Z2 twist sectors: twisted model descriptions against a direct antiperiodic-boundary energy,
// Kaufman's twisted partition functions against enumeration, and the Kramers–Wannier map made
// exact on a finite torus by summing the twist.
import { describe, expect, it } from "vitest";
import { defineModel } from "../model/define.js";
import { isingModelDeltaE, isingModelEnergy } from "../model/ising.js";
import { seededUniform } from "../testing/index.js";
import { enumerateModel } from "./enumerate-model.js";
import { kaufmanTwistSectors } from "./kaufman.js";

const TWISTS: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

function nnModel(Lx: number, Ly: number, K: number, twist: [boolean, boolean], plaquette = 0) {
  return defineModel({
    spin: "ising",
    lattice: { square: [Lx, Ly], twist },
    terms: [
      {
        name: "nn",
        coupling: K,
        shapes: [
          [
            [0, 0],
            [1, 0],
          ],
          [
            [0, 0],
            [0, 1],
          ],
        ],
      },
      {
        name: "plaquette",
        coupling: plaquette,
        sites: [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
        ],
      },
    ],
  });
}

/** −Σ J s s − κ Σ plaquettes with bonds across a twisted boundary negated, written out by hand. */
function directEnergy(Lx: number, Ly: number, K: number, kappa: number, tw: boolean[], s: Int8Array): number {
  const at = (x: number, y: number) => {
    let sign = 1;
    if (x >= Lx && tw[0]) sign = -sign;
    if (y >= Ly && tw[1]) sign = -sign;
    return sign * s[(y % Ly) * Lx + (x % Lx)];
  };
  let e = 0;
  for (let y = 0; y < Ly; y++)
    for (let x = 0; x < Lx; x++) {
      e -= K * at(x, y) * (at(x + 1, y) + at(x, y + 1));
      e -= kappa * at(x, y) * at(x + 1, y) * at(x + 1, y + 1) * at(x, y + 1);
    }
  return e;
}

describe("twisted lattices", () => {
  it("energies and single-flip ΔE match a hand-written antiperiodic boundary", () => {
    const rand = seededUniform(12345);
    for (const tw of TWISTS) {
      const m = nnModel(4, 6, 0.37, tw, 0.21);
      for (let trial = 0; trial < 20; trial++) {
        const s = Int8Array.from({ length: 24 }, () => (rand() < 0.5 ? -1 : 1));
        const e = directEnergy(4, 6, 0.37, 0.21, tw, s);
        expect(isingModelEnergy(m, s)).toBeCloseTo(e, 12);
        const i = Math.floor(rand() * 24);
        const f = s.slice();
        f[i] = -f[i];
        expect(isingModelDeltaE(m, s, i)).toBeCloseTo(directEnergy(4, 6, 0.37, 0.21, tw, f) - e, 12);
      }
    }
  });

  it("refuses a twist where it is not a spin-flip symmetry twist", () => {
    expect(() =>
      defineModel({
        spin: "ising",
        lattice: { square: 4, twist: [true, false] },
        terms: [{ name: "h", coupling: 0.1, sites: [[0, 0]] }],
      }),
    ).toThrow(/terms\[0\]\.shapes\[0\].*even number/);
    expect(() =>
      defineModel({
        spin: "xy",
        lattice: { chain: 8, twist: [true] },
        terms: [{ name: "nn", coupling: 1, sites: [[0], [1]] }],
      }),
    ).toThrow(/lattice\.twist/);
    expect(() =>
      defineModel({
        spin: "ising",
        lattice: { square: 4, twist: [true] },
        terms: [
          {
            name: "nn",
            coupling: 1,
            sites: [
              [0, 0],
              [1, 0],
            ],
          },
        ],
      }),
    ).toThrow(/lattice\.twist.*2 booleans/);
  });
});

describe("kaufmanTwistSectors", () => {
  it("gives each twisted sector's ln Z as exact enumeration does", () => {
    for (const [Lx, Ly] of [
      [4, 4],
      [4, 5],
      [5, 4],
    ])
      for (const K of [0.2, 0.44, 0.7]) {
        const sectors = kaufmanTwistSectors(Lx, Ly, K);
        const lnZ = TWISTS.map((tw) => enumerateModel(nnModel(Lx, Ly, K, tw)).lnZ);
        sectors.forEach((s, t) => {
          expect(s.twist).toEqual(TWISTS[t]);
          expect(s.lnZ).toBeCloseTo(lnZ[t], 9);
        });
        const zs = lnZ.map(Math.exp);
        const total = zs.reduce((a, b) => a + b, 0);
        for (const [t, s] of sectors.entries()) expect(s.weight).toBeCloseTo(zs[t] / total, 10);
      }
  });

  it("weights the twisted sectors of a large ordered torus as 0, never negative", () => {
    const s = kaufmanTwistSectors(64, 64, 2);
    expect(s[0].weight).toBe(1);
    for (const t of s.slice(1)) expect(t.weight).toBe(0);
  });
});

describe("Kramers–Wannier on a finite torus", () => {
  // ⟨x⟩ per link at β (2N links) and the dual map cosh 2β̃ − sinh 2β̃ ⟨x⟩_β̃ (physics notes).
  const linkMean = (tw: [boolean, boolean], L: number, K: number) =>
    enumerateModel(nnModel(L, L, K, tw)).termMeans[0] / (2 * L * L);
  const mapped = (v: number, Kd: number) => Math.cosh(2 * Kd) - Math.sinh(2 * Kd) * v;

  it("is exact between the twist-summed model and the periodic dual, not between two periodic ones", () => {
    const L = 4;
    for (const beta of [0.3, 0.6]) {
      const dual = Math.atanh(Math.exp(-2 * beta));
      const w = kaufmanTwistSectors(L, L, beta).map((s) => s.weight);
      const summed = TWISTS.reduce((a, tw, t) => a + w[t] * linkMean(tw, L, beta), 0);
      const periodicDual = mapped(linkMean([false, false], L, dual), dual);
      expect(summed).toBeCloseTo(periodicDual, 10);
      // On 4×4 the periodic pair misses by far more than rounding: the effect is real.
      expect(Math.abs(linkMean([false, false], L, beta) - periodicDual)).toBeGreaterThan(1e-3);
    }
  });
});
