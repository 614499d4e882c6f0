// Colourings checked by brute force on the interaction graph built from coordinates
// (test/model-reference.ts): proper (no two sites of one class share an instance of a term with a
// nonzero coupling), classes that partition the sites in increasing order, the colour count
// against the chromatic number found by backtracking, and each rule's formula (sublattice,
// linear, or the greedy rule: smallest colour free among earlier neighbours).
import { describe, expect, it } from "vitest";
import { chromaticNumber, coordsOf, interactionGraph, sidesOf } from "../../test/model-reference.js";
import { stencilColouring } from "./colouring.js";
import { defineModel } from "./define.js";
import { modelTables } from "./derive.js";
import { PeriodicLattice } from "./geometry.js";
import { nearestNeighbourShapes, STANDARD_SQUARE_SHAPES } from "./standard.js";
import type { Model, ModelInput } from "./types.js";

const line = (n: number) => Array.from({ length: n }, (_, k) => [k]);
const TRIANGLE = [
  [0, 0],
  [1, 0],
  [0, 1],
];

type Case = [string, ModelInput, number, RegExp];

/** [name, model, expected colours (the chromatic number), expected rule]. */
const CASES: Case[] = [
  [
    "ring 6 nn",
    { spin: "ising", lattice: { chain: 6 }, terms: [{ name: "a", coupling: 1, sites: line(2) }] },
    2,
    /^(sublattice 2|linear \(1\)·x mod 2)$/,
  ],
  [
    "ring 7 nn (odd: greedy)",
    { spin: "ising", lattice: { chain: 7 }, terms: [{ name: "a", coupling: 1, sites: line(2) }] },
    3,
    /^greedy$/,
  ],
  [
    "ring 9 3-spin",
    { spin: "ising", lattice: { chain: 9 }, terms: [{ name: "a", coupling: 1, sites: line(3) }] },
    3,
    /^sublattice 3$/,
  ],
  [
    "ring 8 4-spin",
    { spin: "ising", lattice: { chain: 8 }, terms: [{ name: "a", coupling: 1, sites: line(4) }] },
    4,
    /^sublattice 4$/,
  ],
  [
    "ring 4 with a bond of length 2 only (no period-2 rule separates it)",
    { spin: "ising", lattice: { chain: 4 }, terms: [{ name: "a", coupling: 1, sites: [[0], [2]] }] },
    2,
    /^greedy$/,
  ],
  [
    "square 4x4 nn",
    {
      spin: "ising",
      lattice: { square: 4 },
      terms: [{ name: "a", coupling: 1, shapes: nearestNeighbourShapes(2) }],
    },
    2,
    /^linear \(1,1\)·x mod 2$/,
  ],
  [
    "square 3x3 nn",
    {
      spin: "ising",
      lattice: { square: 3 },
      terms: [{ name: "a", coupling: 1, shapes: nearestNeighbourShapes(2) }],
    },
    3,
    /^linear \(\d,\d\)·x mod 3$/,
  ],
  [
    "square 4x2 all standard terms",
    {
      spin: "ising",
      lattice: { square: [4, 2] },
      terms: [
        { name: "p", coupling: 1, shapes: STANDARD_SQUARE_SHAPES.plaquette },
        { name: "d", coupling: 1, shapes: STANDARD_SQUARE_SHAPES.nnn },
      ],
    },
    4,
    /^sublattice 2x2$/,
  ],
  [
    "square 6x6 triangle",
    { spin: "ising", lattice: { square: 6 }, terms: [{ name: "t", coupling: 1, sites: TRIANGLE }] },
    3,
    /^linear \(\d,\d\)·x mod 3$/,
  ],
  [
    "square 3x2 horizontal 3-spin",
    {
      spin: "ising",
      lattice: { square: [3, 2] },
      terms: [
        {
          name: "t",
          coupling: 1,
          sites: [
            [0, 0],
            [1, 0],
            [2, 0],
          ],
        },
      ],
    },
    3,
    /^sublattice 3x1$/,
  ],
  [
    "square 2x3 vertical 3-spin",
    {
      spin: "ising",
      lattice: { square: [2, 3] },
      terms: [
        {
          name: "t",
          coupling: 1,
          sites: [
            [0, 0],
            [0, 1],
            [0, 2],
          ],
        },
      ],
    },
    3,
    /^sublattice 1x3$/,
  ],
  [
    "square 2x3 vertical nn (3 rows: no period-2 sublattice fits)",
    {
      spin: "ising",
      lattice: { square: [2, 3] },
      terms: [
        {
          name: "v",
          coupling: 1,
          sites: [
            [0, 0],
            [0, 1],
          ],
        },
      ],
    },
    3,
    /^sublattice 1x3$/,
  ],
  [
    "cubic 2 nn",
    {
      spin: "ising",
      lattice: { cubic: 2 },
      terms: [{ name: "a", coupling: 1, shapes: nearestNeighbourShapes(3) }],
    },
    2,
    /^linear \(1,1,1\)·x mod 2$/,
  ],
  [
    "cubic 2 bond along z only",
    {
      spin: "ising",
      lattice: { cubic: 2 },
      terms: [
        {
          name: "a",
          coupling: 1,
          sites: [
            [0, 0, 0],
            [0, 0, 1],
          ],
        },
      ],
    },
    2,
    /^sublattice 1x1x2$/,
  ],
  [
    "ring 6 nn with a 3-spin term of zero coupling (only the active term counts)",
    {
      spin: "ising",
      lattice: { chain: 6 },
      terms: [
        { name: "a", coupling: 1, sites: line(2) },
        { name: "b", coupling: 0, sites: line(3) },
      ],
    },
    2,
    /^(sublattice 2|linear \(1\)·x mod 2)$/,
  ],
  [
    "fields only",
    { spin: "ising", lattice: { square: 3 }, terms: [{ name: "h", coupling: 1, sites: [[0, 0]] }] },
    1,
    /^single colour$/,
  ],
  [
    "bonds that wrap onto the same site",
    {
      spin: "ising",
      lattice: { chain: 3 },
      terms: [
        { name: "a", coupling: 1, sites: [[0], [3]] },
        { name: "h", coupling: 1, sites: [[0]] },
      ],
    },
    1,
    /^single colour$/,
  ],
  [
    "all couplings zero",
    { spin: "ising", lattice: { chain: 4 }, terms: [{ name: "a", coupling: 0, sites: line(2) }] },
    1,
    /^single colour$/,
  ],
  [
    "xy square 2x2 nn",
    {
      spin: "xy",
      lattice: { square: 2 },
      terms: [{ name: "a", coupling: 1, shapes: nearestNeighbourShapes(2) }],
    },
    2,
    /^linear \(1,1\)·x mod 2$/,
  ],
];

/** The problems of a colouring of model m (empty when it is a good one). */
function colouringProblems(m: Model): string[] {
  const { colouring } = modelTables(m);
  const sides = sidesOf(m);
  const N = sides.reduce((a, b) => a * b, 1);
  const adj = interactionGraph(m);
  const bad: string[] = [];
  const { colours, colourOf, classes } = colouring;
  if (colourOf.length !== N) bad.push(`colourOf has ${colourOf.length} entries for ${N} sites`);
  for (let i = 0; i < N; i++) {
    if (!(colourOf[i] >= 0 && colourOf[i] < colours))
      bad.push(`site ${i} colour ${colourOf[i]} of ${colours}`);
    for (const j of adj[i])
      if (colourOf[i] === colourOf[j]) bad.push(`sites ${i} and ${j} interact, both colour ${colourOf[i]}`);
  }
  if (classes.length !== colours) bad.push(`${classes.length} classes for ${colours} colours`);
  classes.forEach((cls, c) => {
    const want = Array.from({ length: N }, (_, i) => i).filter((i) => colourOf[i] === c);
    if (Array.from(cls).join() !== want.join()) bad.push(`class ${c} = ${Array.from(cls)}, want ${want}`);
    if (cls.length === 0) bad.push(`class ${c} is empty`);
  });
  // The rule's own formula.
  const x = (i: number) => coordsOf(i, sides);
  const sub = /^sublattice ([\dx]+)$/.exec(colouring.rule);
  const lin = /^linear \(([\d,]+)\)·x mod (\d+)$/.exec(colouring.rule);
  for (let i = 0; i < N; i++) {
    let want: number;
    if (sub) {
      const p = sub[1].split("x").map(Number);
      want = 0;
      let scale = 1;
      p.forEach((pd, d) => {
        want += (x(i)[d] % pd) * scale;
        scale *= pd;
      });
      if (scale !== colours) bad.push(`sublattice ${p} has ${scale} cells, ${colours} colours`);
    } else if (lin) {
      const a = lin[1].split(",").map(Number);
      want = x(i).reduce((s, v, d) => s + v * a[d], 0) % Number(lin[2]);
      if (Number(lin[2]) !== colours) bad.push(`linear mod ${lin[2]}, ${colours} colours`);
    } else if (colouring.rule === "greedy") {
      const used = new Set(
        Array.from(adj[i])
          .filter((j) => j < i)
          .map((j) => colourOf[j]),
      );
      want = 0;
      while (used.has(want)) want++;
    } else {
      want = 0;
      if (colouring.rule !== "single colour") bad.push(`unknown rule ${colouring.rule}`);
    }
    if (colourOf[i] !== want)
      bad.push(`${colouring.rule}: site ${i} has colour ${colourOf[i]}, rule gives ${want}`);
  }
  return bad;
}

describe("stencil colourings by brute force", () => {
  for (const [name, input, colours, rule] of CASES) {
    it(`${name}: proper, ${colours} colour(s) (the chromatic number), rule ${rule.source}`, () => {
      const m = defineModel(input);
      const c = modelTables(m).colouring;
      expect(colouringProblems(m)).toEqual([]);
      expect(chromaticNumber(interactionGraph(m))).toBe(colours);
      expect(c.colours).toBe(colours);
      expect(c.rule).toMatch(rule);
    });
  }

  it("greedy fallback stays proper where no structured colouring exists (5x5 triangle, 7-ring 3-spin, cubic 3)", () => {
    const cases: ModelInput[] = [
      { spin: "ising", lattice: { square: 5 }, terms: [{ name: "t", coupling: 1, sites: TRIANGLE }] },
      { spin: "ising", lattice: { chain: 7 }, terms: [{ name: "t", coupling: -1, sites: line(3) }] },
      {
        spin: "ising",
        lattice: { cubic: 3 },
        terms: [{ name: "a", coupling: 1, shapes: nearestNeighbourShapes(3) }],
      },
    ];
    for (const input of cases) {
      const m = defineModel(input);
      expect(colouringProblems(m)).toEqual([]);
      const c = modelTables(m).colouring;
      expect(c.colours).toBeGreaterThanOrEqual(chromaticNumber(interactionGraph(m)));
    }
    // The 7-ring with a 3-spin term is not 3-colourable periodically (7 is not a multiple of 3).
    expect(modelTables(defineModel(cases[1])).colouring.rule).toBe("greedy");
  });

  it("stencilColouring directly: periods are ignored, and more than 16 colours fall back to greedy", () => {
    const lat = new PeriodicLattice([4]);
    // Differences that are periods (0 and ±4) join nothing.
    const single = stencilColouring(lat, [[0], [4], [-4]], () => []);
    expect(single.colours).toBe(1);
    expect(Array.from(single.colourOf)).toEqual([0, 0, 0, 0]);
    expect(single.classes.map((c) => Array.from(c))).toEqual([[0, 1, 2, 3]]);
    // A 17-site clique on a ring of 17 (every site touches every other): 17 colours, greedy,
    // since structured colourings are only tried up to 16 colours.
    const ring = new PeriodicLattice([17]);
    const diffs = Array.from({ length: 16 }, (_, k) => [k + 1]);
    const all = (i: number) => diffs.map((d) => ring.shift(i, d));
    const c = stencilColouring(ring, diffs, all);
    expect(c.colours).toBe(17);
    expect(c.rule).toBe("greedy");
    expect(Array.from(c.colourOf)).toEqual(Array.from({ length: 17 }, (_, i) => i));
    // A 16-clique on a ring of 16 is found as the sublattice of 16.
    const r16 = new PeriodicLattice([16]);
    const d16 = Array.from({ length: 15 }, (_, k) => [k + 1]);
    const c16 = stencilColouring(r16, d16, (i) => d16.map((d) => r16.shift(i, d)));
    expect(c16.colours).toBe(16);
    expect(c16.rule).toBe("sublattice 16");
  });
});
