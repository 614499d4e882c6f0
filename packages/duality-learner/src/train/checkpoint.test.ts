// A checkpoint written as JSON and read back: the groups come back equal (the memory's moments
// recomputed from the stored link variables), and every malformed field is refused by name.
import { squareLattice } from "@physml/lattice-core";
import { describe, expect, test } from "vitest";
import { ofRule } from "../../test/steps-fixture.js";
import { learnedTermIndices, resolveConfig } from "../config.js";
import { sharedSlotMoments, slotMomentPlan } from "../model/moment-plan.js";
import { momentLayout, slotMoments } from "../model/moments.js";
import { FeatureGeometry } from "../model/observable.js";
import { EXTENDED_SHAPES } from "../model/shapes.js";
import { candidateSlots, windowTable } from "../model/window.js";
import { parseCheckpoint } from "./checkpoint.js";
import { saveGroup } from "./group-checkpoint.js";
import { initGroup } from "./group-state.js";
import type { StepContext } from "./step-context.js";

const config = resolveConfig({ beta: 0.3, L: 6, seed: 4, candidate: { chains: 2 }, explore: { starts: [] } });
const lattice = squareLattice(6);
const slots = candidateSlots(1);
const window = windowTable(lattice, slots);
const ctx: StepContext = {
  config,
  lattice,
  slots,
  window,
  geometry: new FeatureGeometry(lattice, slots, window, EXTENDED_SHAPES),
  layout: momentLayout(lattice, EXTENDED_SHAPES),
  momentPlan: slotMomentPlan(lattice, momentLayout(lattice, EXTENDED_SHAPES), slots, window),
  target: new Float64Array(EXTENDED_SHAPES.length).fill(0.5),
  termIndices: learnedTermIndices(config),
  trivial: Int32Array.from(slots.flatMap((s, k) => (s.trivial ? [k] : []))),
};
const chains = 2;
const N = lattice.nSites;
const K = slots.length;

const S = 3;
const xs = Int8Array.from({ length: S * 2 * N }, (_, i) => ((i * 7) % 3 === 0 ? -1 : 1));
const group = ofRule(initGroup(ctx, 0.4, 0), "exact");
group.heads[2] = [0.5, -0.25];
group.slotLoss[2] = 0.125;
group.memory.push({
  t: [0.4, 0, 0, 0],
  terms: Float64Array.from({ length: S * 4 }, (_, i) => i / 8),
  samples: S,
  x: xs,
  computed: slots.map((_, k) => k % 2 === 0),
});
const spins = Int8Array.from({ length: chains * N }, (_, i) => (i % 5 === 0 ? -1 : 1));

function stored(over: Record<string, unknown> = {}): unknown {
  return JSON.parse(
    JSON.stringify({
      version: 2,
      step: 3,
      groups: [saveGroup(ctx, group)],
      exploreLosses: [[0.25, null]],
      chosen: 0,
      spins: Buffer.from(spins.buffer).toString("base64"),
      sweepCount: 12,
      elapsedMs: 40,
      ...over,
    }),
  );
}

describe("parseCheckpoint", () => {
  test("round trip: the groups, the spins and the stored fields come back", () => {
    const c = parseCheckpoint(stored(), 3, ctx, chains);
    expect(c.step).toBe(3);
    expect(c.sweepCount).toBe(12);
    expect(c.exploreLosses).toEqual([[0.25, null]]);
    expect(Array.from(c.spinArray)).toEqual(Array.from(spins));
    expect(c.restored).toHaveLength(1);
    const g = ofRule(c.restored[0], "exact");
    expect(g.t).toEqual(group.t);
    expect(g.tAdam).toEqual(group.tAdam);
    expect(Array.from(g.logits.toFloat64Array())).toEqual(Array.from(group.logits.toFloat64Array()));
    expect(g.heads[2]).toEqual([0.5, -0.25]);
    expect(g.heads[0]).toBeNull();
    // Losses not yet measured are +∞ in memory and null in JSON.
    expect(g.slotLoss[2]).toBe(0.125);
    expect(g.slotLoss[0]).toBe(Number.POSITIVE_INFINITY);
    expect(g.slotLossUnbiased.every((v) => v === Number.POSITIVE_INFINITY)).toBe(true);
    const e = g.memory[0];
    expect(Array.from(e.x)).toEqual(Array.from(xs));
    expect(Array.from(e.terms)).toEqual(Array.from(group.memory[0].terms));
    // the image sums are not stored but recomputed: the computed slots' moments come back
    const x = Float64Array.from(xs);
    const cached = (e.images ?? []).filter(Boolean).length;
    for (let k = 0; k < K; k += 2) {
      const want = slotMoments(lattice, ctx.layout, x, S, window, K, k);
      expect(Array.from(sharedSlotMoments(ctx.momentPlan, xs, S, k, e.images ?? []))).toEqual(
        Array.from(want),
      );
    }
    // every image they read was restored with the group: none had to be computed just now
    expect((e.images ?? []).filter(Boolean).length).toBe(cached);
  });

  test("the optional fields of newer checkpoints are accepted at their smallest values", () => {
    const c = parseCheckpoint(
      stored({ chosen: -1, attempt: 0, tried: [0], sweepCount: 0, elapsedMs: 0, exploreVarS: [[1]] }),
      3,
      ctx,
      chains,
    );
    expect(c.chosen).toBe(-1);
    expect(c.attempt).toBe(0);
  });

  test.each([
    ["version", { version: 1 }],
    ["step", { step: 0 }],
    ["step", { step: 2.5 }],
    ["groups", { groups: [] }],
    ["groups.0", { groups: [3] }],
    ["exploreLosses.0.0", { exploreLosses: [["a"]] }],
    ["exploreVarS", { exploreVarS: 1 }],
    ["explorePooled.0", { explorePooled: [1] }],
    ["chosen", { chosen: -2 }],
    ["chosen", { chosen: 0.5 }],
    ["attempt", { attempt: -1 }],
    ["tried.0", { tried: [-1] }],
    ["tried.0", { tried: [0.5] }],
    ["failedAttempts.0", { failedAttempts: [1] }],
    ["spins", { spins: "AQ=@" }],
    ["spins", { spins: "AQ===" }],
    ["sweepCount", { sweepCount: -1 }],
    ["sweepCount", { sweepCount: 1.5 }],
    ["elapsedMs", { elapsedMs: -1 }],
  ])("a bad %s is refused by name (%j)", (field, over) => {
    expect(() => parseCheckpoint(stored(over), 3, ctx, chains)).toThrow(
      new RegExp(`^field ${field.replaceAll(".", "\\.")}: `),
    );
  });

  test("not an object at all: the whole state is named", () => {
    expect(() => parseCheckpoint(null, 3, ctx, chains)).toThrow(/^field state: /);
  });

  test("a file whose name disagrees with its step, or with a different number of spins, is refused", () => {
    expect(() => parseCheckpoint(stored(), 4, ctx, chains)).toThrow("holds step 3, its name says 4");
    expect(() => parseCheckpoint(stored(), 3, ctx, 3)).toThrow(
      `holds ${2 * N} spins, this run has 3 chains × ${N} sites`,
    );
  });

  test("a group that does not restore is refused with the reason", () => {
    expect(() => parseCheckpoint(stored({ groups: [{ t: [1] }] }), 3, ctx, chains)).toThrow(
      /^its learner state does not fit this run \(.+\)$/,
    );
  });
});
