// The disorder-line correlators against exact enumeration: on the 3×3 torus summed over its four
// boundary twists (Kaufman's exact weights), ⟨Π exp(−2β s_i s_j)⟩ along a dual path equals the
// dual spin correlator of the periodic model at β̃ (Kramers–Wannier, exact on the torus).
import {
  defineModel,
  dualCoupling,
  enumerateModel,
  isingStateProbabilities,
  kaufmanTwistSectors,
  STANDARD_SQUARE_SHAPES,
} from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { disorderLineSeries } from "../src/index.js";

const L = 3;
const N = L * L;
const allStates = (() => {
  const s = new Int8Array(2 ** N * N);
  for (let k = 0; k < 2 ** N; k++) for (let i = 0; i < N; i++) s[k * N + i] = (k >> i) & 1 ? -1 : 1;
  return s;
})();

function exactLines(beta: number, kappa: number, twist: [boolean, boolean]) {
  const model = defineModel({
    spin: "ising",
    lattice: { square: [L, L], twist },
    terms: [
      { name: "nn", coupling: beta, shapes: STANDARD_SQUARE_SHAPES.nn },
      { name: "plaquette", coupling: kappa, shapes: STANDARD_SQUARE_SHAPES.plaquette },
    ],
  });
  const p = isingStateProbabilities(model);
  const s = disorderLineSeries(allStates, L, beta, kappa, twist);
  const avg = (x: Float64Array) => x.reduce((a, v, k) => a + v * p[k], 0);
  return { g1: avg(s.g1), g2: avg(s.g2), a: avg(s.g2PathA), b: avg(s.g2PathB), g3: avg(s.g3) };
}

describe("disorder-line correlators", () => {
  it("are the dual spin correlators at β̃ on the twist-summed 3×3 torus", () => {
    const beta = 0.35;
    const sectors = kaufmanTwistSectors(L, L, beta);
    const lines = sectors.map((sec) => exactLines(beta, 0, sec.twist));
    const sum = { g1: 0, g2: 0 };
    sectors.forEach((sec, k) => {
      sum.g1 += sec.weight * lines[k].g1;
      sum.g2 += sec.weight * lines[k].g2;
    });
    const dual = enumerateModel(
      defineModel({
        spin: "ising",
        lattice: { square: [L, L] },
        terms: [
          { name: "nn", coupling: dualCoupling(beta), shapes: STANDARD_SQUARE_SHAPES.nn },
          { name: "nnn", coupling: 0, shapes: STANDARD_SQUARE_SHAPES.nnn },
        ],
      }),
    );
    expect(sum.g1).toBeCloseTo(dual.termMeans[0] / (2 * N), 10);
    expect(sum.g2).toBeCloseTo(dual.termMeans[1] / (2 * N), 10);
    // The periodic torus alone (sector 0) misses the winding sectors: off by far more than rounding.
    expect(Math.abs(lines[0].g1 - dual.termMeans[0] / (2 * N))).toBeGreaterThan(1e-4);
  });

  it("is path independent with a plaquette term (the Z2 defect is topological)", () => {
    const e = exactLines(0.3, 0.2, [false, false]);
    expect(e.a).toBeCloseTo(e.b, 12);
  });
});
