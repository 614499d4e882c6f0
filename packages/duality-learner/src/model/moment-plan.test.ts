// Shared slot moments against the per-slot computation: bit for bit on ±1 link variables (every
// sum is an exact integer), to rounding on real-valued fields; and the sharing the plan claims —
// the Kramers–Wannier slots read the extended shape set's own images.
import { squareLattice } from "@physml/lattice-core";
import { seededUniform } from "@physml/lattice-core/testing";
import { describe, expect, test } from "vitest";
import { sharedSlotMoments, slotMomentPlan } from "./moment-plan.js";
import { momentLayout, slotMoments } from "./moments.js";
import { EXTENDED_SHAPES, resolveShapes } from "./shapes.js";
import { candidateSlots, windowTable } from "./window.js";

const cases = [
  { L: [16, 16], order: 1 as const, shapes: "extended" as const },
  { L: [6, 5], order: 1 as const, shapes: "extended" as const },
  { L: [7, 6], order: 2 as const, shapes: "extended" as const },
  { L: [8, 8], order: 2 as const, shapes: "standard" as const },
];

describe("sharedSlotMoments", () => {
  test.each(cases)("equals slotMoments bit for bit on ±1 links: $L, window $order, $shapes", (c) => {
    const lat = squareLattice(c.L[0], c.L[1]);
    const slots = candidateSlots(c.order);
    const K = slots.length;
    const win = windowTable(lat, slots);
    const layout = momentLayout(lat, resolveShapes(c.shapes));
    const plan = slotMomentPlan(lat, layout, slots, win);
    const S = 5;
    const r = seededUniform(11);
    const x = Float64Array.from({ length: S * lat.nLinks }, () => (r() < 0.7 ? 1 : -1));
    const cache: (Float64Array | null)[] = [];
    // every slot from one cache, in an order that reuses images across slots
    for (const k of [...slots.keys()].reverse()) {
      const want = slotMoments(lat, layout, x, S, win, K, k);
      const got = sharedSlotMoments(plan, x, S, k, cache);
      expect(got.length).toBe(want.length);
      let differ = 0;
      for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) differ++;
      expect(differ, `slot ${slots[k].name}`).toBe(0);
    }
  });

  test("real-valued fields: equal to rounding (the sums run in another order)", () => {
    const lat = squareLattice(6, 5);
    const slots = candidateSlots(1);
    const K = slots.length;
    const win = windowTable(lat, slots);
    const layout = momentLayout(lat, EXTENDED_SHAPES);
    const plan = slotMomentPlan(lat, layout, slots, win);
    const S = 3;
    const r = seededUniform(3);
    const x = Float64Array.from({ length: S * lat.nLinks }, () => 2 * r() - 1);
    const cache: (Float64Array | null)[] = [];
    for (let k = 0; k < K; k++) {
      const want = slotMoments(lat, layout, x, S, win, K, k);
      const got = sharedSlotMoments(plan, x, S, k, cache);
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-14);
    }
  });

  test("the identity and the Kramers–Wannier slots read the extended set's own 20 images", () => {
    const lat = squareLattice(16);
    const slots = candidateSlots(1);
    const K = slots.length;
    const layout = momentLayout(lat, EXTENDED_SHAPES);
    const plan = slotMomentPlan(lat, layout, slots, windowTable(lat, slots));
    const A = EXTENDED_SHAPES.length;
    const kw = slots.flatMap((s, k) => (s.kind === "identity" || s.kind === "dual-crossing" ? [k] : []));
    expect(kw).toHaveLength(5);
    const identity = new Set(Array.from(plan.imageOf.subarray(0, A)));
    expect(identity.size).toBe(A);
    for (const k of kw) {
      const seen = new Set(Array.from(plan.imageOf.subarray(k * A, (k + 1) * A)));
      // a permutation of the identity's images: the extended set is closed under the duality
      expect(
        [...seen].every((id) => identity.has(id)),
        slots[k].name,
      ).toBe(true);
      expect(seen.size).toBe(A);
    }
    // the two parallel slots are not dualities: they read images of their own
    expect(plan.images.length).toBeGreaterThan(A);
    expect(plan.images.length).toBeLessThan(K * A);
  });

  test("a slot whose images are cached computes nothing new", () => {
    const lat = squareLattice(8);
    const slots = candidateSlots(1);
    const layout = momentLayout(lat, EXTENDED_SHAPES);
    const plan = slotMomentPlan(lat, layout, slots, windowTable(lat, slots));
    const x = new Float64Array(2 * lat.nLinks).fill(1);
    const cache: (Float64Array | null)[] = [];
    sharedSlotMoments(plan, x, 2, 0, cache);
    const before = cache.map((c) => c);
    const perp = slots.findIndex((s) => s.kind === "dual-crossing");
    sharedSlotMoments(plan, x, 2, perp, cache);
    expect(cache.length).toBe(before.length);
    cache.forEach((c, i) => {
      expect(c).toBe(before[i]);
    });
  });
});
