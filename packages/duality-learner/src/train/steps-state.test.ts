// A group's state through a checkpoint (JSON and back, the memory's moments recomputed from its
// link variables), and the learned map O applied to link variables, checked link by link
// against the window table (the slot k of link l reads link window[l·K + k]).
import { tensor } from "@physml/autodiff";
import { expect, test } from "vitest";
import { candidateSamples, ofRule, stepContext } from "../../test/steps-fixture.js";
import { restoreGroup, saveGroup } from "./group-checkpoint.js";
import { initGroup } from "./group-state.js";
import { headSummary } from "./head-summary.js";
import { mappedLinks } from "./mapped-links.js";
import { stepGroup } from "./steps.js";

const throughJson = (v: unknown) => JSON.parse(JSON.stringify(v));

test("a group after a few exact steps comes back from its checkpoint JSON unchanged", async () => {
  const ctx = stepContext({ optimizer: { memory: 2 } });
  const gs = ofRule(initGroup(ctx, 0.5, 0), "exact");
  const d = await candidateSamples(ctx.lattice, 0.5, 4, 2, 9);
  for (let step = 0; step < 3; step++) stepGroup(ctx, gs, { ...d, step, trainStep: step });
  // one slot never computed keeps an infinite loss, which JSON writes as null
  gs.slotLoss[3] = Number.POSITIVE_INFINITY;
  gs.slotLossUnbiased[4] = Number.POSITIVE_INFINITY;
  const json = throughJson(saveGroup(ctx, gs));
  expect(JSON.stringify(json)).not.toContain("Infinity");
  const back = ofRule(restoreGroup(ctx, json), "exact");
  expect(back.t).toEqual(gs.t);
  expect(back.tAdam).toEqual(gs.tAdam);
  expect(back.heads).toEqual(gs.heads);
  expect(back.slotLoss).toEqual(gs.slotLoss);
  expect(back.slotLossUnbiased).toEqual(gs.slotLossUnbiased);
  expect(back.slotLoss[3]).toBe(Number.POSITIVE_INFINITY);
  expect(Array.from(back.logits.toFloat64Array())).toEqual(Array.from(gs.logits.toFloat64Array()));
  expect(back.gramAvg).toEqual(gs.gramAvg);
  expect(back.memory).toHaveLength(2);
  for (const [i, e] of back.memory.entries()) {
    const orig = gs.memory[i];
    expect([e.t, e.samples, e.computed]).toEqual([orig.t, orig.samples, orig.computed]);
    expect(Array.from(e.x)).toEqual(Array.from(orig.x));
    expect(Array.from(e.terms)).toEqual(Array.from(orig.terms));
    // the image sums are not stored but recomputed: the same sums for the images of the computed slots
    expect(e.images?.map((m) => (m ? Array.from(m) : null))).toEqual(
      orig.images?.map((m) => (m ? Array.from(m) : null)),
    );
  }
  // and the restored group takes the same next step as the original
  const next = { ...d, step: 3, trainStep: 3 };
  const a = stepGroup(ctx, gs, next);
  const b = stepGroup(ctx, back, next);
  expect(b).toEqual(a);
  expect(back.t).toEqual(gs.t);
});

test("a checkpoint without split-half slot losses (older runs) restores them as unknown", () => {
  const ctx = stepContext();
  const json = throughJson(saveGroup(ctx, initGroup(ctx, 0.5, 0))) as Record<string, unknown>;
  delete json.slotLossUnbiased;
  const back = ofRule(restoreGroup(ctx, json), "exact");
  expect(back.slotLossUnbiased).toEqual(ctx.slots.map(() => Number.POSITIVE_INFINITY));
  expect(back.slotLoss).toEqual(ctx.slots.map(() => Number.POSITIVE_INFINITY));
});

/** A ±1 link field of `count` rows whose values are all distinct enough to tell links apart. */
function linkField(nl: number, count: number): Float64Array {
  return Float64Array.from({ length: nl * count }, (_, i) => 0.1 + i * 0.01);
}

test("exact mode: O_l = θ2·x of the most probable slot's link + θ3, with that slot's solved head", () => {
  const ctx = stepContext();
  const K = ctx.slots.length;
  const nl = ctx.lattice.nLinks;
  const gs = ofRule(initGroup(ctx, 0.5, 0), "exact");
  // slot 4 most probable; heads per slot
  gs.logits = tensor(Float64Array.from({ length: K }, (_, k) => (k === 4 ? 2 : k * 0.1)));
  gs.heads = ctx.slots.map((_, k) => [k + 1, -k]);
  const x = linkField(nl, 2);
  const out = mappedLinks(ctx, gs, x, 2);
  for (let b = 0; b < 2; b++)
    for (let l = 0; l < nl; l++)
      expect(out[b * nl + l]).toBeCloseTo(5 * x[b * nl + ctx.window[l * K + 4]] - 4, 12);
  // a given head replaces the solved one
  const fixed = mappedLinks(ctx, gs, x, 2, [2, 0.5]);
  for (let l = 0; l < nl; l++) expect(fixed[l]).toBeCloseTo(2 * x[ctx.window[l * K + 4]] + 0.5, 12);
  const s = headSummary(ctx, gs);
  expect(s.theta).toEqual([5, -4]);
  const e = gs.logits.toFloat64Array();
  const z = e.reduce((a, v) => a + Math.exp(v), 0);
  s.weights.forEach((w, k) => {
    expect(w).toBeCloseTo(Math.exp(e[k]) / z, 12);
  });
  // no head solved yet for the top slot: θ is unknown (NaN), not a number that looks valid
  gs.heads[4] = null;
  expect(headSummary(ctx, gs).theta.every(Number.isNaN)).toBe(true);
});

test("gumbel mode: the softmax-weighted window, or the top slot alone with hard attention", () => {
  for (const hard of [false, true]) {
    const ctx = stepContext({ observable: { mode: "gumbel", hard } });
    const K = ctx.slots.length;
    const nl = ctx.lattice.nLinks;
    const gs = ofRule(initGroup(ctx, 0.5, 0), "gumbel");
    const logits = Float64Array.from({ length: K }, (_, k) => (k === 2 ? 1.5 : -0.2 * k));
    gs.params = { logits: tensor(logits), theta: tensor([-0.5, 0.25]) };
    const z = logits.reduce((a, v) => a + Math.exp(v), 0);
    const w = Array.from(logits, (v, k) => (hard ? (k === 2 ? 1 : 0) : Math.exp(v) / z));
    const x = linkField(nl, 1);
    const out = mappedLinks(ctx, gs, x, 1);
    for (let l = 0; l < nl; l++) {
      let y = 0;
      for (let k = 0; k < K; k++) y += w[k] * x[ctx.window[l * K + k]];
      expect(out[l]).toBeCloseTo(-0.5 * y + 0.25, 12);
    }
    const s = headSummary(ctx, gs);
    expect(s.theta).toEqual([-0.5, 0.25]);
    s.weights.forEach((v, k) => {
      expect(v).toBeCloseTo(Math.exp(logits[k]) / z, 12);
    });
  }
});

test("mlp mode: O is the network on the window, with the sign image applied to its input", () => {
  const ctx = stepContext({ observable: { kind: "mlp", hidden: [3] } });
  const nl = ctx.lattice.nLinks;
  const gs = ofRule(initGroup(ctx, 0.5, 0), "mlp");
  const x = Float64Array.from({ length: nl }, (_, l) => (l % 3 === 0 ? -1 : 1));
  const out = mappedLinks(ctx, gs, x, 1);
  const flipped = Float64Array.from(x, (v) => -v);
  gs.mlpSign = -1;
  // O(x) with the sign image is O(−x) of the plain map
  const outFlip = mappedLinks(ctx, gs, flipped, 1);
  for (let l = 0; l < nl; l++) expect(outFlip[l]).toBeCloseTo(out[l], 12);
  expect(out.length).toBe(nl);
  // the summary: slot sensitivities |O(+1…) − O(x_k = −1)|/2, normalised; θ along the top slot
  gs.mlpSign = 1;
  const s = headSummary(ctx, gs);
  expect(s.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  for (const w of s.weights) expect(w).toBeGreaterThanOrEqual(0);
  // O on the uniform field +1 is θ2 + θ3 (the affine map along the top slot passes through it)
  const ones = new Float64Array(nl).fill(1);
  const o1 = mappedLinks(ctx, gs, ones, 1)[0];
  expect(s.theta[0] + s.theta[1]).toBeCloseTo(o1, 12);
});
