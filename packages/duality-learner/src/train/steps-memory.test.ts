// The exact mode's sample memory, recomputed here from its definition: the kept steps' moments
// as one sample set (half A of every step, then half B), importance weights
// exp((t − t_s)(S − S̄_s)) normalised within each step, the oldest steps dropped while the
// effective sample size is below half the samples; the slot losses, the coupling gradient and
// the Gauss–Newton step are then those of that sample set (../stats is tested on its own).
import { softmax, tensor } from "@physml/autodiff";
import { beforeAll, expect, test } from "vitest";
import { candidateSamples, ofRule, stepContext } from "../../test/steps-fixture.js";
import type { DualityConfigInput } from "../config.js";
import { featuresFromMoments, headJacobian, profileGram, slotMoments } from "../model/moments.js";
import { couplingGradient, solveDamped } from "../stats/gradient.js";
import { type ExactGroup, initGroup } from "./group-state.js";
import type { StepContext } from "./step-context.js";
import type { StepData } from "./step-data.js";
import { stepGroup } from "./steps.js";
import { targetSensitivity } from "./target-sensitivity.js";

type Data = Pick<StepData, "x" | "terms" | "samples">;
let first: Data;
let second: Data;
beforeAll(async () => {
  const lattice = stepContext().lattice;
  first = await candidateSamples(lattice, 0.25, 8, 2, 31);
  second = await candidateSamples(lattice, 0.25, 8, 2, 32);
});

const at = (d: Data, step: number): StepData => ({ ...d, step, trainStep: step });
const probs = (gs: ExactGroup) => Array.from(softmax(gs.logits, -1).toFloat64Array());
const settings = (optimizer: Record<string, unknown>): Partial<DualityConfigInput> => ({
  explore: { starts: [0.5], steps: 0 },
  optimizer: { memory: 2, freezeFraction: 0, steps: 100, ...optimizer },
});

/** The documented pooled sample set of slot k over `entries` (each: data and the t it was drawn at). */
function pooled(ctx: StepContext, k: number, t: number, entries: { d: Data; t: number }[]) {
  const K = ctx.slots.length;
  const M = ctx.layout.width;
  const parts = entries.map(({ d, t: ts }) => {
    const mom = slotMoments(ctx.lattice, ctx.layout, d.x, d.samples, ctx.window, K, k);
    let sBar = 0;
    for (let b = 0; b < d.samples; b++) sBar += d.terms[b * 4] / d.samples;
    const e = Array.from({ length: d.samples }, (_, b) => Math.exp((t - ts) * (d.terms[b * 4] - sBar)));
    const m = e.reduce((a, v) => a + v, 0) / e.length;
    return { d, mom, w: e.map((v) => v / m) };
  });
  const rows: { mom: Float64Array; terms: Float64Array; w: number }[] = [];
  for (const half of [0, 1])
    for (const p of parts) {
      const h = p.d.samples / 2;
      for (let b = half * h; b < (half + 1) * h; b++)
        rows.push({
          mom: p.mom.subarray(b * M, (b + 1) * M),
          terms: p.d.terms.subarray(b * 4, b * 4 + 4),
          w: p.w[b],
        });
    }
  const S = rows.length;
  const mom = new Float64Array(S * M);
  const terms = new Float64Array(S * 4);
  rows.forEach((r, i) => {
    mom.set(r.mom, i * M);
    terms.set(r.terms, i * 4);
  });
  const weights = Float64Array.from(rows, (r) => r.w);
  const s1 = weights.reduce((a, v) => a + v, 0);
  const s2 = weights.reduce((a, v) => a + v * v, 0);
  const mean = new Float64Array(M);
  for (let b = 0; b < S; b++) for (let q = 0; q < M; q++) mean[q] += (weights[b] * mom[b * M + q]) / s1;
  return { mom, terms, weights, samples: S, half: S / 2, ess: (s1 * s1) / s2, mean };
}

/** The coupling-gradient statistics of slot k's pooled set with the group's head for k. */
function slotStats(ctx: StepContext, gs: ExactGroup, k: number, set: ReturnType<typeof pooled>) {
  const [t2, t3] = gs.heads[k] as [number, number];
  return couplingGradient({
    psi: featuresFromMoments(ctx.layout, set.mom, set.samples, t2, t3),
    terms: set.terms,
    samples: set.samples,
    half: set.half,
    weights: set.weights,
    target: ctx.target,
    termIndices: ctx.termIndices,
    controlVariates: ctx.config.optimizer.controlVariates,
  });
}

test("at a fixed t: the slot losses are those of both steps' samples, halves A then halves B", () => {
  const ctx = stepContext(settings({ freezeFraction: 0.5 }));
  const gs = ofRule(initGroup(ctx, 0.5, 0), "exact");
  stepGroup(ctx, gs, at(first, 1));
  stepGroup(ctx, gs, at(second, 2));
  for (let k = 0; k < ctx.slots.length; k++) {
    const set = pooled(ctx, k, 0.5, [
      { d: first, t: 0.5 },
      { d: second, t: 0.5 },
    ]);
    const g = slotStats(ctx, gs, k, set);
    expect(gs.slotLoss[k]).toBeCloseTo(g.loss, 12);
    expect(gs.slotLossUnbiased[k]).toBeCloseTo(g.lossUnbiased, 12);
  }
});

test("after t moved: the older step's samples are reweighted to the current t", () => {
  const ctx = stepContext(settings({ precondition: "none", tLr: 0.03 }));
  const gs = ofRule(initGroup(ctx, 0.5, 0), "exact");
  stepGroup(ctx, gs, at(first, 1));
  const t1 = gs.t[0];
  expect(Math.abs(t1 - 0.5)).toBeCloseTo(0.03, 6);
  stepGroup(ctx, gs, at(second, 2));
  for (let k = 0; k < ctx.slots.length; k++) {
    const set = pooled(ctx, k, t1, [
      { d: first, t: 0.5 },
      { d: second, t: t1 },
    ]);
    expect(set.ess).toBeGreaterThan(set.samples / 2);
    expect(set.ess).toBeLessThan(set.samples * 0.9999);
    const g = slotStats(ctx, gs, k, set);
    expect(gs.slotLoss[k]).toBeCloseTo(g.loss, 12);
    expect(gs.slotLossUnbiased[k]).toBeCloseTo(g.lossUnbiased, 12);
  }
});

test("a step too far away to reweight (effective sample size below half) is dropped", () => {
  const ctx = stepContext(settings({ precondition: "none", tLr: 5 }));
  const gs = ofRule(initGroup(ctx, 0.5, 0), "exact");
  stepGroup(ctx, gs, at(first, 1));
  const t1 = gs.t[0];
  stepGroup(ctx, gs, at(second, 2));
  for (let k = 0; k < ctx.slots.length; k++) {
    const both = pooled(ctx, k, t1, [
      { d: first, t: 0.5 },
      { d: second, t: t1 },
    ]);
    expect(both.ess).toBeLessThan(both.samples / 2);
    const g = slotStats(ctx, gs, k, pooled(ctx, k, t1, [{ d: second, t: t1 }]));
    expect(gs.slotLoss[k]).toBeCloseTo(g.loss, 12);
  }
  expect(gs.memory).toHaveLength(2);
});

test("fresh gradient samples: the losses come from the earlier steps, the newest left out", () => {
  const ctx = stepContext(settings({ freezeFraction: 0.5, gradientSamples: "fresh" }));
  const gs = ofRule(initGroup(ctx, 0.5, 0), "exact");
  stepGroup(ctx, gs, at(first, 1));
  // one step in memory: it is used
  const k0 = pooled(ctx, 0, 0.5, [{ d: first, t: 0.5 }]);
  expect(gs.slotLoss[0]).toBeCloseTo(slotStats(ctx, gs, 0, k0).loss, 12);
  stepGroup(ctx, gs, at(second, 2));
  for (let k = 0; k < ctx.slots.length; k++) {
    const g = slotStats(ctx, gs, k, pooled(ctx, k, 0.5, [{ d: first, t: 0.5 }]));
    expect(gs.slotLoss[k]).toBeCloseTo(g.loss, 12);
  }
});

/** Σ_k p_k v_k / Σ_k p_k over the slots. */
const average = (p: number[], v: (k: number) => number) =>
  p.reduce((a, pk, k) => a + pk * v(k), 0) / p.reduce((a, b) => a + b, 0);

test("the coupling gradient is the p-weighted slot gradient: pooled or split-half (Adam's m = g/10)", () => {
  for (const gradientEstimator of ["pooled", "split-half"] as const) {
    const ctx = stepContext(settings({ precondition: "none", tLr: 0.01, gradientEstimator }));
    const gs = ofRule(initGroup(ctx, 0.5, 0), "exact");
    const p = probs(gs);
    stepGroup(ctx, gs, at(first, 1));
    const stats = ctx.slots.map((_, k) => slotStats(ctx, gs, k, pooled(ctx, k, 0.5, [{ d: first, t: 0.5 }])));
    const g = average(p, (k) => (gradientEstimator === "pooled" ? stats[k].gradPooled[0] : stats[k].grad[0]));
    expect(gs.tAdam.m[0]).toBeCloseTo(0.1 * g, 12);
  }
});

test("the Gauss–Newton step solves the p-weighted profile Gram matrix, averaged over steps", () => {
  const ctx = stepContext(settings({ precondition: "gauss-newton", tLr: 0.5, maxStep: 1 }));
  const gs = ofRule(initGroup(ctx, 0.5, 0), "exact");
  const gram = (t: number, entries: { d: Data; t: number }[]) => {
    const p = probs(gs);
    const sets = ctx.slots.map((_, k) => pooled(ctx, k, t, entries));
    const stats = sets.map((s, k) => slotStats(ctx, gs, k, s));
    const G = average(p, (k) => {
      const [t2, t3] = gs.heads[k] as [number, number];
      return profileGram(stats[k].jacobian, headJacobian(ctx.layout, sets[k].mean, t2, t3), 1)[0];
    });
    return { G, grad: average(p, (k) => stats[k].gradPooled[0]), p };
  };
  const p1 = probs(gs);
  stepGroup(ctx, gs, at(first, 1));
  // probabilities of the step: those before its logit update
  const logitsAfter = gs.logits;
  gs.logits = tensor(Float64Array.from(p1.map(Math.log)));
  const one = gram(0.5, [{ d: first, t: 0.5 }]);
  gs.logits = logitsAfter;
  expect(gs.gramAvg?.[0]).toBeCloseTo(one.G, 12);
  const dir = solveDamped(Float64Array.of(one.G), Float64Array.of(one.grad / 2), 0.1)[0];
  expect(gs.t[0]).toBeCloseTo(0.5 - 0.5 * dir, 12);
  // the next step averages 0.9·old + 0.1·new
  const t1 = gs.t[0];
  const p2 = probs(gs);
  stepGroup(ctx, gs, at(second, 2));
  const after2 = gs.logits;
  gs.logits = tensor(Float64Array.from(p2.map(Math.log)));
  const two = gram(t1, [
    { d: first, t: 0.5 },
    { d: second, t: t1 },
  ]);
  gs.logits = after2;
  expect(gs.gramAvg?.[0]).toBeCloseTo(0.9 * one.G + 0.1 * two.G, 12);
});

test("target sensitivity: w = J⊥ᵀ/(J⊥ᵀJ⊥) of the top slot for one learned coupling, so w·J⊥ = 1", () => {
  const ctx = stepContext(settings({ freezeFraction: 0.5 }));
  const gs = ofRule(initGroup(ctx, 0.5, 0), "exact");
  expect(targetSensitivity(ctx, gs)).toBeNull();
  stepGroup(ctx, gs, at(first, 1));
  const p = probs(gs);
  const top = p.indexOf(Math.max(...p));
  const set = pooled(ctx, top, 0.5, [{ d: first, t: 0.5 }]);
  const stats = slotStats(ctx, gs, top, set);
  const [t2, t3] = gs.heads[top] as [number, number];
  const jth = headJacobian(ctx.layout, set.mean, t2, t3);
  const gram = profileGram(stats.jacobian, jth, 1)[0];
  const w = targetSensitivity(ctx, gs) as Float64Array;
  expect(w).toHaveLength(ctx.target.length);
  // w·J⊥ = 1 and w ∝ J⊥: w_a = J⊥_a / Σ J⊥², so Σ_a w_a² = 1/Gram
  expect(w.reduce((a, v) => a + v * v, 0)).toBeCloseTo(1 / gram, 6);
  // no head for the top slot, or another mode: none
  gs.heads[top] = null;
  expect(targetSensitivity(ctx, gs)).toBeNull();
  const gumbel = stepContext(settings({ freezeFraction: 0.5 }));
  gumbel.config.observable.mode = "gumbel";
  expect(targetSensitivity(gumbel, initGroup(gumbel, 0.5, 0))).toBeNull();
});

test("a Gauss–Newton step below the cap scales with the learning-rate factor", () => {
  // step 50 of 100, decay from 0 to 0.1: factor 0.55
  const ctx = stepContext(
    settings({ precondition: "gauss-newton", tLr: 0.5, maxStep: 1, decayStart: 0, finalLrFactor: 0.1 }),
  );
  const gs = ofRule(initGroup(ctx, 0.5, 0), "exact");
  const p = probs(gs);
  stepGroup(ctx, gs, at(first, 50));
  const sets = ctx.slots.map((_, k) => pooled(ctx, k, 0.5, [{ d: first, t: 0.5 }]));
  const stats = sets.map((s, k) => slotStats(ctx, gs, k, s));
  const G = average(p, (k) => {
    const [t2, t3] = gs.heads[k] as [number, number];
    return profileGram(stats[k].jacobian, headJacobian(ctx.layout, sets[k].mean, t2, t3), 1)[0];
  });
  const grad = average(p, (k) => stats[k].gradPooled[0]);
  const dir = solveDamped(Float64Array.of(G), Float64Array.of(grad / 2), 0.1)[0];
  expect(Math.abs(0.5 * 0.55 * dir)).toBeLessThan(1);
  expect(gs.t[0]).toBeCloseTo(0.5 - 0.5 * 0.55 * dir, 12);
});
