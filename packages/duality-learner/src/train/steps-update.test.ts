// One training step's contract on a 4×4 torus with sampled candidate data: the exact mode's
// memory and slot skipping, the reported losses as the documented averages and minima, Adam's
// first steps by hand, the cap, bound and sign image of the couplings, and the observable map's
// update direction against central finite differences of the loss it descends.
import { random, softmax, tensor } from "@physml/autodiff";
import { beforeAll, describe, expect, test } from "vitest";
import { candidateSamples, ofRule, stepContext } from "../../test/steps-fixture.js";
import type { DualityConfigInput } from "../config.js";
import { attentionFeatures } from "../model/observable.js";
import { couplingGradient } from "../stats/gradient.js";
import { type ExactGroup, initGroup } from "./group-state.js";
import type { StepData } from "./step-data.js";
import { stepGroup } from "./steps.js";

type Data = Pick<StepData, "x" | "terms" | "samples">;
let data: Data;
let other: Data;
beforeAll(async () => {
  const lattice = stepContext().lattice;
  data = await candidateSamples(lattice, 0.45, 8, 2, 21);
  other = await candidateSamples(lattice, 0.45, 8, 2, 22);
});

const at = (d: Data, step: number, trainStep: number | null = step): StepData => ({ ...d, step, trainStep });
const logitsOf = (gs: ExactGroup) => Array.from(gs.logits.toFloat64Array());
const probs = (l: readonly number[]) =>
  Array.from(softmax(tensor(Float64Array.from(l)), -1).toFloat64Array());
/** Training settings without exploration and without a frozen start. */
const free = (over: Partial<DualityConfigInput> = {}): Partial<DualityConfigInput> => ({
  explore: { starts: [0.5], steps: 0 },
  ...over,
  optimizer: { freezeFraction: 0, ...(over.optimizer ?? {}) },
});

describe("exact mode", () => {
  test("the memory keeps the last `memory` steps: t before the step, ±1 links, term sums", () => {
    const ctx = stepContext(free({ optimizer: { memory: 2, precondition: "none", tLr: 0.01 } }));
    const gs = ofRule(initGroup(ctx, 0.5, 0), "exact");
    const ts: number[][] = [];
    for (let s = 0; s < 3; s++) {
      ts.push([...gs.t]);
      stepGroup(ctx, gs, at(s % 2 === 0 ? data : other, s));
    }
    expect(gs.memory).toHaveLength(2);
    expect(gs.memory.map((e) => e.t)).toEqual([ts[1], ts[2]]);
    const newest = gs.memory[1];
    expect(newest.x).toBeInstanceOf(Int8Array);
    expect(Array.from(newest.x)).toEqual(Array.from(data.x));
    expect(Array.from(newest.terms)).toEqual(Array.from(data.terms));
    expect(Array.from(gs.memory[0].terms)).toEqual(Array.from(other.terms));
    expect(newest.samples).toBe(data.samples);
  });

  test("first step: every slot solved; the loss is the p-weighted slot loss, the objective the least non-trivial one", () => {
    const ctx = stepContext(free());
    const gs = ofRule(initGroup(ctx, 0.5, 0), "exact");
    const p = probs(logitsOf(gs));
    const out = stepGroup(ctx, gs, at(data, 0));
    expect(gs.memory[0].computed.every(Boolean)).toBe(true);
    expect(gs.heads.every((h) => h?.every(Number.isFinite))).toBe(true);
    const dot = (l: number[]) => l.reduce((a, v, k) => a + p[k] * v, 0);
    expect(out.loss).toBeCloseTo(dot(gs.slotLoss), 12);
    expect(out.lossUnbiased).toBeCloseTo(dot(gs.slotLossUnbiased), 12);
    const nonTrivial = (l: number[]) => Math.min(...l.filter((_, k) => !ctx.slots[k].trivial));
    expect(out.objective).toBe(nonTrivial(gs.slotLossUnbiased));
    expect(out.objectivePooled).toBe(nonTrivial(gs.slotLoss));
    expect(out.objective).toBeLessThan(Math.min(...gs.slotLossUnbiased) + 1e9);
    // the pooled loss includes the sampling noise: above the split-half one on the same samples
    for (let k = 0; k < ctx.slots.length; k++) expect(gs.slotLoss[k]).toBeGreaterThan(gs.slotLossUnbiased[k]);
    // the trivial slots (the identity) count once the penalty is off
    const ctx0 = stepContext(free({ observable: { identityPenalty: 0 } }));
    const g0 = ofRule(initGroup(ctx0, 0.5, 0), "exact");
    const o0 = stepGroup(ctx0, g0, at(data, 0));
    expect(o0.objective).toBe(Math.min(...g0.slotLossUnbiased));
    expect(o0.objectivePooled).toBe(Math.min(...g0.slotLoss));
  });

  test("a slot the attention has all but ruled out is skipped and keeps its last loss", () => {
    const ctx = stepContext(free({ optimizer: { memory: 3 } }));
    const gs = ofRule(initGroup(ctx, 0.5, 0), "exact");
    stepGroup(ctx, gs, at(data, 1));
    const K = ctx.slots.length;
    // slot 2 at p ≈ e^-12 / K < 1e-3; the others equal
    const l = Array.from({ length: K }, (_, k) => (k === 2 ? -12 : 0));
    gs.logits = tensor(Float64Array.from(l));
    const before = { loss: gs.slotLoss[2], head: gs.heads[2] };
    const p = probs(l);
    const out = stepGroup(ctx, gs, at(other, 2));
    const e = gs.memory[1];
    expect(e.computed).toEqual(ctx.slots.map((_, k) => k !== 2));
    expect(gs.slotLoss[2]).toBe(before.loss);
    expect(gs.heads[2]).toEqual(before.head);
    // the loss averages the active slots only, renormalised
    const active = p.reduce((a, v, k) => a + (k === 2 ? 0 : v), 0);
    const mean = gs.slotLoss.reduce((a, v, k) => a + (k === 2 ? 0 : p[k] * v), 0) / active;
    expect(out.loss).toBeCloseTo(mean, 12);
  });

  test("t stays while frozen; the first Adam step moves it by the learning rate", () => {
    const frozen = stepContext({
      explore: { starts: [0.5], steps: 0 },
      optimizer: { freezeFraction: 0.5, steps: 10 },
    });
    const g = initGroup(frozen, 0.5, 0);
    stepGroup(frozen, g, at(data, 0));
    expect(g.t).toEqual([0.5, 0, 0, 0]);
    expect(g.tAdam.n).toBe(0);
    const ctx = stepContext(
      free({ optimizer: { precondition: "none", tLr: 0.02, steps: 100, decayStart: 0 } }),
    );
    const gs = initGroup(ctx, 0.5, 0);
    // step 50 of 100 with decay from 0 to 0.1: the rate factor is 1 − 0.9·0.5 = 0.55
    stepGroup(ctx, gs, at(data, 50));
    const g1 = gs.tAdam.m[0] / 0.1;
    expect(gs.tAdam.n).toBe(1);
    expect(gs.tAdam.v[0]).toBeCloseTo(0.001 * g1 * g1, 15);
    // Adam's first step is lr·m̂/√v̂ = lr·sign(g)
    expect(gs.t[0]).toBeCloseTo(0.5 - 0.02 * 0.55 * Math.sign(g1), 9);
    // the second: m = 0.9 m1 + 0.1 g2, v = 0.999 v1 + 0.001 g2², bias-corrected by 1 − β^2
    const [m1, v1, t1] = [gs.tAdam.m[0], gs.tAdam.v[0], gs.t[0]];
    stepGroup(ctx, gs, at(other, 50));
    const g2 = (gs.tAdam.m[0] - 0.9 * m1) / 0.1;
    expect(gs.tAdam.v[0]).toBeCloseTo(0.999 * v1 + 0.001 * g2 * g2, 15);
    const step = (0.02 * 0.55 * (gs.tAdam.m[0] / (1 - 0.81))) / Math.sqrt(gs.tAdam.v[0] / (1 - 0.999 ** 2));
    expect(gs.t[0]).toBeCloseTo(t1 - step, 9);
    expect(gs.t.slice(1)).toEqual([0, 0, 0]);
  });

  test("a preconditioned step moves t by at most maxStep", () => {
    for (const precondition of ["gauss-newton", "natural"] as const) {
      const ctx = stepContext(free({ optimizer: { precondition, tLr: 1, maxStep: 0.001 } }));
      const gs = initGroup(ctx, 0.5, 0);
      for (let s = 0; s < 3; s++) {
        const t = gs.t[0];
        stepGroup(ctx, gs, at(s % 2 ? other : data, s));
        expect(Math.abs(gs.t[0] - t)).toBeLessThanOrEqual(0.001 * (1 + 1e-12));
        expect(gs.t[0]).not.toBe(t);
      }
      expect(gs.tAdam.n).toBe(3);
    }
  });

  test("t is kept within ±maxCoupling, and the sign image flips t_nn with every θ2", () => {
    const run = (sign: "any" | "ferro" | "antiferro") => {
      const ctx = stepContext(
        free({ sign, candidate: { maxCoupling: 0.8 }, optimizer: { precondition: "none", tLr: 5 } }),
      );
      const gs = ofRule(initGroup(ctx, 0.5, 0), "exact");
      stepGroup(ctx, gs, at(data, 0));
      return gs;
    };
    const any = run("any");
    // a step of 5 from 0.5 ends at the bound
    expect(Math.abs(any.t[0])).toBe(0.8);
    const same = Math.sign(any.t[0]) > 0 ? run("ferro") : run("antiferro");
    const flipped = Math.sign(any.t[0]) > 0 ? run("antiferro") : run("ferro");
    expect(same.t).toEqual(any.t);
    expect(same.heads).toEqual(any.heads);
    expect(flipped.t[0]).toBe(-any.t[0]);
    expect(flipped.tAdam.m[0]).toBe(-any.tAdam.m[0]);
    expect(flipped.tAdam.v[0]).toBe(any.tAdam.v[0]);
    expect(flipped.heads).toEqual(any.heads.map((h) => [-(h as number[])[0], (h as number[])[1]]));
  });

  test("the logits descend the expected loss Σ p_k L_k + λ·p_trivial (central differences)", () => {
    const ctx = stepContext(free({ optimizer: { lr: 0.01 } }));
    const gs = ofRule(initGroup(ctx, 0.5, 0), "exact");
    const l0 = logitsOf(gs);
    stepGroup(ctx, gs, at(data, 0));
    const f = (l: number[]) => {
      const p = probs(l);
      let v = 0;
      for (let k = 0; k < p.length; k++) v += p[k] * gs.slotLoss[k];
      for (const k of ctx.trivial) v += ctx.config.observable.identityPenalty * p[k];
      return v;
    };
    const l1 = logitsOf(gs);
    for (let k = 0; k < l0.length; k++) {
      const h = 1e-6;
      const fd =
        (f(l0.map((v, j) => (j === k ? v + h : v))) - f(l0.map((v, j) => (j === k ? v - h : v)))) / (2 * h);
      // Adam's first step: −lr·g/(|g| + ε) = −lr·sign(∂f/∂l_k) up to ε/|g|
      expect(l1[k] - l0[k]).toBeCloseTo(-0.01 * Math.sign(fd), 6);
    }
  });
});

describe("gumbel and mlp modes", () => {
  test("θ and the logits descend the split-half loss + λ·p_trivial (central differences, no noise)", () => {
    const ctx = stepContext(
      free({ observable: { mode: "gumbel", gumbel: false, hard: false }, optimizer: { lr: 0.01 } }),
    );
    const gs = ofRule(initGroup(ctx, 0.5, 0), "gumbel");
    const p0 = gs.params;
    const logits0 = Array.from(p0.logits.toFloat64Array());
    const theta0 = Array.from(p0.theta.toFloat64Array());
    const S = data.samples;
    const X = ctx.geometry.windowMatrix(data.x, S);
    const tau = ctx.config.observable.tauStart;
    const lossAt = (logits: number[], theta: number[]) => {
      const psi = attentionFeatures(
        ctx.geometry,
        X,
        S,
        { logits: tensor(Float64Array.from(logits)), theta: tensor(Float64Array.from(theta)) },
        { key: random.key(0), tau, hard: false, gumbel: false },
      ).toFloat64Array();
      const g = couplingGradient({
        psi,
        terms: data.terms,
        samples: S,
        half: S / 2,
        target: ctx.target,
        termIndices: [0],
      });
      const pen =
        ctx.config.observable.identityPenalty * [...ctx.trivial].reduce((a, k) => a + probs(logits)[k], 0);
      return g.lossUnbiased + pen;
    };
    const out = stepGroup(ctx, gs, at(data, 0, null));
    const p1 = gs.params;
    const h = 1e-6;
    theta0.forEach((_, j) => {
      const up = theta0.map((v, i) => (i === j ? v + h : v));
      const dn = theta0.map((v, i) => (i === j ? v - h : v));
      const fd = (lossAt(logits0, up) - lossAt(logits0, dn)) / (2 * h);
      expect(p1.theta.toFloat64Array()[j] - theta0[j]).toBeCloseTo(-0.01 * Math.sign(fd), 6);
    });
    logits0.forEach((_, j) => {
      const up = logits0.map((v, i) => (i === j ? v + h : v));
      const dn = logits0.map((v, i) => (i === j ? v - h : v));
      const fd = (lossAt(up, theta0) - lossAt(dn, theta0)) / (2 * h);
      expect(p1.logits.toFloat64Array()[j] - logits0[j]).toBeCloseTo(-0.01 * Math.sign(fd), 6);
    });
    // the reported loss is that of the parameters before the step; the objective adds λ·p_trivial
    // of the logits after it
    const g = couplingGradient({
      psi: attentionFeatures(ctx.geometry, X, S, p0, {
        key: random.key(0),
        tau,
        hard: false,
        gumbel: false,
      }).toFloat64Array(),
      terms: data.terms,
      samples: S,
      half: S / 2,
      target: ctx.target,
      termIndices: [0],
    });
    expect(out.lossUnbiased).toBeCloseTo(g.lossUnbiased, 12);
    expect(out.loss).toBeCloseTo(g.loss, 12);
    const pen = [...ctx.trivial].reduce((a, k) => a + probs(Array.from(p1.logits.toFloat64Array()))[k], 0);
    expect(out.objective - out.lossUnbiased).toBeCloseTo(pen, 12);
    expect(out.objectivePooled - out.loss).toBeCloseTo(pen, 12);
    expect([out.tau, out.lrFactor]).toEqual([tau, 1]);
  });

  test("the sign image negates θ2 (gumbel) or the MLP's input sign", () => {
    for (const observable of [{ mode: "gumbel" as const }, { kind: "mlp" as const, hidden: [3] }]) {
      const run = (sign: "ferro" | "antiferro") => {
        const ctx = stepContext(
          free({
            sign,
            observable,
            candidate: { maxCoupling: 0.8 },
            optimizer: { precondition: "none", tLr: 5 },
          }),
        );
        const gs = initGroup(ctx, 0.5, 0);
        stepGroup(ctx, gs, at(data, 0));
        return gs;
      };
      const f = run("ferro");
      const a = run("antiferro");
      expect([f.t[0], a.t[0]]).toEqual([0.8, -0.8]);
      if (observable.kind === "mlp") {
        expect(ofRule(f, "mlp").mlpSign * ofRule(a, "mlp").mlpSign).toBe(-1);
        const mlp = stepContext(free({ observable, optimizer: { freezeFraction: 0.5 } }));
        const gs = initGroup(mlp, 0.5, 0);
        const o = stepGroup(mlp, gs, at(data, 0));
        expect(o.objective).toBe(o.lossUnbiased);
        expect(o.objectivePooled).toBe(o.loss);
      } else {
        const tf = ofRule(f, "gumbel").params.theta.toFloat64Array();
        const ta = ofRule(a, "gumbel").params.theta.toFloat64Array();
        expect(tf[0]).toBe(-ta[0]);
        expect(tf[1]).toBe(ta[1]);
      }
    }
  });
});

test("the learning-rate factor scales the logit, θ and coupling steps", () => {
  // step 50 of 100 with the decay from 0 to 0.1: factor 1 − 0.9·0.5 = 0.55
  const optimizer = { lr: 0.01, steps: 100, decayStart: 0, finalLrFactor: 0.1 };
  for (const observable of [{ mode: "exact" as const }, { mode: "gumbel" as const, gumbel: false }]) {
    const ctx = stepContext(
      free({ observable, optimizer: { ...optimizer, precondition: "none", tLr: 0.02 } }),
    );
    const gs = initGroup(ctx, 0.5, 0);
    const before =
      gs.rule === "exact" ? logitsOf(gs) : Array.from(ofRule(gs, "gumbel").params.logits.toFloat64Array());
    const out = stepGroup(ctx, gs, at(data, 50));
    expect(out.lrFactor).toBeCloseTo(0.55, 12);
    const after =
      gs.rule === "exact" ? logitsOf(gs) : Array.from(ofRule(gs, "gumbel").params.logits.toFloat64Array());
    // Adam's first step: lr·factor in size for every logit with a gradient
    for (let k = 0; k < before.length; k++)
      expect(Math.abs(after[k] - before[k])).toBeCloseTo(0.01 * 0.55, 6);
    expect(Math.abs(gs.t[0] - 0.5)).toBeCloseTo(0.02 * 0.55, 6);
  }
});
