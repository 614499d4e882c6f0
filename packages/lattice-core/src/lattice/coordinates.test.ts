// Every table of the square lattice checked entry by entry against (x, y) coordinates on
// rectangular tori (Lx ≠ Ly, so a swapped Lx/Ly or x/y shows), including the L = 1, 2 corner cases.
import { describe, expect, it } from "vitest";
import { PhysmlInputError } from "../errors.js";
import {
  dualLink,
  dualLinkTable,
  dualSitePosition,
  linkMidpoint,
  primalLink,
  toDualLinkField,
} from "./dual.js";
import { MAX_LATTICE_SIDE, SquareLattice, squareLattice } from "./square.js";
import { translateLinkField, translateSpins } from "./translate.js";

const mod = (a: number, L: number) => ((a % L) + L) % L;
const shapes: [number, number][] = [
  [1, 1],
  [1, 3],
  [2, 1],
  [2, 2],
  [3, 5],
  [6, 4],
  [7, 2],
];

describe("square lattice tables against coordinates", () => {
  for (const [Lx, Ly] of shapes) {
    it(`${Lx} × ${Ly}: sites, neighbours, links, plaquettes, nnn bonds, translations`, () => {
      const lat = squareLattice(Lx, Ly);
      const at = (x: number, y: number) => mod(y, Ly) * Lx + mod(x, Lx);
      expect([lat.Lx, lat.Ly, lat.nSites, lat.nLinks, lat.nPlaquettes]).toEqual([
        Lx,
        Ly,
        Lx * Ly,
        2 * Lx * Ly,
        Lx * Ly,
      ]);
      expect(lat.linkSites.length).toBe(4 * Lx * Ly);
      expect(lat.neighbours.length).toBe(4 * Lx * Ly);
      expect(lat.plaquetteSiteTable.length).toBe(4 * Lx * Ly);
      expect(lat.nnnSiteTable.length).toBe(4 * Lx * Ly);
      expect(lat.plaquetteSiteTable).toBe(lat.plaquetteSiteTable); // cached
      expect(lat.nnnSiteTable).toBe(lat.nnnSiteTable);
      for (let y = 0; y < Ly; y++) {
        for (let x = 0; x < Lx; x++) {
          const i = y * Lx + x;
          expect(lat.site(x, y)).toBe(i);
          expect(lat.site(x - 3 * Lx, y + 2 * Ly)).toBe(i);
          expect(lat.coords(i)).toEqual([x, y]);
          expect(Array.from(lat.neighbours.subarray(4 * i, 4 * i + 4))).toEqual([
            at(x + 1, y),
            at(x, y + 1),
            at(x - 1, y),
            at(x, y - 1),
          ]);
          expect(lat.link(x, y, 0)).toBe(2 * i);
          expect(lat.link(x + Lx, y - Ly, 1)).toBe(2 * i + 1);
          expect(lat.linkEnds(2 * i)).toEqual([i, at(x + 1, y)]);
          expect(lat.linkEnds(2 * i + 1)).toEqual([i, at(x, y + 1)]);
          const corners = [i, at(x + 1, y), at(x + 1, y + 1), at(x, y + 1)];
          expect(lat.plaquetteSites(i)).toEqual(corners);
          expect(Array.from(lat.plaquetteSiteTable.subarray(4 * i, 4 * i + 4))).toEqual(corners);
          expect(lat.plaquetteLinks(i)).toEqual([2 * i, 2 * at(x + 1, y) + 1, 2 * at(x, y + 1), 2 * i + 1]);
          expect(lat.nnnBondSites(2 * i)).toEqual([i, at(x + 1, y + 1)]);
          expect(lat.nnnBondSites(2 * i + 1)).toEqual([i, at(x + 1, y - 1)]);
          expect(Array.from(lat.nnnSiteTable.subarray(4 * i, 4 * i + 4))).toEqual([
            i,
            at(x + 1, y + 1),
            i,
            at(x + 1, y - 1),
          ]);
          expect(lat.translateSite(i, 2, -1)).toBe(at(x + 2, y - 1));
          expect(lat.translateLink(2 * i + 1, -1, 3)).toBe(2 * at(x - 1, y + 3) + 1);
          expect(lat.translateLink(2 * i, 0, 1)).toBe(2 * at(x, y + 1));
          // Dual: h(x, y) is crossed by v*(x, y − 1), v(x, y) by h*(x − 1, y); midpoints coincide.
          expect(dualLink(lat, 2 * i)).toBe(2 * at(x, y - 1) + 1);
          expect(dualLink(lat, 2 * i + 1)).toBe(2 * at(x - 1, y));
          expect(primalLink(lat, 2 * i + 1)).toBe(2 * at(x, y + 1));
          expect(primalLink(lat, 2 * i)).toBe(2 * at(x + 1, y) + 1);
          expect(dualSitePosition(lat, i)).toEqual([x + 0.5, y + 0.5]);
          expect(linkMidpoint(lat, 2 * i)).toEqual([x + 0.5, y]);
          expect(linkMidpoint(lat, 2 * i + 1)).toEqual([x, y + 0.5]);
          expect(linkMidpoint(lat, 2 * i, true)).toEqual([x + 1, y + 0.5]);
          expect(linkMidpoint(lat, 2 * i + 1, true)).toEqual([x + 0.5, y + 1]);
        }
      }
      expect(Array.from(dualLinkTable(lat))).toEqual(
        Array.from({ length: lat.nLinks }, (_, l) => dualLink(lat, l)),
      );
      const f = Float64Array.from({ length: lat.nLinks }, (_, l) => l + 0.25);
      const g = toDualLinkField(lat, f);
      expect(g.length).toBe(lat.nLinks);
      for (let l = 0; l < lat.nLinks; l++) expect(g[l]).toBe(f[primalLink(lat, l)]);
    });
  }

  it("translated fields keep their type and move by (+dx, +dy)", () => {
    const lat = squareLattice(3, 2);
    const s = Float64Array.from({ length: 6 }, (_, i) => i);
    const t = translateSpins(lat, s, 1, 1);
    expect(t).toBeInstanceOf(Float64Array);
    // Site (x, y) of t holds what (x − 1, y − 1) held.
    expect(Array.from(t)).toEqual([5, 3, 4, 2, 0, 1]);
    const l = Int8Array.from({ length: 12 }, (_, k) => k);
    const u = translateLinkField(lat, l, -1, 0);
    expect(u).toBeInstanceOf(Int8Array);
    expect(Array.from(u)).toEqual([2, 3, 4, 5, 0, 1, 8, 9, 10, 11, 6, 7]);
    expect(() => translateSpins(lat, new Int8Array(6), 0, 1.5)).toThrow(/^dy: expected an integer/);
    expect(() => translateSpins(lat, new Int8Array(6), Number.NaN, 0)).toThrow(/^dx: expected an integer/);
    expect(() => translateLinkField(lat, new Int8Array(11), 0, 0)).toThrow(
      /^linkField.length: expected 12 \(= 2·Lx·Ly\), got 11$/,
    );
    expect(() => translateLinkField(lat, new Int8Array(12), 0, 0.5)).toThrow(/^dy: expected an integer/);
    expect(() => translateSpins(lat, new Int8Array(5), 0, 0)).toThrow(
      /^spins.length: expected 6 \(= Lx·Ly\), got 5$/,
    );
    expect(translateSpins(lat, s, -Number.MAX_SAFE_INTEGER + 1, 0)).toHaveLength(6);
  });
});

describe("colourings and size limits", () => {
  it("colour values and classes on a 4 × 6 torus, from coordinates", () => {
    const lat = squareLattice(4, 6);
    const c2 = lat.colouring(2);
    const c4 = lat.colouring(4);
    for (let i = 0; i < lat.nSites; i++) {
      const [x, y] = [i % 4, Math.floor(i / 4)];
      expect(c2[i]).toBe((x + y) % 2);
      expect(c4[i]).toBe((x % 2) + 2 * (y % 2));
    }
    const classes = lat.colourClasses(2);
    expect(classes.length).toBe(2);
    for (const [k, cls] of classes.entries()) {
      expect(cls).toBeInstanceOf(Int32Array);
      expect(Array.from(cls)).toEqual(Array.from({ length: 24 }, (_, i) => i).filter((i) => c2[i] === k));
    }
    expect(Array.from(lat.colourClasses(4)[3])).toEqual([5, 7, 13, 15, 21, 23]);
    expect(() => lat.colouring(3 as 2)).toThrow(/^colours: expected 2 or 4, got 3$/);
    expect(() => squareLattice(4, 3).colouring(4)).toThrow(/^Ly: expected an even integer >= 2, got 3$/);
  });

  it("sides from 1 to 2^15 are accepted, others named in the error", () => {
    expect(MAX_LATTICE_SIDE).toBe(32768);
    expect(squareLattice(1).nSites).toBe(1);
    expect(new SquareLattice(MAX_LATTICE_SIDE, 1).nSites).toBe(MAX_LATTICE_SIDE);
    expect(squareLattice(3).Ly).toBe(3);
    expect(new SquareLattice(5).Ly).toBe(5);
    expect(() => squareLattice(MAX_LATTICE_SIDE + 1, 1)).toThrow(
      /^Lx: expected an integer in \[1, 32768\], got 32769$/,
    );
    expect(() => squareLattice(1, MAX_LATTICE_SIDE + 1)).toThrow(/^Ly: expected an integer in \[1, 32768\]/);
    expect(() => squareLattice(2, 0)).toThrow(PhysmlInputError);
  });
});
