// Every candidate slot's label against the geometry of the links its window reads: on a
// non-square torus, the midpoint offset of the candidate from the link (in half spacings), its
// direction, its order (touching the link or not), and the h/v pairing rule, all measured from
// lattice coordinates; and the window's size limits with their messages.
import { type LinkDir, squareLattice } from "@physml/lattice-core";
import { describe, expect, test } from "vitest";
import { type CandidateSlot, candidateSlots, windowTable } from "./window.js";

const lat = squareLattice(7, 6);

/** Doubled midpoint of link l: (2x + 1, 2y) for h, (2x, 2y + 1) for v. */
function mid(l: number): [number, number] {
  const [x, y] = lat.coords(l >> 1);
  return (l & 1) === 0 ? [2 * x + 1, 2 * y] : [2 * x, 2 * y + 1];
}

/** Doubled midpoint offset of c from l, wrapped to the nearest image on the torus. */
function offset(l: number, c: number): [number, number] {
  const wrap = (d: number, L: number) => {
    const m = (((d % (2 * L)) + 3 * L) % (2 * L)) - L;
    return m;
  };
  const [a, b] = mid(l);
  const [p, q] = mid(c);
  return [wrap(p - a, lat.Lx), wrap(q - b, lat.Ly)];
}

const touching = (a: number, b: number) => lat.linkEnds(a).some((s) => lat.linkEnds(b).includes(s));

/** The number a label part stands for: "0", "+1", "-1/2", … (exactly these forms). */
function labelValue(s: string): number {
  expect(s).toMatch(/^(0|[+-][1-9]\d*(\/2)?)$/);
  const [n, d] = s.split("/");
  return Number(n) / (d ? Number(d) : 1);
}

describe.each([1, 2] as const)("order-%i slots", (order) => {
  const slots = candidateSlots(order);
  const K = slots.length;
  const w = windowTable(lat, slots);
  // One h link and one v link away from the seams, and one on each seam.
  const hLinks = [lat.link(3, 2, 0), lat.link(6, 5, 0)];
  const vLinks = [lat.link(3, 2, 1), lat.link(0, 5, 1)];

  test("offset, name, direction, order and diagonal class match the links the window reads", () => {
    slots.forEach((s: CandidateSlot, k) => {
      for (const l of hLinks) {
        const c = w[l * K + k];
        const [mx, my] = offset(l, c);
        expect(s.offset, s.name).toEqual([mx, my]);
        const parallel = (c & 1) === 0;
        if (k === 0) {
          expect(c).toBe(l);
          expect(s.name).toBe("identity");
          expect(s.order).toBe(0);
          continue;
        }
        const m = /^(par|perp)\(([^,]+),([^,]+)\)$/.exec(s.name);
        expect(m, s.name).not.toBeNull();
        expect(m?.[1]).toBe(parallel ? "par" : "perp");
        expect([labelValue(m?.[2] ?? ""), labelValue(m?.[3] ?? "")]).toEqual([mx / 2, my / 2]);
        expect(s.order, s.name).toBe(touching(c, l) ? 1 : 2);
        expect(s.diagonal, s.name).toBe(mx * my > 0 ? "diagonal" : mx * my < 0 ? "anti-diagonal" : "axis");
        expect(s.h.dir).toBe((c & 1) as LinkDir);
      }
    });
  });

  test("a v link reads the h slot's move, or its mirror image through the diagonal, and the kind says which", () => {
    slots.forEach((s, k) => {
      for (const [i, l] of vLinks.entries()) {
        const c = w[l * K + k];
        const [mx, my] = offset(l, c);
        const h = w[hLinks[i] * K + k];
        // parallel to its own link exactly when the h slot is
        expect((c & 1) === 1, s.name).toBe((h & 1) === 0);
        const same = mx === s.offset[0] && my === s.offset[1];
        if (!same) expect([my, mx], s.name).toEqual(s.offset);
        const parallel = (h & 1) === 0;
        expect(s.trivial, s.name).toBe(parallel && same);
        const kind =
          k === 0
            ? "identity"
            : parallel || !same
              ? "parallel-other"
              : s.order === 1
                ? "dual-crossing"
                : "dual-translated";
        expect(s.kind, s.name).toBe(kind);
        expect(s.v.dir).toBe((c & 1) as LinkDir);
      }
    });
  });
});

test("the order-1 labels for an h link, by hand", () => {
  // h link (0,0)→(1,0), midpoint (½, 0): the left and right links, then the up and down links at
  // each end.
  expect(candidateSlots().map((s) => s.name)).toEqual([
    "identity",
    "par(-1,0)",
    "perp(-1/2,+1/2)",
    "perp(-1/2,-1/2)",
    "par(+1,0)",
    "perp(+1/2,+1/2)",
    "perp(+1/2,-1/2)",
  ]);
  expect(candidateSlots().map((s) => s.diagonal)).toEqual([
    "axis",
    "axis",
    "anti-diagonal",
    "diagonal",
    "axis",
    "diagonal",
    "anti-diagonal",
  ]);
});

test("too small a lattice is refused, naming its shorter side and the window", () => {
  expect(() => windowTable(squareLattice(6, 4), candidateSlots(2))).toThrow(
    "L: expected >= 5 for a window with 23 candidate links, got 4",
  );
  expect(() => windowTable(squareLattice(4, 6), candidateSlots(2))).toThrow(/got 4$/);
  expect(() => windowTable(squareLattice(2, 3), candidateSlots(1))).toThrow(
    "L: expected >= 3 for a window with 7 candidate links, got 2",
  );
  expect(() => windowTable(squareLattice(3, 2), candidateSlots(1))).toThrow(/got 2$/);
  expect(() => windowTable(squareLattice(5, 5), candidateSlots(2))).not.toThrow();
  expect(() => windowTable(squareLattice(3, 3), candidateSlots(1))).not.toThrow();
});
