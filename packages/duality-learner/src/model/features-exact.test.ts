// Link variables and shape features against their definitions, evaluated by hand from lattice
// coordinates on a small non-square torus (Lx ≠ Ly, so an x/y mix-up shows), and the star shapes
// and shape-set specs against their listings.
import { PhysmlInputError, STANDARD_SHAPES, squareLattice } from "@physml/lattice-core";
import { seededUniform } from "@physml/lattice-core/testing";
import { describe, expect, test } from "vitest";
import { featuresBatch, linkVariablesBatch, shapeTables } from "./features.js";
import { EXTENDED_SHAPES, resolveShapes, STAR_SHAPES } from "./shapes.js";

const lat = squareLattice(3, 4);
const N = lat.nSites;
const nl = lat.nLinks;

const count = 3;
const r = seededUniform(11);
const spins = Int8Array.from({ length: count * N }, () => (r() < 0.5 ? 1 : -1));
const spin = (b: number, x: number, y: number) => spins[b * N + lat.site(x, y)];

describe("linkVariablesBatch", () => {
  test("x = s_i s_j of the link's two ends, per sample; a twist flips exactly its seam's links", () => {
    for (const twist of [[], [true, false], [false, true], [true, true]]) {
      const out = linkVariablesBatch(lat, spins, count, twist);
      expect(out).toHaveLength(count * nl);
      for (let b = 0; b < count; b++) {
        for (let y = 0; y < lat.Ly; y++) {
          for (let x = 0; x < lat.Lx; x++) {
            // Antiperiodic along x: the h link from x = Lx − 1 to x = 0 changes sign.
            const sh = twist[0] && x === lat.Lx - 1 ? -1 : 1;
            const sv = twist[1] && y === lat.Ly - 1 ? -1 : 1;
            expect(out[b * nl + lat.link(x, y, 0)]).toBe(sh * spin(b, x, y) * spin(b, x + 1, y));
            expect(out[b * nl + lat.link(x, y, 1)]).toBe(sv * spin(b, x, y) * spin(b, x, y + 1));
          }
        }
      }
    }
  });

  test("the twisted link field has the twisted Hamiltonian's sign: Σ x changes by −2 Σ over the seam", () => {
    // All spins up: every link is +1 except the seam links, Lx of them along y and Ly along x.
    const up = new Int8Array(N).fill(1);
    const sum = (t: boolean[]) => linkVariablesBatch(lat, up, 1, t).reduce((a, v) => a + v, 0);
    expect(sum([])).toBe(2 * N);
    expect(sum([true, false])).toBe(2 * N - 2 * lat.Ly);
    expect(sum([false, true])).toBe(2 * N - 2 * lat.Lx);
    expect(sum([true, true])).toBe(2 * N - 2 * lat.Lx - 2 * lat.Ly);
  });

  test("a spin array of the wrong length is refused, naming count·N", () => {
    expect(() => linkVariablesBatch(lat, spins.subarray(1), count)).toThrow(PhysmlInputError);
    expect(() => linkVariablesBatch(lat, spins.subarray(1), count)).toThrow(
      `spins.length: expected count·N = ${count * N}, got ${count * N - 1}`,
    );
  });
});

describe("featuresBatch", () => {
  // A real-valued link field, so that every product of distinct links is distinct.
  const f = Float64Array.from({ length: count * nl }, () => 2 * r() - 1);
  const at = (b: number, x: number, y: number, dir: 0 | 1) => f[b * nl + lat.link(x, y, dir)];

  test("ψ_a = (1/N) Σ_sites Π_{links of a} f, summed by hand over the torus", () => {
    const t = shapeTables(lat, EXTENDED_SHAPES);
    expect(t.tables).toHaveLength(EXTENDED_SHAPES.length);
    const got = featuresBatch(lat, t, f, count);
    const A = EXTENDED_SHAPES.length;
    expect(got).toHaveLength(count * A);
    for (let b = 0; b < count; b++) {
      EXTENDED_SHAPES.forEach((s, a) => {
        let sum = 0;
        for (let y = 0; y < lat.Ly; y++) {
          for (let x = 0; x < lat.Lx; x++) {
            let p = 1;
            for (const o of s.links) p *= at(b, x + o.dx, y + o.dy, o.dir);
            sum += p;
          }
        }
        expect(got[b * A + a], s.name).toBeCloseTo(sum / N, 14);
      });
    }
  });

  test("a link field of the wrong length is refused, naming count·2N", () => {
    const t = shapeTables(lat, STANDARD_SHAPES);
    expect(() => featuresBatch(lat, t, f, count + 1)).toThrow(
      `linkFields.length: expected count·2N = ${(count + 1) * nl}, got ${count * nl}`,
    );
  });
});

describe("star shapes", () => {
  // The links touching site (x, y): right (to x + 1), up, left (from x − 1), down (from y − 1).
  const x0 = 1;
  const y0 = 2;
  const right = lat.link(x0, y0, 0);
  const up = lat.link(x0, y0, 1);
  const left = lat.link(x0 - 1, y0, 0);
  const down = lat.link(x0, y0 - 1, 1);
  const expected: Record<string, number[]> = {
    line_h: [left, right],
    line_v: [down, up],
    T_no_down: [right, up, left],
    T_no_left: [down, right, up],
    T_no_up: [left, down, right],
    T_no_right: [up, left, down],
    star: [right, up, left, down],
  };

  test("are the 7 sets of links meeting at one site that are not plaquette shapes, in order", () => {
    expect(STAR_SHAPES.map((s) => s.name)).toEqual(Object.keys(expected));
    const site = lat.site(x0, y0);
    const t = shapeTables(lat, STAR_SHAPES);
    STAR_SHAPES.forEach((s, a) => {
      const k = s.links.length;
      const links = Array.from(t.tables[a].subarray(site * k, (site + 1) * k));
      expect(links, s.name).toEqual(expected[s.name]);
      // every link has the site as one end
      for (const l of links) expect(lat.linkEnds(l)).toContain(site);
    });
  });

  test("the extended set is the standard set followed by the star shapes", () => {
    expect(EXTENDED_SHAPES.map((s) => s.name)).toEqual(
      [...STANDARD_SHAPES, ...STAR_SHAPES].map((s) => s.name),
    );
    expect(EXTENDED_SHAPES).toHaveLength(20);
  });
});

describe("resolveShapes", () => {
  test("names the standard and extended sets, or picks shapes by name in the given order", () => {
    expect(resolveShapes("standard").map((s) => s.name)).toEqual(STANDARD_SHAPES.map((s) => s.name));
    expect(resolveShapes("extended").map((s) => s.name)).toEqual(EXTENDED_SHAPES.map((s) => s.name));
    expect(resolveShapes(["star", "h", "line_v"])).toEqual([
      STAR_SHAPES[6],
      STANDARD_SHAPES[0],
      STAR_SHAPES[1],
    ]);
  });

  test("an unknown or repeated name is refused with its index and the allowed names", () => {
    const names = EXTENDED_SHAPES.map((s) => s.name).join(", ");
    expect(() => resolveShapes(["h", "hexagon"])).toThrow(`shapes[1]: expected one of ${names}, got hexagon`);
    expect(() => resolveShapes(["h", "v", "h"])).toThrow("shapes[2]: expected distinct shape names, got h");
  });
});
