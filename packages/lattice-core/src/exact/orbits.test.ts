// Translation orbits of spin monomials: the number of distinct orbits against Burnside's lemma,
// and the incrementally updated orbit sums against the sum over all N translations written out
// from (x, y) coordinates after every flip of a seeded random walk.
import { describe, expect, it } from "vitest";
import { type SquareLattice, squareLattice } from "../lattice/square.js";
import { defineModel } from "../model/define.js";
import { modelTables } from "../model/derive.js";
import { isingTermSums } from "../model/ising.js";
import { standardSquareModel } from "../model/standard.js";
import { STANDARD_SHAPES } from "../observables/shapes.js";
import { couplings } from "../operator/couplings.js";
import { seededUniform } from "../testing/index.js";
import { modelOrbits, OrbitWalker, parityReduce, shapeMonomial } from "./orbits.js";

/** A walker whose `add(base)` registers the orbit of the sites `base` anchored at site 0. */
function squareWalker(lat: SquareLattice) {
  const w = new OrbitWalker(lat.nSites);
  const add = (base: readonly number[]) =>
    w.addOrbit(
      Array.from({ length: lat.nSites }, (_, a) => {
        const [dx, dy] = lat.coords(a);
        return base.map((s) => lat.translateSite(s, dx, dy));
      }),
    );
  return { w, add };
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

function binomial(n: number, k: number): number {
  let c = 1;
  for (let j = 0; j < k; j++) c = (c * (n - j)) / (j + 1);
  return c;
}

/**
 * Burnside: the number of translation orbits of k-subsets of the Lx × Ly torus is the mean over
 * the N translations g of the k-subsets g fixes. A translation of order d splits the sites into
 * N/d cycles, and fixes exactly the subsets made of whole cycles: C(N/d, k/d) when d divides k.
 */
function burnsideCount(Lx: number, Ly: number, k: number): number {
  const N = Lx * Ly;
  let total = 0;
  for (let dx = 0; dx < Lx; dx++) {
    for (let dy = 0; dy < Ly; dy++) {
      const ox = Lx / gcd(dx, Lx);
      const oy = Ly / gcd(dy, Ly);
      const d = (ox * oy) / gcd(ox, oy);
      if (k % d === 0) total += binomial(N / d, k / d);
    }
  }
  return total / N;
}

/** All k-subsets of {0, …, n−1} that contain 0, in increasing order. */
function subsetsWithZero(n: number, k: number): number[][] {
  const out: number[][] = [];
  const rec = (start: number, acc: number[]) => {
    if (acc.length === k) {
      out.push([...acc]);
      return;
    }
    for (let s = start; s < n; s++) rec(s + 1, [...acc, s]);
  };
  rec(1, [0]);
  return out;
}

describe("translation orbits", () => {
  it("count as many distinct orbits of k-site monomials as Burnside's lemma gives", () => {
    for (const [Lx, Ly] of [
      [3, 3],
      [2, 4],
      [4, 4],
      [3, 4],
      [1, 6],
    ]) {
      const lat = squareLattice(Lx, Ly);
      const N = Lx * Ly;
      for (let k = 1; k <= Math.min(4, N); k++) {
        const { w, add } = squareWalker(lat);
        // Every orbit has a member containing site 0, so these subsets reach all orbits.
        const ids = new Set(subsetsWithZero(N, k).map((s) => add(s)));
        expect(ids.size).toBe(burnsideCount(Lx, Ly, k));
        // Indices are handed out in order 0, 1, …, and each orbit keeps its degree k.
        expect([...ids].sort((a, b) => a - b)).toEqual([...Array(ids.size).keys()]);
        for (const o of ids) expect(w.degree(o)).toBe(k);
      }
    }
  });

  it("keep monomials of different degree apart (5×5: {0, 12} and {0, 1, 2} must not share a key)", () => {
    const lat = squareLattice(5, 5);
    const { add } = squareWalker(lat);
    const ids = new Set([...subsetsWithZero(25, 2), ...subsetsWithZero(25, 3)].map((s) => add(s)));
    expect(ids.size).toBe(burnsideCount(5, 5, 2) + burnsideCount(5, 5, 3));
    expect(add([0, 12])).not.toBe(add([0, 1, 2]));
  });

  it("identify a monomial with its translates and reduce repeated sites mod 2", () => {
    const lat = squareLattice(4, 3);
    const { w, add } = squareWalker(lat);
    const a = add([0, lat.site(1, 0)]);
    expect(add([lat.site(2, 1), lat.site(3, 1)])).toBe(a);
    expect(add([lat.site(3, 2), lat.site(0, 2)])).toBe(a); // wraps in x
    expect(add([lat.site(1, 0), 0, 5, 5])).toBe(a); // 5 occurs twice: dropped
    const b = add([0, lat.site(0, 1)]);
    expect(b).not.toBe(a);
    expect(add([0, 0])).toBe(add([])); // the empty monomial, degree 0
    expect(w.degree(add([]))).toBe(0);
    expect(parityReduce([4, 1, 4, 4, 2, 1])).toEqual([2, 4]);
    expect(parityReduce([10, 3, 7])).toEqual([3, 7, 10]);
    // U_open_top = left·bottom·right reduces to the top link's two sites.
    const u = STANDARD_SHAPES.find((s) => s.name === "U_open_top");
    if (!u) throw new Error("U_open_top missing");
    expect(shapeMonomial(lat, u)).toEqual([lat.site(0, 1), lat.site(1, 1)]);
    const plaq = STANDARD_SHAPES.find((s) => s.name === "plaquette");
    if (!plaq) throw new Error("plaquette missing");
    expect(shapeMonomial(lat, plaq)).toEqual([]);
  });

  it("keep every orbit sum equal to the sum of the monomial over all translations after each flip", () => {
    for (const [Lx, Ly] of [
      [3, 3],
      [4, 3],
      [2, 5],
    ]) {
      const lat = squareLattice(Lx, Ly);
      const N = Lx * Ly;
      // The standard terms' orbits, and these monomials anchored at (0, 0) as observed shapes.
      const bases = [[0, lat.site(2, 1)], [0, lat.site(1, 0), lat.site(1, 1)], [0], [], [0, 1, 2, 3]];
      const tb = modelTables(standardSquareModel(Lx, Ly, couplings({ nn: 0.1 })));
      const {
        walker: w,
        termOrbits,
        observableOrbits: extra,
      } = modelOrbits(
        tb,
        bases.map((b) => b.map((s) => lat.coords(s))),
      );
      w.build();
      const [[th, tv], [tp], [td0, td1], [ts]] = termOrbits;
      const t = { h: th, v: tv, plaquette: tp, d0: td0, d1: td1, site: ts };
      const direct = (base: number[]): number => {
        let sum = 0;
        for (let y = 0; y < Ly; y++) {
          for (let x = 0; x < Lx; x++) {
            let p = 1;
            for (const s of parityReduce(base)) {
              const [sx, sy] = lat.coords(s);
              p *= w.spins[lat.site(sx + x, sy + y)];
            }
            sum += p;
          }
        }
        return sum;
      };
      const u = seededUniform(17 + N);
      for (let step = 0; step <= 60; step++) {
        if (step > 0) w.flip(Math.floor(u() * N));
        const s = (x: number, y: number) => w.spins[lat.site(x, y)];
        let h = 0;
        let v = 0;
        let plaq = 0;
        let d0 = 0;
        let d1 = 0;
        let m = 0;
        for (let y = 0; y < Ly; y++) {
          for (let x = 0; x < Lx; x++) {
            h += s(x, y) * s(x + 1, y);
            v += s(x, y) * s(x, y + 1);
            plaq += s(x, y) * s(x + 1, y) * s(x + 1, y + 1) * s(x, y + 1);
            d0 += s(x, y) * s(x + 1, y + 1);
            d1 += s(x, y) * s(x + 1, y - 1);
            m += s(x, y);
          }
        }
        // On a 2-wide torus the two diagonals coincide: one orbit, counted once.
        expect([w.sums[t.h], w.sums[t.v], w.sums[t.plaquette], w.sums[t.site]]).toEqual([h, v, plaq, m]);
        if (t.d0 !== t.d1) expect([w.sums[t.d0], w.sums[t.d1]]).toEqual([d0, d1]);
        else expect(w.sums[t.d0]).toBe(d0);
        bases.forEach((b, j) => {
          expect(w.sums[extra[j]]).toBe(direct(b));
        });
      }
    }
  });

  it("build() resets the spins to +1 and every sum to N", () => {
    const lat = squareLattice(3, 2);
    const { w, add } = squareWalker(lat);
    const o = add([0, 1]);
    w.build();
    w.flip(2);
    w.flip(4);
    expect(w.sums[o]).not.toBe(6);
    w.build();
    expect([...w.spins]).toEqual([1, 1, 1, 1, 1, 1]);
    expect(w.sums[o]).toBe(6);
  });

  it("on a twisted torus carry each translate's sign: term sums equal isingTermSums after each flip", () => {
    const model = defineModel({
      spin: "ising",
      lattice: { square: [3, 4], twist: [true, true] },
      terms: [
        {
          name: "nn",
          coupling: 0.3,
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
        },
        {
          name: "far",
          coupling: 0.1,
          sites: [
            [0, 0],
            [2, 3],
          ],
        },
        {
          name: "four",
          coupling: 0.1,
          sites: [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 1],
          ],
        },
      ],
    });
    const { walker: w, termOrbits } = modelOrbits(modelTables(model));
    w.build();
    // A degree-0 orbit keeps the sum of its signs: s_x s_{x+(3,0)} = −1 on every translate.
    const { walker: wrap, observableOrbits } = modelOrbits(modelTables(model), [
      [
        [0, 0],
        [3, 0],
      ],
    ]);
    wrap.build();
    expect(wrap.degree(observableOrbits[0])).toBe(0);
    expect(wrap.sums[observableOrbits[0]]).toBe(-12);
    const u = seededUniform(5);
    for (let step = 0; step <= 40; step++) {
      if (step > 0) w.flip(Math.floor(u() * 12));
      const sums = termOrbits.map((os) => os.reduce((a, o) => a + w.sums[o], 0));
      expect(sums).toEqual([...isingTermSums(model, w.spins)]);
    }
  });
});
