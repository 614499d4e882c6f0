// The schedules of a training step (τ annealed geometrically, the learning rate decayed
// linearly, t frozen at first) at hand-computed points, and a group's initial state in each mode.
import { expect, test } from "vitest";
import { ofRule, stepContext } from "../../test/steps-fixture.js";
import { initGroup } from "./group-state.js";
import { schedules } from "./schedules.js";

const optimizer = { steps: 100, freezeFraction: 0.2, decayStart: 0.5, finalLrFactor: 0.1 };
const observable = { tauStart: 2, tauEnd: 0.02, tauAnnealFraction: 0.5 };

test("exploration: τ at its start, full learning rate, t frozen for the first fraction or throughout", () => {
  const ctx = stepContext({
    explore: { starts: [0.3, 0.6], steps: 10, freezeCouplings: false },
    candidate: { chains: 8 },
    optimizer,
    observable,
  });
  expect(schedules(ctx, { step: 0, trainStep: null })).toEqual({ tau: 2, lrFactor: 1, tFrozen: true });
  // frozen while step < 0.2 · 10
  expect(schedules(ctx, { step: 1, trainStep: null }).tFrozen).toBe(true);
  expect(schedules(ctx, { step: 2, trainStep: null }).tFrozen).toBe(false);
  const frozen = stepContext({
    explore: { starts: [0.3, 0.6], steps: 10, freezeCouplings: true },
    candidate: { chains: 8 },
    optimizer,
  });
  expect(schedules(frozen, { step: 9, trainStep: null }).tFrozen).toBe(true);
});

test("training: τ = τ0 (τ1/τ0)^min(1, f/fτ), the rate 1 then linear to its final factor", () => {
  const ctx = stepContext({
    explore: { starts: [0.3, 0.6], steps: 10 },
    candidate: { chains: 8 },
    optimizer,
    observable,
  });
  const at = (trainStep: number) => schedules(ctx, { step: 10 + trainStep, trainStep });
  // f = 0: τ0; f = 0.25: half-way in log τ, √(τ0 τ1) = 0.2; from f = 0.5 on: τ1
  expect(at(0).tau).toBeCloseTo(2, 12);
  expect(at(25).tau).toBeCloseTo(0.2, 12);
  expect(at(50).tau).toBeCloseTo(0.02, 12);
  expect(at(90).tau).toBeCloseTo(0.02, 12);
  // rate: 1 up to f = 0.5, then 1 − 0.9 (f − 0.5)/0.5
  expect(at(49).lrFactor).toBe(1);
  expect(at(50).lrFactor).toBeCloseTo(1, 12);
  expect(at(75).lrFactor).toBeCloseTo(0.55, 12);
  expect(at(100).lrFactor).toBeCloseTo(0.1, 12);
  // after an exploration, t is never frozen in training
  expect(at(0).tFrozen).toBe(false);
});

test("training without exploration freezes t for the first fraction of the steps", () => {
  const ctx = stepContext({ explore: { starts: [0.5], steps: 10 }, optimizer, observable });
  expect(schedules(ctx, { step: 19, trainStep: 19 }).tFrozen).toBe(true);
  expect(schedules(ctx, { step: 20, trainStep: 20 }).tFrozen).toBe(false);
  // no exploration steps either: the same
  const none = stepContext({
    explore: { starts: [0.3, 0.6], steps: 0 },
    candidate: { chains: 8 },
    optimizer,
  });
  expect(schedules(none, { step: 0, trainStep: 0 }).tFrozen).toBe(true);
});

test("no annealing fraction: τ at its end from the start; decay from 1: the rate stays 1", () => {
  const ctx = stepContext({
    optimizer: { ...optimizer, decayStart: 1 },
    observable: { ...observable, tauAnnealFraction: 0 },
  });
  expect(schedules(ctx, { step: 0, trainStep: 0 }).tau).toBeCloseTo(0.02, 12);
  expect(schedules(ctx, { step: 100, trainStep: 100 }).lrFactor).toBe(1);
});

test("initial state in the exact mode: t from the start and the configured initial couplings", () => {
  const ctx = stepContext({ candidate: { init: { nn: 0.5, plaquette: 0.1, nnn: -0.2, field: 0 } } });
  const K = ctx.slots.length;
  const g0 = ofRule(initGroup(ctx, 0.7, 0), "exact");
  // the exact rule's fields only
  expect(Object.keys(g0).sort()).toEqual([
    "gramAvg",
    "heads",
    "logitState",
    "logits",
    "memory",
    "rule",
    "slotLoss",
    "slotLossUnbiased",
    "t",
    "tAdam",
  ]);
  expect(g0.t).toEqual([0.7, 0.1, -0.2, 0]);
  expect(g0.tAdam).toEqual({ m: [0, 0, 0, 0], v: [0, 0, 0, 0], n: 0 });
  expect(g0.heads).toEqual(Array(K).fill(null));
  expect(g0.slotLoss).toEqual(Array(K).fill(Number.POSITIVE_INFINITY));
  expect(g0.slotLossUnbiased).toEqual(Array(K).fill(Number.POSITIVE_INFINITY));
  expect(g0.gramAvg).toBeNull();
  expect(g0.memory).toEqual([]);
  expect(g0.logitState.step).toBe(0);
  const logits = Array.from(g0.logits.toFloat64Array());
  expect(logits).toHaveLength(K);
  // N(0, 0.1²) logits: not all zero, none beyond 5 standard deviations
  expect(logits.some((v) => v !== 0)).toBe(true);
  for (const v of logits) expect(Math.abs(v)).toBeLessThan(0.5);
  // same group, same logits; another group, other logits
  const logitsOf = (g: number) => Array.from(ofRule(initGroup(ctx, 0.7, g), "exact").logits.toFloat64Array());
  expect(logitsOf(0)).toEqual(logits);
  expect(logitsOf(1)).not.toEqual(logits);
  // the spread scales with logitInitStd
  const wide = ofRule(initGroup(stepContext({ observable: { logitInitStd: 10 } }), 0.7, 0), "exact");
  expect(Array.from(wide.logits.toFloat64Array()).map((v) => v / 100)).toEqual(
    logits.map((v) => expect.closeTo(v, 12)),
  );
});

test("initial state in the gumbel and mlp modes: the parameters and their optimiser state", () => {
  const gumbel = ofRule(
    initGroup(stepContext({ observable: { mode: "gumbel", theta2Init: -0.3, theta3Init: 0.8 } }), 1, 0),
    "gumbel",
  );
  expect(Object.keys(gumbel).sort()).toEqual(["paramState", "params", "rule", "t", "tAdam"]);
  expect(Array.from(gumbel.params.theta.toFloat64Array())).toEqual([-0.3, 0.8]);
  // the logits are drawn as the exact rule's
  const exact = ofRule(initGroup(stepContext(), 1, 0), "exact");
  expect(Array.from(gumbel.params.logits.toFloat64Array())).toEqual(
    Array.from(exact.logits.toFloat64Array()),
  );
  expect(gumbel.paramState.step).toBe(0);
  expect(gumbel.paramState.m.map((m) => Array.from(m))).toEqual([Array(7).fill(0), [0, 0]]);
  const mlpCtx = stepContext({ observable: { kind: "mlp", hidden: [3] } });
  const mlp = ofRule(initGroup(mlpCtx, 1, 0), "mlp");
  expect(Object.keys(mlp).sort()).toEqual(["mlpSign", "paramState", "params", "rule", "t", "tAdam"]);
  expect(mlp.mlpSign).toBe(1);
  // layers [7, 3, 1]: weights and biases of two layers
  expect(mlp.params.map((l) => [l.w.shape, l.b?.shape])).toEqual([
    [[7, 3], [3]],
    [[3, 1], [1]],
  ]);
  expect(mlp.paramState.m.map((m) => m.length)).toEqual([21, 3, 3, 1]);
});
