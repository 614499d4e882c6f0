// The line's endpoint rule against exact enumeration of the 3 × 3 torus with plaquette and diagonal
// couplings, summed over its four boundary twists with weights Z_twist/ΣZ: with "half" endpoints
// the lattice-averaged line correlators are the spin correlators of the exact dual (its Fourier
// transform over bonds, exact-dual-hamiltonian.ts), and with "cut-link" endpoints (the rule until
// 4 Dec 2026) they are not. At κ = λ = 0 the exact dual is Kramers–Wannier's nn model at β̃.
import {
  defineModel,
  dualCoupling,
  enumerateModel,
  isingStateProbabilities,
  isingStateTable,
} from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import {
  deformedOriginal,
  disorderLineSeries,
  dualSiteMask,
  exactDualHamiltonian,
  type LineEndpoints,
} from "../src/index.js";

const L = 3;
const N = L * L;
const TWISTS: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];
const allStates = isingStateTable(N);
const model = (c: { nn: number; plaquette: number; nnn: number }, twist: [boolean, boolean]) =>
  defineModel(deformedOriginal(L, c, twist));

/** Twist-summed exact g1, g2, g3, g4 (weights ∝ each twisted torus's Z). */
function twistSummedLines(c: { nn: number; plaquette: number; nnn: number }, endpoints: LineEndpoints) {
  const lnZ = TWISTS.map((t) => enumerateModel(model(c, t)).lnZ);
  const zMax = Math.max(...lnZ);
  const w = lnZ.map((z) => Math.exp(z - zMax));
  const wSum = w.reduce((a, b) => a + b, 0);
  const out = { g1: 0, g2: 0, g3: 0, g4: 0 };
  TWISTS.forEach((t, k) => {
    const p = isingStateProbabilities(model(c, t));
    const s = disorderLineSeries(allStates, L, c, t, endpoints);
    for (const key of ["g1", "g2", "g3", "g4"] as const)
      out[key] += (w[k] / wSum) * s[key].reduce((a, v, j) => a + v * p[j], 0);
  });
  return out;
}

describe("the line's endpoints against the exact dual (3 × 3, twist-summed)", () => {
  const c = { nn: 0.4, plaquette: 0.15, nnn: 0.2 };
  const dual = exactDualHamiltonian(L, c);
  const pair = (dx: number, dy: number) =>
    dual.correlators[
      dualSiteMask(L, [
        [0, 0],
        [dx, dy],
      ])
    ];

  // On 3 × 3 the two straight steps of g3 end at the dual nn pair the other way round the torus:
  // after the twist sum the line's winding must not matter either.
  it('"half" endpoints give the exact dual spin correlators (g3: the nn pair, the other way round)', () => {
    const g = twistSummedLines(c, "half");
    expect(dual.minWeightRatio).toBeGreaterThan(0);
    expect(g.g1).toBeCloseTo(pair(1, 0), 10);
    expect(g.g2).toBeCloseTo(pair(1, 1), 10);
    expect(g.g3).toBeCloseTo(pair(2, 0), 10);
    expect(pair(2, 0)).toBe(pair(-1, 0));
    expect(g.g4).toBeCloseTo(pair(2, 1), 10);
  });

  it('"cut-link" endpoints do not: the control, off by far more than rounding', () => {
    const g = twistSummedLines(c, "cut-link");
    expect(Math.abs(g.g1 - pair(1, 0))).toBeGreaterThan(1e-3);
    expect(Math.abs(g.g3 - pair(2, 0))).toBeGreaterThan(1e-3);
  });

  it("is Kramers–Wannier's nn model at β̃ when κ = λ = 0", () => {
    const kw = exactDualHamiltonian(L, { nn: 0.6 });
    const J = (sites: [number, number][]) => kw.couplings[dualSiteMask(L, sites)];
    expect(
      J([
        [0, 0],
        [1, 0],
      ]),
    ).toBeCloseTo(dualCoupling(0.6), 12);
    expect(
      J([
        [0, 0],
        [0, 1],
      ]),
    ).toBeCloseTo(dualCoupling(0.6), 12);
    expect(
      J([
        [0, 0],
        [1, 1],
      ]),
    ).toBeCloseTo(0, 12);
    expect(
      J([
        [0, 0],
        [1, 2],
      ]),
    ).toBeCloseTo(0, 12);
    expect(
      J([
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ]),
    ).toBeCloseTo(0, 12);
  });
});
