import { squareLattice } from "@physml/lattice-core";
import { describe, expect, test } from "vitest";
import { candidateSlots, windowTable } from "./window.js";

const lat = squareLattice(8);

/** The image of every link under slot k, as a map link → link. */
function slotMap(order: 1 | 2, k: number): Int32Array {
  const slots = candidateSlots(order);
  const w = windowTable(lat, slots);
  return Int32Array.from({ length: lat.nLinks }, (_, l) => w[l * slots.length + k]);
}

/** The 4 links touching site i. */
function star(i: number): number[] {
  const [x, y] = lat.coords(i);
  return [lat.link(x, y, 0), lat.link(x - 1, y, 0), lat.link(x, y, 1), lat.link(x, y - 1, 1)].sort(
    (a, b) => a - b,
  );
}

describe("candidate windows", () => {
  test("7 and 23 distinct candidate links, slot 0 the link itself", () => {
    for (const [order, K] of [
      [1, 7],
      [2, 23],
    ] as const) {
      const slots = candidateSlots(order);
      expect(slots).toHaveLength(K);
      const w = windowTable(lat, slots);
      for (let l = 0; l < lat.nLinks; l++) {
        const row = Array.from(w.subarray(l * K, (l + 1) * K));
        expect(row[0]).toBe(l);
        expect(new Set(row).size).toBe(K);
      }
    }
  });

  test("first-order candidates share an end with the link; second-order ones touch a first-order one", () => {
    const slots = candidateSlots(2);
    const w = windowTable(lat, slots);
    const ends = (l: number) => lat.linkEnds(l);
    for (let l = 0; l < lat.nLinks; l++) {
      const first = slots.flatMap((s, k) => (s.order === 1 ? [w[l * 23 + k]] : []));
      // The partner of a first-order h-slot may be second order for v links, so test by geometry.
      const touching = (a: number, b: number) => ends(a).some((s) => ends(b).includes(s));
      const all = Array.from(w.subarray(l * 23, (l + 1) * 23));
      const direct = all.filter((c) => c !== l && touching(c, l));
      expect(direct).toHaveLength(6);
      for (const c of all) {
        if (c === l || touching(c, l)) continue;
        expect(direct.some((d) => touching(c, d))).toBe(true);
      }
      expect(first.length).toBe(6);
    }
  });

  test("the lead's listing of h(x,y) and v(x,y) candidates", () => {
    const slots = candidateSlots(1);
    const w = windowTable(lat, slots);
    const [x, y] = [3, 4];
    const h = lat.link(x, y, 0);
    const v = lat.link(x, y, 1);
    const hSet = [
      h,
      lat.link(x - 1, y, 0),
      lat.link(x, y, 1),
      lat.link(x, y - 1, 1),
      lat.link(x + 1, y, 0),
      lat.link(x + 1, y, 1),
      lat.link(x + 1, y - 1, 1),
    ];
    const vSet = [
      v,
      lat.link(x, y - 1, 1),
      lat.link(x, y, 0),
      lat.link(x - 1, y, 0),
      lat.link(x, y + 1, 1),
      lat.link(x, y + 1, 0),
      lat.link(x - 1, y + 1, 0),
    ];
    expect(new Set(w.subarray(h * 7, h * 7 + 7))).toEqual(new Set(hSet));
    expect(new Set(w.subarray(v * 7, v * 7 + 7))).toEqual(new Set(vSet));
  });

  test("every perpendicular slot is a Kramers–Wannier map: plaquette boundaries go to stars", () => {
    for (const order of [1, 2] as const) {
      const slots = candidateSlots(order);
      slots.forEach((s, k) => {
        const m = slotMap(order, k);
        const isBijection = new Set(m).size === lat.nLinks;
        let allStars = isBijection;
        for (let p = 0; p < lat.nSites && allStars; p++) {
          const img = lat
            .plaquetteLinks(p)
            .map((l) => m[l])
            .sort((a, b) => a - b);
          allStars =
            lat.nSites > 0 &&
            Array.from({ length: lat.nSites }, (_, i) => star(i)).some((st) =>
              st.every((v, j) => v === img[j]),
            );
        }
        expect(allStars, `${s.name}`).toBe(s.kind === "dual-crossing" || s.kind === "dual-translated");
      });
    }
  });

  test("trivial slots are pure translations of the identity, and only they", () => {
    for (const order of [1, 2] as const) {
      candidateSlots(order).forEach((s, k) => {
        const m = slotMap(order, k);
        const [dx, dy] = [((m[0] >> 1) % 8) - 0, Math.floor((m[0] >> 1) / 8)];
        const translation =
          (m[0] & 1) === 0 && Array.from(m).every((img, l) => img === lat.translateLink(l, dx, dy));
        expect(translation, s.name).toBe(s.trivial);
      });
    }
  });

  test("counts by kind", () => {
    const count = (order: 1 | 2, kind: string) => candidateSlots(order).filter((s) => s.kind === kind).length;
    expect([count(1, "identity"), count(1, "dual-crossing"), count(1, "parallel-other")]).toEqual([1, 4, 2]);
    expect([
      count(2, "dual-crossing"),
      count(2, "dual-translated"),
      candidateSlots(2).filter((s) => s.trivial).length,
    ]).toEqual([4, 8, 9]);
  });

  test("windows need L ≥ 3 (order 1) and L ≥ 5 (order 2)", () => {
    expect(() => windowTable(squareLattice(4), candidateSlots(2))).toThrow(/L: expected >= 5/);
    expect(() => windowTable(squareLattice(4), candidateSlots(1))).not.toThrow();
  });
});
