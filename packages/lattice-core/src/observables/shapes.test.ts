import { describe, expect, it } from "vitest";
import { randomSpins } from "../../test/helpers.js";
import { squareLattice } from "../lattice/square.js";
import { termSums } from "../operator/ising.js";
import { seededUniform } from "../testing/index.js";
import {
  linkShape,
  linkVariables,
  STANDARD_SHAPES,
  shapeFeature,
  shapeFeatures,
  shapeLinkTable,
} from "./shapes.js";

describe("link shapes and features", () => {
  it("13 distinct standard shapes: 2 links, 4 L, 2 pairs, 4 U, 1 plaquette, all sides of one plaquette", () => {
    expect(STANDARD_SHAPES.length).toBe(13);
    const sizes = STANDARD_SHAPES.map((s) => s.links.length);
    expect(sizes).toEqual([1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 4]);
    const keys = STANDARD_SHAPES.map((s) =>
      s.links
        .map((o) => `${o.dx},${o.dy},${o.dir}`)
        .sort()
        .join(";"),
    );
    expect(new Set(keys).size).toBe(13);
    const lat = squareLattice(5);
    const sides = new Set(lat.plaquetteLinks(0));
    for (const s of STANDARD_SHAPES.slice(2)) {
      for (const l of shapeLinkTable(lat, s).subarray(0, s.links.length)) expect(sides.has(l)).toBe(true);
    }
  });

  it("ψ(plaquette) ≡ 1 and single-link features are the nn term sum per site, for random configurations", () => {
    const u = seededUniform(21);
    for (const [Lx, Ly] of [
      [2, 2],
      [4, 3],
      [6, 6],
    ]) {
      const lat = squareLattice(Lx, Ly);
      for (let r = 0; r < 10; r++) {
        const s = randomSpins(lat, u);
        const f = shapeFeatures(lat, linkVariables(lat, s));
        expect(f[12]).toBe(1);
        expect((f[0] + f[1]) * lat.nSites).toBe(termSums(lat, s)[0]);
        // pair_bottom_top = x_bottom x_top = product of the 4 plaquette corners.
        expect(f[6] * lat.nSites).toBe(termSums(lat, s)[1]);
      }
    }
  });

  it("features are translation averages: a direct double loop agrees for a general link field", () => {
    const lat = squareLattice(4, 5);
    const u = seededUniform(22);
    const field = Float64Array.from({ length: lat.nLinks }, () => u() * 2 - 1);
    for (const shape of STANDARD_SHAPES) {
      let sum = 0;
      for (let y = 0; y < 5; y++) {
        for (let x = 0; x < 4; x++) {
          let p = 1;
          for (const o of shape.links) p *= field[lat.link(x + o.dx, y + o.dy, o.dir)];
          sum += p;
        }
      }
      expect(shapeFeature(lat, shape, field)).toBeCloseTo(sum / 20, 14);
    }
  });

  it("user shapes are validated with typed errors", () => {
    const lat = squareLattice(4);
    const s = linkShape("far", [
      { dx: 0, dy: 0, dir: 0 },
      { dx: 2, dy: 3, dir: 1 },
    ]);
    expect(shapeLinkTable(lat, s).length).toBe(32);
    expect(() => linkShape("empty", [])).toThrow(/shape empty.links: expected at least one link/);
    expect(() =>
      linkShape("dup", [
        { dx: 0, dy: 0, dir: 0 },
        { dx: 0, dy: 0, dir: 0 },
      ]),
    ).toThrow(/distinct links/);
    expect(() => linkShape("dir", [{ dx: 0, dy: 0, dir: 2 as 0 }])).toThrow(/dir: expected 0 or 1/);
    expect(() => shapeFeature(lat, s, new Float64Array(5))).toThrow(/linkField.length: expected 32/);
    expect(() => linkVariables(lat, new Int8Array(3))).toThrow(/spins.length: expected 16/);
  });
});
