// Link shapes against (x, y) coordinates on tiny tori: the standard shapes are the sides of the
// plaquette anchored at (0, 0), link ids follow l = 2(y·Lx + x) + dir with both coordinates taken
// mod the side, and ψ(f) is the average over the N translations of the product over the shape.
import { describe, expect, it } from "vitest";
import { randomSpins } from "../../test/helpers.js";
import { squareLattice } from "../lattice/square.js";
import { seededUniform } from "../testing/index.js";
import { refusalMessage } from "../testing/refusal.js";
import {
  type LinkOffset,
  linkShape,
  linkVariables,
  STANDARD_SHAPES,
  shapeFeature,
  shapeFeatures,
  shapeLinkTable,
} from "./shapes.js";

const mod = (a: number, n: number) => ((a % n) + n) % n;
const linkId = (Lx: number, Ly: number, x: number, y: number, dir: number) =>
  2 * (mod(y, Ly) * Lx + mod(x, Lx)) + dir;
const TORI = [
  [1, 1],
  [2, 1],
  [1, 3],
  [2, 2],
  [3, 2],
];

describe("the standard shapes are the sides of the plaquette at (0, 0)", () => {
  // bottom h(0,0) joins (0,0)–(1,0); right v(1,0) joins (1,0)–(1,1); top h(0,1) joins (0,1)–(1,1);
  // left v(0,0) joins (0,0)–(0,1).
  const side = { bottom: "0,0,0", right: "1,0,1", top: "0,1,0", left: "0,0,1" };
  const expected: Record<string, (keyof typeof side)[]> = {
    h: ["bottom"],
    v: ["left"],
    L_bottom_left: ["bottom", "left"],
    L_bottom_right: ["bottom", "right"],
    L_top_right: ["top", "right"],
    L_top_left: ["top", "left"],
    pair_bottom_top: ["bottom", "top"],
    pair_left_right: ["left", "right"],
    U_open_top: ["left", "bottom", "right"],
    U_open_right: ["top", "left", "bottom"],
    U_open_bottom: ["right", "top", "left"],
    U_open_left: ["bottom", "right", "top"],
    plaquette: ["bottom", "right", "top", "left"],
  };

  it("names, order and links of all 13, and the list cannot be changed", () => {
    expect(STANDARD_SHAPES.map((s) => s.name)).toEqual(Object.keys(expected));
    for (const s of STANDARD_SHAPES) {
      expect(s.links.map((o) => `${o.dx},${o.dy},${o.dir}`)).toEqual(expected[s.name].map((k) => side[k]));
    }
    expect(Object.isFrozen(STANDARD_SHAPES)).toBe(true);
  });
});

describe("shape tables, link variables and features on tiny tori", () => {
  const far = linkShape("far", [
    { dx: -1, dy: 3, dir: 1 },
    { dx: 2, dy: -2, dir: 0 },
    { dx: 0, dy: 0, dir: 0 },
  ]);

  it("row i of a shape's table holds the ids of its links moved to site i = y·Lx + x", () => {
    for (const [Lx, Ly] of TORI) {
      const lat = squareLattice(Lx, Ly);
      for (const shape of [...STANDARD_SHAPES, far]) {
        const k = shape.links.length;
        const expected: number[] = [];
        for (let y = 0; y < Ly; y++)
          for (let x = 0; x < Lx; x++)
            for (const o of shape.links) expected.push(linkId(Lx, Ly, x + o.dx, y + o.dy, o.dir));
        const table = shapeLinkTable(lat, shape);
        expect(table.length).toBe(Lx * Ly * k);
        expect(Array.from(table)).toEqual(expected);
      }
    }
  });

  it("link variables are s(x, y)·s(x+1, y) on horizontal and s(x, y)·s(x, y+1) on vertical links", () => {
    const u = seededUniform(31);
    for (const [Lx, Ly] of TORI) {
      const lat = squareLattice(Lx, Ly);
      const s = randomSpins(lat, u);
      const at = (x: number, y: number) => s[mod(y, Ly) * Lx + mod(x, Lx)];
      const x = linkVariables(lat, s);
      expect(x.length).toBe(2 * Lx * Ly);
      for (let yy = 0; yy < Ly; yy++) {
        for (let xx = 0; xx < Lx; xx++) {
          expect(x[linkId(Lx, Ly, xx, yy, 0)]).toBe(at(xx, yy) * at(xx + 1, yy));
          expect(x[linkId(Lx, Ly, xx, yy, 1)]).toBe(at(xx, yy) * at(xx, yy + 1));
        }
      }
    }
  });

  it("ψ by hand on the 1×1 torus (one h link 0, one v link 1) and on the 2×1 torus", () => {
    // 1×1: bottom = top = h = link 0, left = right = v = link 1.
    const one = squareLattice(1, 1);
    const f = [2, 3];
    const psi = Object.fromEntries(STANDARD_SHAPES.map((s, a) => [s.name, shapeFeatures(one, f)[a]]));
    expect(psi).toEqual({
      h: 2,
      v: 3,
      L_bottom_left: 6,
      L_bottom_right: 6,
      L_top_right: 6,
      L_top_left: 6,
      pair_bottom_top: 4,
      pair_left_right: 9,
      U_open_top: 18,
      U_open_right: 12,
      U_open_bottom: 18,
      U_open_left: 12,
      plaquette: 36,
    });
    // 2×1, links h(0)=0, v(0)=1, h(1)=2, v(1)=3 with values 1, 2, 3, 5: the plaquette at x has
    // sides h(x), v(x+1), h(x), v(x): ψ = (1·5·1·2 + 3·2·3·5) / 2 = 50.
    const two = squareLattice(2, 1);
    expect(shapeFeature(two, STANDARD_SHAPES[12], [1, 2, 3, 5])).toBe(50);
    expect(shapeFeature(two, STANDARD_SHAPES[3], [1, 2, 3, 5])).toBe((1 * 5 + 3 * 2) / 2);
    // far at x = 0: v(1) h(0) h(0) = 5·1·1; at x = 1: v(0) h(1) h(1) = 2·3·3.
    expect(Array.from(shapeFeatures(two, [1, 2, 3, 5], [far]))).toEqual([(5 * 1 * 1 + 2 * 3 * 3) / 2]);
  });

  it("ψ is the translation average of the product, from coordinates, for every shape and torus", () => {
    const u = seededUniform(32);
    for (const [Lx, Ly] of TORI) {
      const lat = squareLattice(Lx, Ly);
      const f = Float64Array.from({ length: 2 * Lx * Ly }, () => 2 * u() - 1);
      const shapes = [...STANDARD_SHAPES, far];
      const expected = shapes.map((shape) => {
        let sum = 0;
        for (let y = 0; y < Ly; y++) {
          for (let x = 0; x < Lx; x++) {
            let p = 1;
            for (const o of shape.links) p *= f[linkId(Lx, Ly, x + o.dx, y + o.dy, o.dir)];
            sum += p;
          }
        }
        return sum / (Lx * Ly);
      });
      const got = shapeFeatures(lat, f, shapes);
      expect(got.length).toBe(shapes.length);
      for (let a = 0; a < shapes.length; a++) expect(got[a]).toBeCloseTo(expected[a], 14);
    }
  });
});

describe("linkShape and the length checks", () => {
  it("copies the links it is given", () => {
    const links: LinkOffset[] = [
      { dx: 0, dy: 0, dir: 0 },
      { dx: 0, dy: 0, dir: 1 },
      { dx: 0, dy: 1, dir: 0 },
      { dx: 1, dy: 0, dir: 0 },
    ];
    const s = linkShape("mine", links);
    links[0].dx = 5;
    links.pop();
    expect(s.name).toBe("mine");
    expect(s.links).toEqual([
      { dx: 0, dy: 0, dir: 0 },
      { dx: 0, dy: 0, dir: 1 },
      { dx: 0, dy: 1, dir: 0 },
      { dx: 1, dy: 0, dir: 0 },
    ]);
  });

  it("refuses empty, fractional, wrongly directed and repeated links with one-line messages", () => {
    expect(refusalMessage(() => linkShape("s", []))).toBe("shape s.links: expected at least one link, got 0");
    expect(
      refusalMessage(() =>
        linkShape("s", [
          { dx: 0, dy: 0, dir: 0 },
          { dx: 0.5, dy: 0, dir: 0 },
        ]),
      ),
    ).toBe("shape s.links[1]: expected integer dx and dy, got 0.5,0");
    expect(refusalMessage(() => linkShape("s", [{ dx: 0, dy: Number.NaN, dir: 0 }]))).toBe(
      "shape s.links[0]: expected integer dx and dy, got 0,NaN",
    );
    expect(
      refusalMessage(() =>
        linkShape("s", [
          { dx: 0, dy: 0, dir: 1 },
          { dx: 0, dy: 0, dir: -1 as 0 },
        ]),
      ),
    ).toBe("shape s.links[1].dir: expected 0 or 1, got -1");
    expect(
      refusalMessage(() =>
        linkShape("s", [
          { dx: 1, dy: -1, dir: 0 },
          { dx: 0, dy: 0, dir: 1 },
          { dx: 1, dy: -1, dir: 0 },
        ]),
      ),
    ).toBe("shape s.links: expected distinct links, got 1,-1,0");
    const lat = squareLattice(3, 2);
    expect(refusalMessage(() => linkVariables(lat, new Int8Array(5)))).toBe(
      "spins.length: expected 6 (= Lx·Ly), got 5",
    );
    expect(refusalMessage(() => shapeFeature(lat, STANDARD_SHAPES[0], new Float64Array(11)))).toBe(
      "linkField.length: expected 12 (= 2·Lx·Ly), got 11",
    );
  });
});
