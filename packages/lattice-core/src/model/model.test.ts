import { describe, expect, it } from "vitest";
import { PhysmlInputError } from "../errors.js";
import { squareLattice } from "../lattice/square.js";
import { seededUniform } from "../testing/index.js";
import { defineModel, parseModelJson } from "./define.js";
import { modelTables } from "./derive.js";
import {
  isingDeltaETable,
  isingLocalIndex,
  isingModelDeltaE,
  isingModelEnergy,
  isingTermSums,
} from "./ising.js";
import { onLocalField, onTermSums } from "./on.js";
import { nearestNeighbourShapes, standardSquareModel } from "./standard.js";
import type { Model, ModelInput } from "./types.js";

const NN2 = nearestNeighbourShapes(2);
const TRIANGLE = [
  [0, 0],
  [1, 0],
  [0, 1],
];

function chainTerm(n: number, coupling: number) {
  return { name: `s${n}`, coupling, sites: Array.from({ length: n }, (_, k) => [k]) };
}

const MODELS: Record<string, ModelInput> = {
  "square 3-spin + nn + field": {
    spin: "ising",
    lattice: { square: [4, 6] },
    terms: [
      { name: "nn", coupling: 0.3, shapes: NN2 },
      { name: "tri", coupling: -0.2, sites: TRIANGLE },
      { name: "h", coupling: 0.1, sites: [[0, 0]] },
    ],
  },
  "chain 5-spin + nn": {
    spin: "ising",
    lattice: { chain: 11 },
    terms: [chainTerm(5, 0.4), chainTerm(2, -0.15)],
  },
  "cubic nn + field": {
    spin: "ising",
    lattice: { cubic: 4 },
    terms: [
      {
        name: "nn",
        coupling: 0.2,
        shapes: nearestNeighbourShapes(3),
      },
      { name: "h", coupling: 0.05, sites: [[0, 0, 0]] },
    ],
  },
};

function randomIsing(n: number, u: () => number): Int8Array {
  return Int8Array.from({ length: n }, () => (u() < 0.5 ? -1 : 1));
}

/** Brute force: no instance of any term holds two distinct sites of one colour. */
function checkProper(m: Model): void {
  const tb = modelTables(m);
  for (const t of tb.terms)
    for (const { k, sites } of t.instances)
      for (let x = 0; x < sites.length; x += k)
        for (let p = 0; p < k; p++)
          for (let q = p + 1; q < k; q++) {
            const a = sites[x + p];
            const b = sites[x + q];
            if (a !== b) expect(tb.colouring.colourOf[a]).not.toBe(tb.colouring.colourOf[b]);
          }
}

describe("model descriptions", () => {
  it("accept a read-only (`as const`) literal, the same model as a mutable one", () => {
    // a compile-time check too: the package's typecheck fails if ModelInput stops taking it
    const frozen = {
      spin: "ising",
      lattice: { square: [6, 4], twist: [true, false] },
      terms: [
        { name: "nn", coupling: 0.4, shapes: nearestNeighbourShapes(2) },
        {
          name: "plaquette",
          coupling: 0.1,
          sites: [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 1],
          ],
        },
      ],
    } as const;
    const plain: ModelInput = JSON.parse(JSON.stringify(frozen));
    expect(defineModel(frozen)).toEqual(defineModel(plain));
  });

  it("reject bad input with an error naming the field", () => {
    const bad: [unknown, RegExp][] = [
      [{ spin: "potts", lattice: { chain: 4 }, terms: [] }, /^spin:/],
      [{ spin: "ising", lattice: { square: [4, 0] }, terms: [] }, /^lattice\.square\[1\]:/],
      [{ spin: "ising", lattice: { chain: 4 }, terms: [] }, /^terms:/],
      [
        { spin: "ising", lattice: { chain: 4 }, terms: [{ name: "a", coupling: "x", sites: [[0]] }] },
        /^terms\[0\]\.coupling:/,
      ],
      [
        { spin: "ising", lattice: { chain: 4 }, terms: [{ name: "a", coupling: 1, sites: [[0, 1]] }] },
        /^terms\[0\]\.sites\[0\]:/,
      ],
      [
        { spin: "xy", lattice: { chain: 4 }, terms: [{ name: "a", coupling: 1, sites: [[0], [1], [2]] }] },
        /^terms\[0\]\.sites:/,
      ],
      [
        { spin: "ising", lattice: { chain: 4 }, terms: [{ name: "a", coupling: 1, sites: [[0]], axis: 1 }] },
        /^terms\[0\]\.axis:/,
      ],
      [
        { spin: "ising", lattice: { chain: 4 }, terms: [{ name: "a", coupling: 1, sites: [[0]], extra: 1 }] },
        /^terms\[0\]\.extra:/,
      ],
    ];
    for (const [input, re] of bad) {
      const f = () => defineModel(input as ModelInput);
      expect(f).toThrow(PhysmlInputError);
      expect(f).toThrow(re);
    }
    expect(() => parseModelJson("{ nope")).toThrow(/^model: expected valid JSON/);
  });

  for (const [name, input] of Object.entries(MODELS)) {
    it(`${name}: stencil ΔE equals the energy difference, table entry included; colouring is proper`, () => {
      const m = defineModel(input);
      const tb = modelTables(m);
      expect(tb.degenerate).toBeNull();
      checkProper(m);
      const u = seededUniform(7);
      const N = tb.lattice.nSites;
      const table = isingDeltaETable(m);
      for (let trial = 0; trial < 30; trial++) {
        const s = randomIsing(N, u);
        const i = Math.floor(u() * N);
        const e0 = isingModelEnergy(m, s);
        s[i] = -s[i];
        const e1 = isingModelEnergy(m, s);
        s[i] = -s[i];
        expect(isingModelDeltaE(m, s, i)).toBeCloseTo(e1 - e0, 12);
        expect(table[isingLocalIndex(m, s, i)]).toBeCloseTo(e1 - e0, 12);
      }
    });
  }

  it("reproduces the classic checkerboards: 2 colours (x+y) mod 2 for nn, (x mod 2)+2(y mod 2) with a plaquette", () => {
    const lat = squareLattice(6, 4);
    const nn = modelTables(standardSquareModel(6, 4, { nn: 1, plaquette: 0, nnn: 0, field: 0 })).colouring;
    expect(nn.colours).toBe(2);
    expect(nn.classes).toEqual(lat.colourClasses(2));
    const all = modelTables(standardSquareModel(6, 4, { nn: 1, plaquette: 1, nnn: 1, field: 1 })).colouring;
    expect(all.colours).toBe(4);
    expect(all.classes).toEqual(lat.colourClasses(4));
  });

  it("colours every lattice properly, structured where possible and greedy otherwise", () => {
    const cases: [ModelInput, number][] = [
      [{ spin: "ising", lattice: { chain: 9 }, terms: [chainTerm(3, 1)] }, 3],
      [{ spin: "ising", lattice: { chain: 7 }, terms: [chainTerm(2, 1)] }, 3],
      [{ spin: "ising", lattice: { chain: 10 }, terms: [chainTerm(4, 1)] }, 0],
      [
        { spin: "ising", lattice: { square: [5, 5] }, terms: [{ name: "t", coupling: 1, sites: TRIANGLE }] },
        0,
      ],
      [
        { spin: "ising", lattice: { square: [6, 6] }, terms: [{ name: "t", coupling: 1, sites: TRIANGLE }] },
        3,
      ],
    ];
    for (const [input, colours] of cases) {
      const m = defineModel(input);
      checkProper(m);
      if (colours > 0) expect(modelTables(m).colouring.colours).toBe(colours);
    }
  });

  it("standard model term sums are [S_nn, S_plaq, S_nnn, M] counted directly", () => {
    const m = standardSquareModel(3, 4, { nn: 0, plaquette: 0, nnn: 0, field: 0 });
    const lat = squareLattice(3, 4);
    const s = randomIsing(12, seededUniform(3));
    const at = (x: number, y: number) => s[lat.site(x, y)];
    let nn = 0;
    let pl = 0;
    let nnn = 0;
    let mag = 0;
    for (let y = 0; y < 4; y++)
      for (let x = 0; x < 3; x++) {
        nn += at(x, y) * (at(x + 1, y) + at(x, y + 1));
        pl += at(x, y) * at(x + 1, y) * at(x + 1, y + 1) * at(x, y + 1);
        nnn += at(x, y) * (at(x + 1, y + 1) + at(x + 1, y - 1));
        mag += at(x, y);
      }
    expect(Array.from(isingTermSums(m, s))).toEqual([nn, pl, nnn, mag]);
  });

  it("O(n): local field gives the energy change of any single-spin move", () => {
    const m = defineModel({
      spin: "heisenberg",
      lattice: { square: [3, 4] },
      terms: [
        { name: "nn", coupling: 0.7, shapes: NN2 },
        { name: "h", coupling: -0.3, sites: [[0, 0]], axis: 2 },
      ],
    });
    const u = seededUniform(11);
    const N = 12;
    const s = new Float64Array(3 * N);
    const randomUnit = (o: number) => {
      const v = [u() - 0.5, u() - 0.5, u() - 0.5];
      const r = Math.hypot(...v);
      for (let a = 0; a < 3; a++) s[o + a] = v[a] / r;
    };
    for (let i = 0; i < N; i++) randomUnit(3 * i);
    const energy = () => -Array.from(onTermSums(m, s)).reduce((a, v, k) => a + m.terms[k].coupling * v, 0);
    const h = new Float64Array(3);
    for (let i = 0; i < N; i++) {
      onLocalField(m, s, i, h);
      const old = s.slice(3 * i, 3 * i + 3);
      const e0 = energy();
      randomUnit(3 * i);
      const e1 = energy();
      const dot = (v: ArrayLike<number>) => v[0] * h[0] + v[1] * h[1] + v[2] * h[2];
      expect(e1 - e0).toBeCloseTo(-(dot(s.subarray(3 * i, 3 * i + 3)) - dot(old)), 12);
    }
  });
});
