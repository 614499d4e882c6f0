// The pool reads the entries' image sums in place of a per-slot copy of their moment rows; its
// weighted means and features must be those of the copied rows bit for bit, for every slot of
// the extended shape set (where the Kramers–Wannier slots share images), and the slots of one
// step must share one pool and one set of image means.
import { beforeAll, expect, test } from "vitest";
import { candidateSamples, ofRule, stepContext } from "../../test/steps-fixture.js";
import { featuresFromMoments, slotMoments } from "../model/moments.js";
import { initGroup } from "./group-state.js";
import { memoryPool, poolFeatures, poolMeanMoments } from "./memory-pool.js";
import type { StepData } from "./step-data.js";
import { stepGroup } from "./steps.js";

type Data = Pick<StepData, "x" | "terms" | "samples">;
let first: Data;
let second: Data;
beforeAll(async () => {
  const lattice = stepContext().lattice;
  first = await candidateSamples(lattice, 0.3, 8, 2, 41);
  second = await candidateSamples(lattice, 0.3, 8, 2, 42);
});

const settings = {
  shapes: "extended" as const,
  explore: { starts: [0.55], steps: 0 },
  optimizer: { memory: 3, freezeFraction: 0, steps: 100, precondition: "none" as const, tLr: 0.02 },
};

// the extended set's 20 shapes (any target: the test compares two ways of computing one thing)
const target = Array.from({ length: 20 }, (_, a) => 0.2 + 0.02 * a);

test("means and features equal those of the copied rows bit for bit, every slot", () => {
  const ctx = stepContext(settings, target);
  const gs = ofRule(initGroup(ctx, 0.55, 0), "exact");
  stepGroup(ctx, gs, { ...first, step: 1, trainStep: 1 });
  stepGroup(ctx, gs, { ...second, step: 2, trainStep: 2 });
  const K = ctx.slots.length;
  const M = ctx.layout.width;
  const cache = new Map();
  for (let k = 0; k < K; k++) {
    const pool = memoryPool(ctx, gs, k, false, cache);
    // the rows a per-slot copy would hold, in pool order
    const mom = new Float64Array(pool.samples * M);
    let r = 0;
    for (const run of pool.runs) {
      const rows = slotMoments(
        ctx.lattice,
        ctx.layout,
        Float64Array.from(run.entry.x),
        run.entry.samples,
        ctx.window,
        K,
        k,
      );
      mom.set(rows.subarray(run.lo * M, run.hi * M), r * M);
      r += run.hi - run.lo;
    }
    expect(r).toBe(pool.samples);
    const want = new Float64Array(M);
    let W = 0;
    for (let b = 0; b < pool.samples; b++) {
      W += pool.weights[b];
      for (let q = 0; q < M; q++) want[q] += pool.weights[b] * mom[b * M + q];
    }
    for (let q = 0; q < M; q++) want[q] /= W;
    expect(Array.from(poolMeanMoments(ctx.momentPlan, pool, k)), ctx.slots[k].name).toEqual(Array.from(want));
    for (const [t2, t3] of [
      [-1.6, 1.9],
      [0.7, -0.3],
    ]) {
      expect(Array.from(poolFeatures(ctx.momentPlan, pool, k, t2, t3))).toEqual(
        Array.from(featuresFromMoments(ctx.layout, mom, pool.samples, t2, t3)),
      );
    }
  }
  // one pool for the step's slots, one mean per image: 20 images for the identity and KW slots
  expect(cache.size).toBe(1);
  const pool = [...cache.values()][0];
  expect(pool.imageMeans.size).toBe(ctx.momentPlan.images.length);
});

test("a slot skipped at an earlier step pools other entries than the slots computed there", () => {
  const ctx = stepContext(settings, target);
  const gs = ofRule(initGroup(ctx, 0.55, 0), "exact");
  stepGroup(ctx, gs, { ...first, step: 1, trainStep: 1 });
  stepGroup(ctx, gs, { ...second, step: 2, trainStep: 2 });
  gs.memory[0].computed[1] = false;
  const cache = new Map();
  const a = memoryPool(ctx, gs, 0, false, cache);
  const b = memoryPool(ctx, gs, 1, false, cache);
  expect(a).not.toBe(b);
  expect(a.samples).toBe(first.samples + second.samples);
  expect(b.samples).toBe(second.samples);
  expect(memoryPool(ctx, gs, 2, false, cache)).toBe(a);
});
