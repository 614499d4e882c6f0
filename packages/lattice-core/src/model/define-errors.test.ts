// Model validation: every rejected description gives one message naming the field (by its path)
// and the allowed range, written out here from the documented rules; the limits themselves
// (sides, offsets, sites per shape, shapes and terms) are accepted at the edge.
import { describe, expect, it } from "vitest";
import { PhysmlInputError } from "../errors.js";
import {
  defineModel,
  latticeDimension,
  MAX_MODEL_SIDE,
  MAX_OFFSET,
  parseModelJson,
  withCouplings,
} from "./define.js";
import { modelTables } from "./derive.js";
import type { ModelInput } from "./types.js";

const nn = { name: "nn", coupling: 1, sites: [[0], [1]] };
const chain = (terms: unknown[], spin: unknown = "ising") =>
  ({ spin, lattice: { chain: 4 }, terms }) as unknown as ModelInput;
const onChain = (...sites: number[][]) => Array.from(sites);

/** [description, exact message]. */
const REJECTED: [unknown, string][] = [
  [null, "model: expected an object { spin, lattice, terms }, got object"],
  [[], "model: expected an object { spin, lattice, terms }, got object"],
  ["ising", "model: expected an object { spin, lattice, terms }, got string"],
  [
    { spin: "ising", lattice: { chain: 4 }, terms: [nn], beta: 1 },
    "model.beta: expected no such key (allowed: spin, lattice, terms), got beta",
  ],
  // Spin.
  [chain([nn], "potts"), 'spin: expected "ising", "xy", "heisenberg" or { "on": n }, got potts'],
  [chain([nn], 3), 'spin: expected "ising", "xy", "heisenberg" or { "on": n }, got 3'],
  [chain([nn], { n: 3 }), 'spin: expected "ising", "xy", "heisenberg" or { "on": n }, got object'],
  [chain([nn], { on: 1 }), "spin.on: expected an integer in [2, 16], got 1"],
  [chain([nn], { on: 17 }), "spin.on: expected an integer in [2, 16], got 17"],
  [chain([nn], { on: 2.5 }), "spin.on: expected an integer in [2, 16], got 2.5"],
  [chain([nn], { on: 3, kind: "x" }), "spin.kind: expected no such key (allowed: on), got kind"],
  // Lattice.
  [
    { spin: "ising", lattice: 4, terms: [nn] },
    'lattice: expected { "chain": L }, { "square": [Lx, Ly] } or { "cubic": L }, got number',
  ],
  [
    { spin: "ising", lattice: null, terms: [nn] },
    'lattice: expected { "chain": L }, { "square": [Lx, Ly] } or { "cubic": L }, got object',
  ],
  [
    { spin: "ising", lattice: { chain: 4, cubic: 4 }, terms: [nn] },
    'lattice: expected exactly one of { "chain": L }, { "square": [Lx, Ly] } or { "cubic": L }, got chain,cubic',
  ],
  [
    { spin: "ising", lattice: { twist: [true] }, terms: [nn] },
    'lattice: expected exactly one of { "chain": L }, { "square": [Lx, Ly] } or { "cubic": L }, got ',
  ],
  [
    { spin: "ising", lattice: { ring: 4 }, terms: [nn] },
    'lattice: expected { "chain": L }, { "square": [Lx, Ly] } or { "cubic": L }, got ring',
  ],
  [
    { spin: "ising", lattice: { chain: 0 }, terms: [nn] },
    "lattice.chain: expected an integer in [1, 32768], got 0",
  ],
  [
    { spin: "ising", lattice: { chain: 32769 }, terms: [nn] },
    "lattice.chain: expected an integer in [1, 32768], got 32769",
  ],
  [
    { spin: "ising", lattice: { cubic: 3.5 }, terms: [nn] },
    "lattice.cubic: expected an integer in [1, 32768], got 3.5",
  ],
  [
    { spin: "ising", lattice: { square: -2 }, terms: [nn] },
    "lattice.square: expected an integer in [1, 32768], got -2",
  ],
  [
    { spin: "ising", lattice: { square: [4] }, terms: [nn] },
    "lattice.square: expected L or [Lx, Ly], got object",
  ],
  [
    { spin: "ising", lattice: { square: "4" }, terms: [nn] },
    "lattice.square: expected L or [Lx, Ly], got string",
  ],
  [
    { spin: "ising", lattice: { square: [0, 4] }, terms: [nn] },
    "lattice.square[0]: expected an integer in [1, 32768], got 0",
  ],
  [
    { spin: "ising", lattice: { square: [4, 40000] }, terms: [nn] },
    "lattice.square[1]: expected an integer in [1, 32768], got 40000",
  ],
  [
    { spin: "ising", lattice: { square: 4, twist: [true] }, terms: [nn] },
    "lattice.twist: expected an array of 2 booleans (one per axis), got [true]",
  ],
  [
    { spin: "ising", lattice: { cubic: 4, twist: [true, false, 1] }, terms: [nn] },
    "lattice.twist: expected an array of 3 booleans (one per axis), got [true,false,1]",
  ],
  [
    { spin: "ising", lattice: { chain: 4, twist: true }, terms: [nn] },
    "lattice.twist: expected an array of 1 booleans (one per axis), got true",
  ],
  [
    { spin: "xy", lattice: { chain: 4, twist: [true] }, terms: [nn] },
    "lattice.twist: expected only with Ising spins, got on(2)",
  ],
  [
    {
      spin: "ising",
      lattice: { chain: 4, twist: [true] },
      terms: [nn, { name: "b", coupling: 1, shapes: [[[0], [1]], [[0]]] }],
    },
    "terms[1].shapes[1]: expected an even number of sites on a twisted lattice (the twist is a spin-flip symmetry twist), got 1",
  ],
  // Terms list.
  [chain([]), "terms: expected a list of 1 to 32 terms, got 0"],
  [{ spin: "ising", lattice: { chain: 4 } }, "terms: expected a list of 1 to 32 terms, got undefined"],
  [
    chain(Array.from({ length: 33 }, (_, k) => ({ ...nn, name: `t${k}` }))),
    "terms: expected a list of 1 to 32 terms, got 33",
  ],
  [chain([nn, { ...nn, coupling: 2 }]), "terms[1].name: expected a name used by no other term, got nn"],
  // One term.
  [chain([nn, 5]), "terms[1]: expected an object { name, coupling, sites | shapes }, got number"],
  [
    chain([{ ...nn, extra: 1 }]),
    "terms[0].extra: expected no such key (allowed: name, coupling, sites, shapes, axis), got extra",
  ],
  [chain([{ ...nn, name: "1a" }]), "terms[0].name: expected an identifier (letters, digits, _), got 1a"],
  [chain([{ ...nn, name: "a-b" }]), "terms[0].name: expected an identifier (letters, digits, _), got a-b"],
  [chain([{ ...nn, name: "a b" }]), "terms[0].name: expected an identifier (letters, digits, _), got a b"],
  [chain([{ ...nn, name: 7 }]), "terms[0].name: expected an identifier (letters, digits, _), got 7"],
  [
    chain([{ ...nn, name: ["ab"] }]),
    "terms[0].name: expected an identifier (letters, digits, _), got object",
  ],
  [chain([{ ...nn, coupling: "1" }]), "terms[0].coupling: expected a finite number, got 1"],
  [chain([{ ...nn, coupling: Number.NaN }]), "terms[0].coupling: expected a finite number, got NaN"],
  [
    chain([{ ...nn, coupling: Number.POSITIVE_INFINITY }]),
    "terms[0].coupling: expected a finite number, got Infinity",
  ],
  [
    chain([{ name: "a", coupling: 1 }]),
    "terms[0]: expected exactly one of sites or shapes, got both or neither",
  ],
  [
    chain([{ ...nn, shapes: [[[0]]] }]),
    "terms[0]: expected exactly one of sites or shapes, got both or neither",
  ],
  [chain([{ ...nn, sites: [] }]), "terms[0].sites: expected a list of 1 to 16 offsets, got 0"],
  [chain([{ ...nn, sites: [0] }]), "terms[0].sites[0]: expected an array of 1 integer, got 0"],
  [chain([{ ...nn, sites: "01" }]), "terms[0].sites: expected a list of 1 to 16 offsets, got string"],
  [
    chain([{ ...nn, sites: Array.from({ length: 17 }, (_, k) => [k]) }]),
    "terms[0].sites: expected a list of 1 to 16 offsets, got 17",
  ],
  [
    chain([{ ...nn, sites: [[0], [1], [2]] }], "xy"),
    "terms[0].sites: expected a list of 1 to 2 offsets, got 3",
  ],
  [chain([{ ...nn, sites: [[0], [65]] }]), "terms[0].sites[1][0]: expected an integer in [-64, 64], got 65"],
  [
    chain([{ ...nn, sites: [[0], [-65]] }]),
    "terms[0].sites[1][0]: expected an integer in [-64, 64], got -65",
  ],
  [
    chain([{ ...nn, sites: [[0], [0.5]] }]),
    "terms[0].sites[1][0]: expected an integer in [-64, 64], got 0.5",
  ],
  [
    { spin: "ising", lattice: { square: 4 }, terms: [{ ...nn, sites: [[0, 0], [1]] }] },
    "terms[0].sites[1]: expected an array of 2 integers, got [1]",
  ],
  [
    {
      spin: "ising",
      lattice: { cubic: 4 },
      terms: [
        {
          ...nn,
          sites: [
            [0, 0, 0],
            [1, 0, 0, 0],
          ],
        },
      ],
    },
    "terms[0].sites[1]: expected an array of 3 integers, got [1,0,0,0]",
  ],
  [
    chain([{ name: "a", coupling: 1, shapes: [] }]),
    "terms[0].shapes: expected a list of 1 to 32 site lists, got object",
  ],
  [
    chain([{ name: "a", coupling: 1, shapes: 3 }]),
    "terms[0].shapes: expected a list of 1 to 32 site lists, got number",
  ],
  [
    chain([{ name: "a", coupling: 1, shapes: Array.from({ length: 33 }, () => [[0]]) }]),
    "terms[0].shapes: expected a list of 1 to 32 site lists, got object",
  ],
  [
    chain([{ name: "a", coupling: 1, shapes: [[[0]], []] }]),
    "terms[0].shapes[1]: expected a list of 1 to 16 offsets, got 0",
  ],
  [
    chain([{ name: "a", coupling: 1, shapes: [[[0]], [[0], ["x"]]] }]),
    "terms[0].shapes[1][1][0]: expected an integer in [-64, 64], got x",
  ],
  // O(n) specifics.
  [chain([{ ...nn, sites: [[0]], axis: 0 }]), "terms[0].axis: expected only for O(n) spins, got 0"],
  [chain([{ ...nn, sites: [[0]], axis: 2 }], "xy"), "terms[0].axis: expected an integer in [0, 1], got 2"],
  [
    chain([{ ...nn, sites: [[0]], axis: -1 }], "heisenberg"),
    "terms[0].axis: expected an integer in [0, 2], got -1",
  ],
  [
    chain([{ ...nn, sites: [[0]], axis: 4 }], { on: 4 }),
    "terms[0].axis: expected an integer in [0, 3], got 4",
  ],
  [
    chain([{ name: "a", coupling: 1, shapes: [onChain([0], [1]), onChain([0])] }], "xy"),
    "terms[0].shapes[1]: expected 2 sites like shapes[0], got 1",
  ],
];

describe("model validation messages", () => {
  it("rejects each bad description with the field path and the allowed range", () => {
    const wrong: string[] = [];
    for (const [input, message] of REJECTED) {
      try {
        defineModel(input as ModelInput);
        wrong.push(`accepted: ${JSON.stringify(input)}`);
      } catch (e) {
        if (!(e instanceof PhysmlInputError) || e.message !== message)
          wrong.push(`${JSON.stringify(input)}\n  got  ${(e as Error).message}\n  want ${message}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("accepts every limit at its edge and normalises the description", () => {
    expect(MAX_MODEL_SIDE).toBe(32768);
    expect(MAX_OFFSET).toBe(64);
    const edge = defineModel({
      spin: { on: 16 },
      lattice: { chain: 1 },
      terms: [
        { name: "_a9", coupling: -0, sites: [[-64], [64]] },
        { name: "Field", coupling: 2, shapes: Array.from({ length: 32 }, () => [[0]]), axis: 15 },
      ],
    });
    expect(edge.spin).toEqual({ kind: "on", n: 16 });
    expect(edge.terms[1].axis).toBe(15);
    expect(edge.terms[0].axis).toBe(0);
    expect(edge.terms[0].shapes).toEqual([[[-64], [64]]]);
    expect(defineModel({ spin: { on: 2 }, lattice: { chain: 1 }, terms: [nn] }).spin).toEqual({
      kind: "on",
      n: 2,
    });
    expect(defineModel(chain([nn], "xy")).spin).toEqual({ kind: "on", n: 2 });
    expect(defineModel(chain([nn], "heisenberg")).spin).toEqual({ kind: "on", n: 3 });
    const big = defineModel({
      spin: "ising",
      lattice: { square: [32768, 1] },
      terms: Array.from({ length: 32 }, (_, k) => ({
        name: `t${k}`,
        coupling: k,
        sites: Array.from({ length: 16 }, () => [0, 0]),
      })),
    });
    expect(big.lattice).toEqual({ kind: "square", Lx: 32768, Ly: 1 });
    expect(big.terms.length).toBe(32);
    expect(defineModel({ spin: "ising", lattice: { square: 3 }, terms: [nn2()] }).lattice).toEqual({
      kind: "square",
      Lx: 3,
      Ly: 3,
    });
    expect(
      defineModel({ spin: "ising", lattice: { cubic: 2 }, terms: [{ ...nn, sites: [[0, 0, 0]] }] }).lattice,
    ).toEqual({ kind: "cubic", L: 2 });
    expect(defineModel({ spin: "ising", lattice: { chain: 32768 }, terms: [nn] }).lattice).toEqual({
      kind: "chain",
      L: 32768,
    });
    // A twist that twists nothing is the plain lattice; a real one is kept, frozen.
    expect(
      defineModel({ spin: "ising", lattice: { square: 2, twist: [false, false] }, terms: [nn2()] }).lattice,
    ).toEqual({
      kind: "square",
      Lx: 2,
      Ly: 2,
    });
    const tw = defineModel({ spin: "ising", lattice: { square: 2, twist: [false, true] }, terms: [nn2()] });
    expect(tw.lattice.twist).toEqual([false, true]);
    expect(Object.isFrozen(tw.lattice.twist)).toBe(true);
    expect(Object.isFrozen(tw)).toBe(true);
    // Even shapes (and only even ones) pass on a twisted lattice, also when a later shape is odd.
    expect(() =>
      defineModel({
        spin: "ising",
        lattice: { chain: 4, twist: [true] },
        terms: [{ name: "q", coupling: 1, sites: [[0], [1], [2], [3]] }],
      }),
    ).not.toThrow();
    expect(latticeDimension(big.lattice)).toBe(2);
    expect(latticeDimension(edge.lattice)).toBe(1);
    expect(latticeDimension({ kind: "cubic", L: 2 })).toBe(3);
  });

  it("a validated model passes through unchanged; JSON text is parsed or named unparsable", () => {
    const m = defineModel(chain([nn]));
    expect(defineModel(m)).toBe(m);
    // A look-alike plain object is validated again (and rejected: its spin is not an input form).
    expect(() => defineModel({ ...m } as never)).toThrow(/^spin: expected "ising"/);
    const j = parseModelJson(JSON.stringify({ spin: "ising", lattice: { chain: 3 }, terms: [nn] }));
    expect(j.terms).toEqual([{ name: "nn", coupling: 1, shapes: [[[0], [1]]], axis: 0 }]);
    expect(() => parseModelJson("{ nope")).toThrow(PhysmlInputError);
    expect(() => parseModelJson("{ nope")).toThrow(
      /^model: expected valid JSON, got unparsable text \(.+\)$/,
    );
    expect(() => parseModelJson("[1]")).toThrow(
      "model: expected an object { spin, lattice, terms }, got object",
    );
  });

  it("withCouplings: one finite coupling per term, same geometry and tables", () => {
    const m = defineModel({
      spin: "ising",
      lattice: { chain: 6 },
      terms: [nn, { name: "h", coupling: 0.5, sites: [[0]] }],
    });
    expect(() => withCouplings(m, [1])).toThrow("couplings.length: expected 2 (one per term), got 1");
    expect(() => withCouplings(m, [1, 2, 3])).toThrow("couplings.length: expected 2 (one per term), got 3");
    expect(() => withCouplings(m, [1, Number.NaN])).toThrow(
      "couplings[1]: expected a finite number, got NaN",
    );
    expect(() => withCouplings(m, [Number.NEGATIVE_INFINITY, 1])).toThrow(
      "couplings[0]: expected a finite number, got -Infinity",
    );
    expect(() => withCouplings(m, ["1", 2] as never)).toThrow(
      "couplings[0]: expected a finite number, got 1",
    );
    const w = withCouplings(m, Float64Array.from([-0.25, 2]));
    expect(w.terms.map((t) => t.coupling)).toEqual([-0.25, 2]);
    expect(w.terms.map((t) => t.shapes)).toEqual(m.terms.map((t) => t.shapes));
    expect(w.lattice).toBe(m.lattice);
    expect(w.spin).toBe(m.spin);
    expect(m.terms[0].coupling).toBe(1);
    expect(defineModel(w)).toBe(w);
    expect(Object.isFrozen(w)).toBe(true);
    // Same nonzero pattern: the same derived tables; a coupling set to 0 changes the colouring.
    expect(modelTables(w)).toBe(modelTables(m));
    const off = withCouplings(m, [0, 2]);
    expect(modelTables(off)).not.toBe(modelTables(m));
    expect(modelTables(off).colouring.colours).toBe(1);
    expect(modelTables(off).colouredTerms).toEqual([false, true]);
    expect(modelTables(m).colouring.colours).toBe(2);
    expect(modelTables(m).colouredTerms).toEqual([true, true]);
  });
});

function nn2() {
  return {
    name: "nn",
    coupling: 1,
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
  };
}
