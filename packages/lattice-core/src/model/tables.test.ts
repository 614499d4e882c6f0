// Derived tables and lattice geometry against coordinates: every instance site and twist sign,
// stencil offsets, neighbours and their signs, position and field counts, the degenerate flag;
// PeriodicLattice against a walk that crosses the boundary one step at a time; the standard
// square terms against their definitions.
import { describe, expect, it } from "vitest";
import { coordsOf, instancesOf, sidesOf, wrap } from "../../test/model-reference.js";
import { defineModel, withCouplings } from "./define.js";
import { modelTables } from "./derive.js";
import { latticeSides, PeriodicLattice } from "./geometry.js";
import {
  N_TERMS,
  nearestNeighbourShapes,
  STANDARD_SQUARE_SHAPES,
  standardSquareModel,
  standardSquareTerms,
  TERM_NAMES,
} from "./standard.js";
import type { Model, ModelInput, Offset } from "./types.js";

const MODELS: ModelInput[] = [
  {
    spin: "ising",
    lattice: { square: [3, 4], twist: [true, false] },
    terms: [
      { name: "nn", coupling: 1, shapes: nearestNeighbourShapes(2) },
      { name: "p", coupling: 0.5, shapes: STANDARD_SQUARE_SHAPES.plaquette },
      {
        name: "far",
        coupling: -1,
        sites: [
          [0, 0],
          [-4, 5],
        ],
      },
    ],
  },
  {
    spin: "ising",
    lattice: { chain: 5 },
    terms: [
      { name: "tri", coupling: 1, sites: [[0], [1], [3]] },
      { name: "h", coupling: 0.2, shapes: [[[0]], [[0]], [[0]]] },
    ],
  },
  {
    spin: "ising",
    lattice: { cubic: 3, twist: [false, true, true] },
    terms: [{ name: "nn", coupling: 1, shapes: nearestNeighbourShapes(3) }],
  },
  {
    spin: "heisenberg",
    lattice: { square: [2, 3] },
    terms: [
      { name: "nn", coupling: 1, shapes: nearestNeighbourShapes(2) },
      { name: "h", coupling: 1, sites: [[0, 0]], axis: 1 },
    ],
  },
];

const sub = (a: Offset, b: Offset) => a.map((v, d) => v - b[d]);

describe("derived tables against coordinates", () => {
  for (const input of MODELS) {
    it(`${input.spin} ${JSON.stringify(input.lattice)}`, () => {
      const m = defineModel(input);
      const tb = modelTables(m);
      const sides = sidesOf(m);
      const N = sides.reduce((a, b) => a * b, 1);
      const twisted = (m.lattice.twist ?? []).some((b) => b);
      expect(tb.spin).toBe(m.spin);
      expect(tb.lattice.sides).toEqual(sides);
      expect(tb.lattice.nSites).toBe(N);
      expect(tb.degenerate).toBeNull();
      // Stencil offsets: every o_q − o_p of a multi-site shape, each once.
      const diffs = new Set<string>();
      for (const t of m.terms)
        for (const shape of t.shapes)
          if (shape.length > 1)
            for (const p of shape) for (const q of shape) if (p !== q) diffs.add(sub(q, p).join());
      expect(new Set(tb.neighbourOffsets.map((o) => o.join()))).toEqual(diffs);
      expect(tb.neighbourOffsets.length).toBe(diffs.size);
      const nNb = diffs.size;
      expect(tb.neighbours.length).toBe(N * nNb);
      for (let i = 0; i < N; i++)
        tb.neighbourOffsets.forEach((o, k) => {
          const w = wrap(
            coordsOf(i, sides).map((v, d) => v + o[d]),
            sides,
          );
          expect(tb.neighbours[i * nNb + k]).toBe(w.site);
          const sign = w.wraps.reduce((s, n, d) => (m.lattice.twist?.[d] && n % 2 !== 0 ? -s : s), 1);
          if (twisted) expect(tb.neighbourSigns?.[i * nNb + k]).toBe(sign);
        });
      if (!twisted) expect(tb.neighbourSigns).toBeNull();
      m.terms.forEach((term, t) => {
        const tt = tb.terms[t];
        expect(tt.name).toBe(term.name);
        const direct = instancesOf(m, t);
        const flat = tt.instances.flatMap(({ k, sites, signs }) => {
          expect(sites.length).toBe(N * k);
          if (!twisted) expect(signs).toBeNull();
          return Array.from({ length: N }, (_, x) => ({
            sites: Array.from(sites.subarray(x * k, x * k + k)),
            sign: signs ? signs[x] : 1,
          }));
        });
        expect(flat).toEqual(direct);
        const multi = term.shapes.filter((s) => s.length > 1);
        expect(tt.fieldCount).toBe(term.shapes.length - multi.length);
        expect(tt.positions.length).toBe(multi.reduce((a, s) => a + s.length, 0));
        // Position p of a shape lists the other sites' offsets seen from p, in shape order.
        const want = multi.flatMap((shape) =>
          shape.map((op, p) =>
            shape
              .filter((_, q) => q !== p)
              .map((oq) => sub(oq, op).join())
              .join(" "),
          ),
        );
        expect(
          tt.positions.map((pos) => pos.others.map((k) => tb.neighbourOffsets[k].join()).join(" ")),
        ).toEqual(want);
      });
    });
  }

  it("caches per geometry and nonzero pattern", () => {
    const a = standardSquareModel(4, 4, { nn: 1, plaquette: 0, nnn: 0, field: 0.1 });
    const b = standardSquareModel(4, 4, { nn: 2, plaquette: 0, nnn: 0, field: -3 });
    const c = standardSquareModel(4, 4, { nn: 2, plaquette: 1, nnn: 0, field: -3 });
    expect(modelTables(b)).toBe(modelTables(a));
    expect(modelTables(c)).not.toBe(modelTables(a));
    expect(modelTables(a).colouring.colours).toBe(2);
    expect(modelTables(c).colouring.colours).toBe(4);
    expect(modelTables(c).colouredTerms).toEqual([true, true, false, true]);
    expect(modelTables(standardSquareModel(4, 2, { nn: 1, plaquette: 0, nnn: 0, field: 0 }))).not.toBe(
      modelTables(a),
    );
    expect(modelTables(withCouplings(a, [5, 0, 0, 1]))).toBe(modelTables(a));
    expect(modelTables(withCouplings(a, [5, 0, 1, 1])).colouring.colours).toBe(4);
    // Many geometries in turn (the cache is bounded) still give each its own tables.
    for (let L = 1; L <= 70; L++) {
      const m = defineModel({
        spin: "ising",
        lattice: { chain: L },
        terms: [{ name: "a", coupling: 1, sites: [[0], [1]] }],
      });
      expect(modelTables(m).lattice.nSites).toBe(L);
    }
  });
});

describe("table cache keys", () => {
  it("tell apart models that differ only in shapes, in which coupling is zero, or in offset digits", () => {
    const chain = (sites: number[][], couplings = [1]) =>
      defineModel({
        spin: "ising",
        lattice: { chain: 6 },
        terms: couplings.map((c, k) => ({ name: `t${k}`, coupling: c, sites: k === 0 ? sites : [[0], [2]] })),
      });
    // Same spin, lattice and nonzero pattern; bonds of length 1 and 3.
    const short = modelTables(chain([[0], [1]]));
    const long = modelTables(chain([[0], [3]]));
    expect(short.neighbourOffsets).toEqual([[1], [-1]]);
    expect(long.neighbourOffsets).toEqual([[3], [-3]]);
    // Which of two terms is switched off: [nn, 0] leaves 2 colours, [0, next-nn] needs 2 as well
    // but on other pairs of sites; the coloured terms say which.
    expect(modelTables(chain([[0], [1]], [2, 0])).colouredTerms).toEqual([true, false]);
    expect(modelTables(chain([[0], [1]], [0, 2])).colouredTerms).toEqual([false, true]);
    // Offsets whose digits read alike ([1, 12] and [11, 2]) are two stencil entries.
    const m = defineModel({
      spin: "ising",
      lattice: { square: [13, 13] },
      terms: [
        {
          name: "a",
          coupling: 0.3,
          shapes: [
            [
              [0, 0],
              [1, 12],
            ],
            [
              [0, 0],
              [11, 2],
            ],
          ],
        },
      ],
    });
    const tb = modelTables(m);
    expect(new Set(tb.neighbourOffsets.map((o) => o.join()))).toEqual(
      new Set(["1,12", "-1,-12", "11,2", "-11,-2"]),
    );
  });
});

describe("PeriodicLattice", () => {
  it("coordinates, sites, shifts, periods and twist signs against a step-by-step walk", () => {
    for (const [sides, twist] of [
      [[5], [true]],
      [
        [3, 4],
        [false, true],
      ],
      [
        [2, 3, 2],
        [true, false, true],
      ],
      [[4, 2], []],
    ] as [number[], boolean[]][]) {
      const lat = new PeriodicLattice(sides, twist);
      const N = sides.reduce((a, b) => a * b, 1);
      expect(lat.nSites).toBe(N);
      expect(lat.dim).toBe(sides.length);
      expect(lat.twist).toEqual(sides.map((_, d) => twist[d] === true));
      expect(lat.twisted).toBe(twist.some((b) => b));
      const offsets: number[][] = [
        sides.map(() => 0),
        sides.map((L) => L),
        sides.map((L) => -2 * L - 1),
        sides.map((_, d) => 7 - 3 * d),
      ];
      for (let i = 0; i < N; i++) {
        const x = coordsOf(i, sides);
        expect(lat.coords(i)).toEqual(x);
        expect(lat.site(x)).toBe(i);
        expect(lat.site(x.map((v, d) => v - 3 * sides[d]))).toBe(i);
        for (const o of offsets) {
          // Walk |o_d| unit steps along each axis; every crossing of a twisted boundary flips.
          const y = [...x];
          let sign = 1;
          o.forEach((od, d) => {
            for (let s = 0; s < Math.abs(od); s++) {
              y[d] += Math.sign(od);
              if (y[d] === sides[d] || y[d] === -1) {
                y[d] = (y[d] + sides[d]) % sides[d];
                if (twist[d]) sign = -sign;
              }
            }
          });
          expect(lat.shift(i, o)).toBe(lat.site(y));
          expect(lat.shiftSign(i, o)).toBe(sign);
        }
      }
      expect(lat.isPeriod(sides.map(() => 0))).toBe(true);
      expect(lat.isPeriod(sides.map((L, d) => (d === 0 ? -L : 2 * L)))).toBe(true);
      expect(lat.isPeriod(sides.map((L, d) => (d === sides.length - 1 ? L + 1 : L)))).toBe(false);
      expect(lat.isPeriod(sides.map((L, d) => (d === 0 ? 1 : L)))).toBe(sides[0] === 1);
    }
    expect(new PeriodicLattice([3, 3]).twist).toEqual([false, false]);
  });

  it("latticeSides of each spec", () => {
    expect(latticeSides({ kind: "chain", L: 7 })).toEqual([7]);
    expect(latticeSides({ kind: "square", Lx: 3, Ly: 5 })).toEqual([3, 5]);
    expect(latticeSides({ kind: "cubic", L: 4 })).toEqual([4, 4, 4]);
  });
});

describe("standard square terms", () => {
  it("are nn, plaquette, nnn and field, in that order, with their documented shapes", () => {
    expect([...TERM_NAMES]).toEqual(["nn", "plaquette", "nnn", "field"]);
    expect(N_TERMS).toBe(4);
    expect(nearestNeighbourShapes(1)).toEqual([[[0], [1]]]);
    expect(nearestNeighbourShapes(2)).toEqual([
      [
        [0, 0],
        [1, 0],
      ],
      [
        [0, 0],
        [0, 1],
      ],
    ]);
    expect(nearestNeighbourShapes(3)).toEqual([
      [
        [0, 0, 0],
        [1, 0, 0],
      ],
      [
        [0, 0, 0],
        [0, 1, 0],
      ],
      [
        [0, 0, 0],
        [0, 0, 1],
      ],
    ]);
    expect(STANDARD_SQUARE_SHAPES.nn).toEqual(nearestNeighbourShapes(2));
    expect(STANDARD_SQUARE_SHAPES.field).toEqual([[[0, 0]]]);
    // Plaquette counter-clockwise from the lower-left corner; the two diagonals.
    expect(STANDARD_SQUARE_SHAPES.plaquette).toEqual([
      [
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 1],
      ],
    ]);
    expect(STANDARD_SQUARE_SHAPES.nnn).toEqual([
      [
        [0, 0],
        [1, 1],
      ],
      [
        [0, 0],
        [1, -1],
      ],
    ]);
    const c = { nn: 0.1, plaquette: 0.2, nnn: 0.3, field: 0.4 };
    const terms = standardSquareTerms(c);
    expect(terms.map((t) => [t.name, t.coupling])).toEqual([
      ["nn", 0.1],
      ["plaquette", 0.2],
      ["nnn", 0.3],
      ["field", 0.4],
    ]);
    const m: Model = standardSquareModel(3, 2, c);
    expect(m.lattice).toEqual({ kind: "square", Lx: 3, Ly: 2 });
    expect(m.spin).toEqual({ kind: "ising" });
    expect(m.terms.map((t) => t.shapes)).toEqual(TERM_NAMES.map((n) => STANDARD_SQUARE_SHAPES[n]));
  });
});
