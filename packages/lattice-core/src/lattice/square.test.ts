import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PhysmlInputError } from "../errors.js";
import { seededUniform } from "../testing/index.js";
import {
  dualLink,
  dualLinkTable,
  dualSitePosition,
  linkMidpoint,
  primalLink,
  toDualLinkField,
} from "./dual.js";
import { squareLattice } from "./square.js";
import { translateLinkField, translateSpins } from "./translate.js";

const size = fc.integer({ min: 2, max: 9 });

/** Distance on the torus between two points given in lattice coordinates. */
function torusClose(a: [number, number], b: [number, number], Lx: number, Ly: number): boolean {
  const d = (u: number, L: number) => Math.abs(u - L * Math.round(u / L));
  return d(a[0] - b[0], Lx) < 1e-12 && d(a[1] - b[1], Ly) < 1e-12;
}

describe("SquareLattice geometry", () => {
  it("site ↔ (x, y) round trip, periodic wrapping", () => {
    fc.assert(
      fc.property(
        size,
        size,
        fc.integer({ min: -50, max: 50 }),
        fc.integer({ min: -50, max: 50 }),
        (Lx, Ly, x, y) => {
          const lat = squareLattice(Lx, Ly);
          const i = lat.site(x, y);
          const [cx, cy] = lat.coords(i);
          expect(i).toBe(cy * Lx + cx);
          expect((((x - cx) % Lx) + Lx) % Lx).toBe(0);
          expect((((y - cy) % Ly) + Ly) % Ly).toBe(0);
        },
      ),
      { seed: 1 },
    );
  });

  it("every link has 2 adjacent sites and every site lies on exactly 4 links", () => {
    fc.assert(
      fc.property(size, size, (Lx, Ly) => {
        const lat = squareLattice(Lx, Ly);
        const degree = new Int32Array(lat.nSites);
        for (let l = 0; l < lat.nLinks; l++) {
          const [a, b] = lat.linkEnds(l);
          degree[a]++;
          degree[b]++;
          const [ax, ay] = lat.coords(a);
          expect(lat.site(ax + (l & 1 ? 0 : 1), ay + (l & 1 ? 1 : 0))).toBe(b);
        }
        expect(Array.from(degree).every((d) => d === 4)).toBe(true);
        for (let i = 0; i < lat.nSites; i++) {
          const nb = Array.from(lat.neighbours.subarray(4 * i, 4 * i + 4));
          for (const j of nb) expect(lat.neighbours.subarray(4 * j, 4 * j + 4)).toContain(i);
        }
      }),
      { seed: 2, numRuns: 40 },
    );
  });

  it("plaquettes: 4 corner sites and 4 side links that close a loop; the term tables agree", () => {
    fc.assert(
      fc.property(size, size, (Lx, Ly) => {
        const lat = squareLattice(Lx, Ly);
        const perLink = new Int32Array(lat.nLinks);
        for (let p = 0; p < lat.nPlaquettes; p++) {
          const corners = lat.plaquetteSites(p);
          const sides = lat.plaquetteLinks(p);
          expect(Array.from(lat.plaquetteSiteTable.subarray(4 * p, 4 * p + 4))).toEqual(corners);
          // Side k joins corners k and k+1 (as an unordered pair).
          for (let k = 0; k < 4; k++) {
            const ends = lat.linkEnds(sides[k]).sort();
            expect(ends).toEqual([corners[k], corners[(k + 1) % 4]].sort());
            perLink[sides[k]]++;
          }
        }
        // Each link borders exactly two plaquettes.
        expect(Array.from(perLink).every((c) => c === 2)).toBe(true);
        for (let b = 0; b < 2 * lat.nSites; b++) {
          const [i, j] = lat.nnnBondSites(b);
          const [x, y] = lat.coords(i);
          expect(j).toBe(lat.site(x + 1, y + (b & 1 ? -1 : 1)));
          expect(Array.from(lat.nnnSiteTable.subarray(2 * b, 2 * b + 2))).toEqual([i, j]);
        }
      }),
      { seed: 3, numRuns: 40 },
    );
  });

  it("2- and 4-colour checkerboards: no two equal colours are nearest, diagonal or plaquette neighbours", () => {
    const even = fc.integer({ min: 1, max: 5 }).map((k) => 2 * k);
    fc.assert(
      fc.property(even, even, (Lx, Ly) => {
        const lat = squareLattice(Lx, Ly);
        const c2 = lat.colouring(2);
        const c4 = lat.colouring(4);
        for (let l = 0; l < lat.nLinks; l++) {
          const [a, b] = lat.linkEnds(l);
          expect(c2[a]).not.toBe(c2[b]);
          expect(c4[a]).not.toBe(c4[b]);
        }
        for (let p = 0; p < lat.nPlaquettes; p++) {
          expect(new Set(lat.plaquetteSites(p).map((i) => c4[i])).size).toBe(4);
        }
        const classes = lat.colourClasses(4);
        expect(classes.reduce((s, c) => s + c.length, 0)).toBe(lat.nSites);
        expect(classes.every((c) => c.length === lat.nSites / 4)).toBe(true);
      }),
      { seed: 4, numRuns: 40 },
    );
    expect(() => squareLattice(3, 4).colouring(2)).toThrow(/Lx: expected an even integer >= 2, got 3/);
    expect(() => squareLattice(4, 5).colourClasses(4)).toThrow(PhysmlInputError);
    expect(() => squareLattice(0)).toThrow(/Lx: expected an integer in \[1,/);
    expect(() => squareLattice(4, 2.5)).toThrow(/Ly/);
  });
});

describe("dual lattice", () => {
  it("each dual link crosses its primal link perpendicularly at the same midpoint; the map is a bijection", () => {
    fc.assert(
      fc.property(size, size, (Lx, Ly) => {
        const lat = squareLattice(Lx, Ly);
        const table = dualLinkTable(lat);
        expect(new Set(table).size).toBe(lat.nLinks);
        for (let l = 0; l < lat.nLinks; l++) {
          const d = dualLink(lat, l);
          expect(d & 1).toBe(1 - (l & 1));
          expect(torusClose(linkMidpoint(lat, l), linkMidpoint(lat, d, true), Lx, Ly)).toBe(true);
          expect(primalLink(lat, d)).toBe(l);
          // The dual link joins the two plaquettes that share link l.
          const [p, q] = lat.linkEnds(d);
          const sharing = [];
          for (let r = 0; r < lat.nPlaquettes; r++) if (lat.plaquetteLinks(r).includes(l)) sharing.push(r);
          expect([p, q].sort()).toEqual(sharing.sort());
          const [px, py] = dualSitePosition(lat, p);
          expect(px % 1).toBe(0.5);
          expect(py % 1).toBe(0.5);
        }
      }),
      { seed: 5, numRuns: 40 },
    );
  });

  it("dual of the dual is the original lattice up to the translation by (1, 1)", () => {
    fc.assert(
      fc.property(size, size, (Lx, Ly) => {
        const lat = squareLattice(Lx, Ly);
        for (let l = 0; l < lat.nLinks; l++) {
          const dd = dualLink(lat, dualLink(lat, l));
          expect(lat.translateLink(dd, 1, 1)).toBe(l);
          // Geometrically: dual-dual sites sit at (x + 1, y + 1), i.e. exactly on primal sites.
          const [mx, my] = linkMidpoint(lat, dd);
          expect(torusClose([mx + 1, my + 1], linkMidpoint(lat, l), Lx, Ly)).toBe(true);
        }
      }),
      { seed: 6 },
    );
  });

  it("the 4 sides of a plaquette map to the 4 dual links at its dual site", () => {
    const lat = squareLattice(5, 4);
    for (let p = 0; p < lat.nPlaquettes; p++) {
      const duals = lat.plaquetteLinks(p).map((l) => dualLink(lat, l));
      for (const d of duals) expect(lat.linkEnds(d)).toContain(p);
    }
    const f = Float64Array.from({ length: lat.nLinks }, (_, l) => l);
    const g = toDualLinkField(lat, f);
    for (let l = 0; l < lat.nLinks; l++) expect(g[dualLink(lat, l)]).toBe(l);
  });
});

describe("translations", () => {
  it("compose additively, invert, and move link fields consistently with link variables", () => {
    fc.assert(
      fc.property(
        size,
        size,
        fc.integer(),
        fc.integer({ min: -9, max: 9 }),
        fc.integer({ min: -9, max: 9 }),
        (Lx, Ly, seed, dx, dy) => {
          const lat = squareLattice(Lx, Ly);
          const u = seededUniform(seed);
          const s = Int8Array.from({ length: lat.nSites }, () => (u() < 0.5 ? -1 : 1));
          const t = translateSpins(lat, s, dx, dy);
          expect(translateSpins(lat, t, -dx, -dy)).toEqual(s);
          expect(translateSpins(lat, translateSpins(lat, s, dx, 0), 0, dy)).toEqual(t);
          expect(t[lat.site(dx, dy)]).toBe(s[0]);
          const x = Int8Array.from({ length: lat.nLinks }, (_, l) => {
            const [a, b] = lat.linkEnds(l);
            return s[a] * s[b];
          });
          const xt = Int8Array.from({ length: lat.nLinks }, (_, l) => {
            const [a, b] = lat.linkEnds(l);
            return t[a] * t[b];
          });
          expect(translateLinkField(lat, x, dx, dy)).toEqual(xt);
        },
      ),
      { seed: 8, numRuns: 60 },
    );
    const lat = squareLattice(3);
    expect(() => translateSpins(lat, new Int8Array(8), 1, 0)).toThrow(/spins.length: expected 9/);
    expect(() => translateLinkField(lat, new Float64Array(18), 0.5, 0)).toThrow(/dx: expected an integer/);
  });
});
