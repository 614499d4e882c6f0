import { PhysmlInputError } from "@physml/lattice-core";
import { describe, expect, test } from "vitest";
import { expandGrid, parseGridAxis, pointName } from "./grid.js";

describe("grid axes", () => {
  test("an inclusive range is float-safe: exact decimals, both ends included", () => {
    const a = parseGridAxis("beta=0.1:0.8:0.05");
    expect(a.key).toBe("beta");
    expect(a.values).toHaveLength(15);
    // Independent truth: the decimals k/20 for k = 2…16.
    expect(a.values).toEqual(Array.from({ length: 15 }, (_, k) => (k + 2) / 20));
    expect(a.values).toContain(0.15);
    expect(a.values.at(-1)).toBe(0.8);
    expect(parseGridAxis("x=0:1:0.1").values).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(parseGridAxis("x=1e-3:3e-3:1e-3").values).toEqual([0.001, 0.002, 0.003]);
    // hi off the grid: the last value below it.
    expect(parseGridAxis("L=4:11:2").values).toEqual([4, 6, 8, 10]);
    expect(parseGridAxis("x=-0.2:0.2:0.1").values).toEqual([-0.2, -0.1, 0, 0.1, 0.2]);
  });

  test("a list keeps its order and types: numbers when all are numbers, else text", () => {
    expect(parseGridAxis("seed=3,1,2").values).toEqual([3, 1, 2]);
    expect(parseGridAxis("backend=cpu,webgpu").values).toEqual(["cpu", "webgpu"]);
    expect(parseGridAxis("--seed=1").values).toEqual([1]);
  });

  test.each([
    ["beta", "no ="],
    ["=1,2", "no key"],
    ["beta=", "no values"],
    ["beta=0.1:0.8", "two parts"],
    ["beta=0.1:0.8:0", "zero step"],
    ["beta=0.1:0.8:-0.1", "negative step"],
    ["beta=0.8:0.1:0.1", "hi below lo"],
    ["beta=0.1:x:0.1", "not a number"],
    ["seed=1,,2", "empty item"],
    ["seed=1,2,1", "repeated value"],
    ["seed=0,-0", "0 and -0 are one value"],
    ["x=0:1:1e-20", "step below the precision"],
    ["x=0:1e9:1", "too many values"],
  ])("%s is refused (%s) naming the field", (arg) => {
    expect(() => parseGridAxis(arg)).toThrow(PhysmlInputError);
    expect(() => parseGridAxis(arg)).toThrow(/^grid/);
  });
});

describe("grid expansion", () => {
  test("the Cartesian product, last axis fastest, indices in order", () => {
    const pts = expandGrid([parseGridAxis("beta=0.3,0.7"), parseGridAxis("seed=1,2,3")]);
    expect(pts.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(pts.map((p) => [p.params.beta, p.params.seed])).toEqual([
      [0.3, 1],
      [0.3, 2],
      [0.3, 3],
      [0.7, 1],
      [0.7, 2],
      [0.7, 3],
    ]);
    expect(pts[4].name).toBe("beta-0.7_seed-2");
  });

  test("hostile case 7: nearby values get their own directories, named by their values", () => {
    const pts = expandGrid([parseGridAxis("beta=0.3001,0.3004")]);
    expect(pts.map((p) => p.name)).toEqual(["beta-0.3001", "beta-0.3004"]);
    // A fine range: every one of the 1001 points has its own name.
    const fine = expandGrid([parseGridAxis("beta=0.3:0.31:0.00001")]);
    expect(fine).toHaveLength(1001);
    expect(new Set(fine.map((p) => p.name)).size).toBe(1001);
    expect(fine[1].name).toBe("beta-0.30001");
  });

  test("names are injective and shell-safe for any text value", () => {
    const values = ["a_b", "a%5Fb", "a b", "a/b", "a-b", "a_b-c", "ä", "a%b"];
    const names = values.map((v) => pointName({ tag: v }, ["tag"]));
    expect(new Set(names).size).toBe(values.length);
    for (const n of names) expect(n).toMatch(/^[A-Za-z0-9.+%_-]+$/);
    // Separators inside values cannot forge another point's name.
    expect(pointName({ a: "1_b-2" }, ["a"])).not.toBe(pointName({ a: 1, b: 2 }, ["a", "b"]));
  });

  test("a key given twice, no axis, or too many points is refused", () => {
    expect(() => expandGrid([parseGridAxis("seed=1"), parseGridAxis("seed=2")])).toThrow(/given twice/);
    expect(() => expandGrid([])).toThrow(PhysmlInputError);
    const big = parseGridAxis("x=1:1000:1");
    expect(() => expandGrid([big, { ...big, key: "y" }])).toThrow(/at most 100000 points/);
  });
});
