// The moment polynomials against brute force: elementary symmetric sums of every shape size
// (1 to 6 links: the unrolled sizes and the general recursion) enumerated subset by subset on a
// real-valued field, the head's features against direct evaluation, the Jacobian against finite
// differences at the edges θ2 = 0 and θ3 = 0, and the head solver from each of its start modes.
import { linkShape, squareLattice } from "@physml/lattice-core";
import { seededUniform } from "@physml/lattice-core/testing";
import { describe, expect, test } from "vitest";
import { featuresBatch, shapeTables } from "./features.js";
import {
  featuresFromMoments,
  headJacobian,
  headLoss,
  meanMoments,
  momentLayout,
  profileJacobian,
  slotMoments,
  solveHead,
} from "./moments.js";
import { EXTENDED_SHAPES } from "./shapes.js";
import { candidateSlots, windowTable } from "./window.js";

const lat = squareLattice(5, 4);
const N = lat.nSites;
const nl = lat.nLinks;
const slots = candidateSlots(1);
const K = slots.length;
const win = windowTable(lat, slots);

const byName = (n: string) => EXTENDED_SHAPES.find((s) => s.name === n) ?? EXTENDED_SHAPES[0];
// One shape of each size 1…6; the 5- and 6-link shapes take the general recursion.
const five = linkShape("star_plus", [...byName("star").links, { dx: 1, dy: 0, dir: 0 }]);
const six = linkShape("star_plus2", [...five.links, { dx: 0, dy: 1, dir: 1 }]);
const shapes = [byName("h"), byName("L_bottom_left"), byName("U_open_top"), byName("plaquette"), five, six];
const layout = momentLayout(lat, shapes);
const A = shapes.length;

const r = seededUniform(5);
const S = 3;
// Real-valued link fields: every product of distinct links differs.
const x = Float64Array.from({ length: S * nl }, () => 2 * r() - 1);

/** e_m of `vals`, by enumerating its subsets. */
function elementary(vals: number[], m: number): number {
  let e = 0;
  for (let mask = 0; mask < 1 << vals.length; mask++) {
    let bits = 0;
    let p = 1;
    for (let j = 0; j < vals.length; j++) {
      if ((mask >> j) & 1) {
        bits++;
        p *= vals[j];
      }
    }
    if (bits === m) e += p;
  }
  return e;
}

/** The field the slot reads, `[S][2N]` (slot −1: x itself). */
function slotField(slot: number): Float64Array {
  const y = new Float64Array(S * nl);
  for (let b = 0; b < S; b++)
    for (let l = 0; l < nl; l++) y[b * nl + l] = x[b * nl + (slot < 0 ? l : win[l * K + slot])];
  return y;
}

describe("slotMoments", () => {
  test("the layout puts k + 1 coefficients per shape, one after the other", () => {
    expect(Array.from(layout.sizes)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(layout.offsets)).toEqual([0, 2, 5, 9, 14, 20]);
    expect(layout.width).toBe(27);
    expect(layout.tables).toHaveLength(A);
  });

  test.each([-1, 0, 4])("slot %i: every e_{a,m} is the translation mean of the subset sum", (slot) => {
    const mom = slotMoments(lat, layout, x, S, win, K, slot);
    expect(mom).toHaveLength(S * layout.width);
    const y = slotField(slot);
    for (let b = 0; b < S; b++) {
      shapes.forEach((s, a) => {
        const k = s.links.length;
        const e = new Float64Array(k + 1);
        for (let yy = 0; yy < lat.Ly; yy++) {
          for (let xx = 0; xx < lat.Lx; xx++) {
            const vals = s.links.map((o) => y[b * nl + lat.link(xx + o.dx, yy + o.dy, o.dir)]);
            for (let m = 0; m <= k; m++) e[m] += elementary(vals, m) / N;
          }
        }
        for (let m = 0; m <= k; m++) {
          expect(mom[b * layout.width + layout.offsets[a] + m], `${s.name} e_${m}`).toBeCloseTo(e[m], 13);
        }
      });
    }
  });

  test("features of the head O = θ2·y + θ3 from the moments equal direct evaluation", () => {
    const tables = shapeTables(lat, shapes);
    for (const slot of [-1, 2]) {
      const mom = slotMoments(lat, layout, x, S, win, K, slot);
      const y = slotField(slot);
      for (const [t2, t3] of [
        [-0.8, 1.3],
        [1.7, 0.4],
      ]) {
        const direct = featuresBatch(
          lat,
          tables,
          y.map((v) => t2 * v + t3),
          S,
        );
        const got = featuresFromMoments(layout, mom, S, t2, t3);
        for (let i = 0; i < direct.length; i++) expect(got[i]).toBeCloseTo(direct[i], 12);
      }
    }
  });

  test("meanMoments averages the rows [lo, hi)", () => {
    const mom = slotMoments(lat, layout, x, S, win, K, 1);
    const M = layout.width;
    const m = meanMoments(mom, M, 1, 3);
    for (let q = 0; q < M; q++) expect(m[q]).toBeCloseTo((mom[M + q] + mom[2 * M + q]) / 2, 15);
  });
});

describe("head loss, Jacobian and solver", () => {
  const mom = slotMoments(lat, layout, x, S, win, K, 3);
  const mean = meanMoments(mom, layout.width, 0, S);
  const psiAt = (t2: number, t3: number) => featuresFromMoments(layout, mean, 1, t2, t3);
  const target = Array.from({ length: A }, (_, a) => 0.3 - 0.05 * a);

  test("headLoss is Σ_a (ψ_a − T_a)² for every shape size", () => {
    for (const [t2, t3] of [
      [-0.8, 1.3],
      [0.5, -0.2],
    ]) {
      const psi = psiAt(t2, t3);
      let want = 0;
      for (let a = 0; a < A; a++) want += (psi[a] - target[a]) ** 2;
      expect(headLoss(layout, mean, target, t2, t3)).toBeCloseTo(want, 13);
    }
  });

  test.each([
    [-0.8, 1.3],
    [0, 0.7],
    [0.6, 0],
  ])("the Jacobian at (θ2, θ3) = (%s, %s) matches central differences", (t2, t3) => {
    const J = headJacobian(layout, mean, t2, t3);
    const h = 1e-6;
    for (let a = 0; a < A; a++) {
      const d2 = (psiAt(t2 + h, t3)[a] - psiAt(t2 - h, t3)[a]) / (2 * h);
      const d3 = (psiAt(t2, t3 + h)[a] - psiAt(t2, t3 - h)[a]) / (2 * h);
      expect(J[2 * a], `${shapes[a].name} ∂θ2`).toBeCloseTo(d2, 7);
      expect(J[2 * a + 1], `${shapes[a].name} ∂θ3`).toBeCloseTo(d3, 7);
    }
  });

  test("from the planted head as the previous one, the solver returns it unchanged", () => {
    const planted = psiAt(-0.53, 1.13);
    for (const global of [true, false]) {
      const sol = solveHead(layout, mean, planted, [-0.53, 1.13], global);
      expect(Math.abs(sol.theta2 + 0.53)).toBeLessThan(1e-12);
      expect(Math.abs(sol.theta3 - 1.13)).toBeLessThan(1e-12);
      expect(sol.loss).toBeLessThan(1e-24);
    }
  });

  test("without a previous head or the grid, the local search from (0, 1) finds a nearby head", () => {
    const planted = psiAt(0.04, 0.97);
    const sol = solveHead(layout, mean, planted, null, false);
    expect(sol.loss).toBeLessThan(1e-12);
    expect(sol.theta2).toBeCloseTo(0.04, 3);
    expect(sol.theta3).toBeCloseTo(0.97, 3);
  });

  test("without one-link shapes (no ȳ, no pinned offset) the global search still recovers the head", () => {
    const noSingles = momentLayout(lat, shapes.slice(1));
    const m2 = meanMoments(slotMoments(lat, noSingles, x, S, win, K, 3), noSingles.width, 0, S);
    const planted = featuresFromMoments(noSingles, m2, 1, 0.9, 0.35);
    const sol = solveHead(noSingles, m2, planted, null);
    expect(sol.loss).toBeLessThan(1e-12);
    const again = featuresFromMoments(noSingles, m2, 1, sol.theta2, sol.theta3);
    for (let a = 0; a < noSingles.shapes.length; a++) expect(again[a]).toBeCloseTo(planted[a], 6);
  });
});

test("global = false skips the θ2 grid: a head at θ2 = −2 is found by the grid, not by the local search", () => {
  // A ±1 field (as sampled link variables are) and the extended shapes: from (θ2, u) = (0, 1) the
  // pattern search stops in a local minimum far above zero.
  const ext = momentLayout(lat, EXTENDED_SHAPES);
  const rr = seededUniform(5);
  const pm = Float64Array.from({ length: S * nl }, () => (rr() < 0.7 ? 1 : -1));
  const m = meanMoments(slotMoments(lat, ext, pm, S, win, K, 3), ext.width, 0, S);
  const planted = featuresFromMoments(ext, m, 1, -2, 0.5);
  const global = solveHead(ext, m, planted, null, true);
  expect(global.loss).toBeLessThan(1e-12);
  expect(global.theta2).toBeCloseTo(-2, 6);
  expect(global.theta3).toBeCloseTo(0.5, 6);
  const local = solveHead(ext, m, planted, null, false);
  expect(local.loss).toBeGreaterThan(1e-3);
  expect(local.theta2).toBeGreaterThan(-1);
});

test("with no head directions (J_θ = 0) the profile Jacobian is J_t itself", () => {
  const jt = Float64Array.from({ length: 6 }, (_, i) => 0.1 * i - 0.2);
  const perp = profileJacobian(jt, new Float64Array(6), 2);
  expect(Array.from(perp)).toEqual(Array.from(jt));
});
