// The disorder-line correlators against exact enumeration: on the 3×3 torus summed over its four
// boundary twists (Kaufman's exact weights), ⟨Π exp(−2β s_i s_j)⟩ along a dual path equals the
// dual spin correlator of the periodic model at β̃ (Kramers–Wannier, exact on the torus).
import {
  defineModel,
  dualCoupling,
  enumerateModel,
  isingStateProbabilities,
  isingStateTable,
  kaufmanTwistSectors,
  STANDARD_SQUARE_SHAPES,
} from "@physml/lattice-core";
import { seededUniform } from "@physml/lattice-core/testing";
import { describe, expect, it } from "vitest";
import { deformedOriginal, disorderLineSeries } from "../src/index.js";

const L = 3;
const N = L * L;
const allStates = isingStateTable(N);

function exactLines(beta: number, kappa: number, twist: [boolean, boolean]) {
  const model = defineModel(deformedOriginal(L, { nn: beta, plaquette: kappa, nnn: 0 }, twist));
  const p = isingStateProbabilities(model);
  const s = disorderLineSeries(allStates, L, { nn: beta, plaquette: kappa }, twist);
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

// An independent statement of the defect rule for any dual path on a periodic L × L torus:
// plaquette (x, y) has corners c0 (x, y), c1 (x+1, y), c2 (x+1, y+1), c3 (x, y+1) and edges
// e_k = c_k c_{k+1}; a step leaves through one edge (the link it cuts) and enters the next
// plaquette through the opposite one. Where the path passes through a plaquette, its entry and
// exit edges split the corner ring in two groups; a term flips when it has an odd number of
// corners in one group. At an endpoint ("half") the plaquette's own plaquette and diagonal terms
// are half flipped; with "cut-link" nothing but the cut link flips there.
type Step = "R" | "U" | "L" | "D";
const EXIT: Record<Step, number> = { R: 1, U: 2, L: 3, D: 0 };
const MOVE: Record<Step, [number, number]> = { R: [1, 0], U: [0, 1], L: [-1, 0], D: [0, -1] };

function pathWeight(
  spins: Int8Array,
  n: number,
  c: { nn: number; plaquette: number; nnn: number },
  start: [number, number],
  steps: Step[],
  flipDiagonals = true,
  endpoints: "half" | "cut-link" = "half",
): number {
  const s = (x: number, y: number) => spins[(((x % n) + n) % n) + n * (((y % n) + n) % n)];
  const corners = (x: number, y: number): [number, number][] => [
    [x, y],
    [x + 1, y],
    [x + 1, y + 1],
    [x, y + 1],
  ];
  let e = 0;
  let [x, y] = start;
  let entry = -1;
  // Half of every plaquette-local term of the plaquette at (px, py) (an endpoint).
  const half = (px: number, py: number) => {
    if (endpoints === "cut-link") return;
    const k = corners(px, py);
    e += (c.plaquette / 2) * k.reduce((p, q) => p * s(...q), 1);
    e += (c.nnn / 2) * (s(...k[0]) * s(...k[2]) + s(...k[1]) * s(...k[3]));
  };
  half(x, y);
  for (const step of steps) {
    const exit = EXIT[step];
    const k = corners(x, y);
    const [a, b] = [k[exit], k[(exit + 1) % 4]];
    e += c.nn * s(...a) * s(...b);
    if (entry >= 0) {
      // Group of corners c_{entry+1} … c_exit (cyclically), between the two cut edges.
      const inGroup = [false, false, false, false];
      for (let j = (entry + 1) % 4; ; j = (j + 1) % 4) {
        inGroup[j] = true;
        if (j === exit) break;
      }
      const size = inGroup.filter(Boolean).length;
      if (size % 2 === 1) e += c.plaquette * k.reduce((p, q) => p * s(...q), 1);
      if (flipDiagonals) {
        if (inGroup[0] !== inGroup[2]) e += c.nnn * s(...k[0]) * s(...k[2]);
        if (inGroup[1] !== inGroup[3]) e += c.nnn * s(...k[1]) * s(...k[3]);
      }
    }
    entry = (exit + 2) % 4;
    x += MOVE[step][0];
    y += MOVE[step][1];
  }
  half(x, y);
  return Math.exp(-2 * e);
}

describe("disorder line with diagonal (nnn) couplings", () => {
  const n = 4;
  const c = { nn: 0.3, plaquette: 0.15, nnn: 0.2 };
  const model = defineModel(deformedOriginal(n, c));
  const states = isingStateTable(n * n);
  const p = isingStateProbabilities(model);
  const expect4 = (
    start: [number, number],
    steps: Step[],
    diag = true,
    ends: "half" | "cut-link" = "half",
  ) => {
    let m = 0;
    for (let k = 0; k < p.length; k++)
      m += p[k] * pathWeight(states.subarray(k * n * n, (k + 1) * n * n), n, c, start, steps, diag, ends);
    return m;
  };

  it("is topological: paths around a site with the same end links agree exactly (4×4 enumeration)", () => {
    const straight = expect4([0, 0], ["R", "R", "R"]);
    const detour = expect4([0, 0], ["R", "U", "R", "D", "R"]);
    expect(detour).toBeCloseTo(straight, 12);
    // The control: without the diagonals flipped where the line passes, the defect is not
    // topological and the two paths disagree — the test can fail.
    const a = expect4([0, 0], ["R", "R", "R"], false);
    const b = expect4([0, 0], ["R", "U", "R", "D", "R"], false);
    expect(Math.abs(a - b)).toBeGreaterThan(1e-3);
  });

  it("with half-flipped endpoints, also when the detour changes the end links (cut-link: not)", () => {
    // One dual step, and a detour over the next site that leaves and enters through other links.
    const [one, around] = [expect4([0, 0], ["R"]), expect4([0, 0], ["U", "R", "D"])];
    expect(around).toBeCloseTo(one, 12);
    const [oneCut, aroundCut] = [
      expect4([0, 0], ["R"], true, "cut-link"),
      expect4([0, 0], ["U", "R", "D"], true, "cut-link"),
    ];
    expect(Math.abs(aroundCut - oneCut)).toBeGreaterThan(1e-2);
  });

  it("the lattice-averaged series equal the general rule on every configuration", () => {
    const m = 5;
    const rand = seededUniform(7);
    const spins = Int8Array.from({ length: 20 * m * m }, () => (rand() < 0.5 ? 1 : -1));
    for (const ends of ["half", "cut-link"] as const) {
      const series = disorderLineSeries(spins, m, c, [false, false], ends);
      const pw = (conf: Int8Array, start: [number, number], steps: Step[]) =>
        pathWeight(conf, m, c, start, steps, true, ends);
      for (let a = 0; a < 20; a++) {
        const conf = spins.subarray(a * m * m, (a + 1) * m * m);
        let g1 = 0;
        let pa = 0;
        let pb = 0;
        let g3 = 0;
        let g4 = 0;
        for (let y = 0; y < m; y++)
          for (let x = 0; x < m; x++) {
            g1 += pw(conf, [x, y], ["R"]) + pw(conf, [x, y], ["U"]);
            pa += pw(conf, [x, y], ["R", "U"]) + pw(conf, [x, y + 1], ["D", "R"]);
            pb += pw(conf, [x, y], ["U", "R"]) + pw(conf, [x, y + 1], ["R", "D"]);
            g3 += pw(conf, [x, y], ["R", "R"]) + pw(conf, [x, y], ["U", "U"]);
            g4 += pw(conf, [x, y], ["R", "R", "U"]) + pw(conf, [x, y], ["U", "U", "R"]);
          }
        expect(series.g1[a]).toBeCloseTo(g1 / (2 * m * m), 12);
        expect(series.g2PathA[a]).toBeCloseTo(pa / (2 * m * m), 12);
        expect(series.g2PathB[a]).toBeCloseTo(pb / (2 * m * m), 12);
        expect(series.g3[a]).toBeCloseTo(g3 / (2 * m * m), 12);
        expect(series.g4[a]).toBeCloseTo(g4 / (2 * m * m), 12);
      }
    }
  });
});
