// What one tiny run (2 starts, 4 exploration + 5 training steps) reports, against truths taken
// from its own metrics lines and written files by the documented rules, not by the learner's
// code: the frozen exploration couplings, the start choice (least pooled tail loss), tail means
// and standard errors, the target's error share √(w Σ wᵀ), the sweep count of every checkpoint,
// the log lines, and the attention sums per slot class.
import { afterAll, beforeAll, expect, test } from "vitest";
import {
  mean,
  type Recorded,
  removeRunDirs,
  standardError,
  TINY,
  tinyRun,
} from "../../test/learner-fixture.js";
import { stepContext } from "../../test/steps-fixture.js";
import type { DualityConfigInput } from "../config.js";
import { candidateSlots } from "../model/window.js";
import { candidateErrors } from "./candidate-noise.js";
import { restoreGroup } from "./group-checkpoint.js";
import { fitSensitivity, targetSensitivity } from "./target-sensitivity.js";

const starts = [0.3, 0.6];
// sweepsPerStep 3 measured every 2 sweeps: ⌊3/2⌋ = 1 sample per chain and step.
const input: DualityConfigInput = {
  ...TINY,
  candidate: { chains: 8, warmupSweeps: 10, sweepsPerStep: 3, every: 2 },
  explore: { starts, steps: 4 },
  // 0.7 × 5 = 3.5 steps: the mean is over the last 4
  optimizer: { steps: 5, averageFraction: 0.7 },
  checkpointEvery: 3,
};

let r: Recorded;
beforeAll(async () => {
  r = await tinyRun(input);
});
afterAll(removeRunDirs);

test("exploration: the starts' couplings stay frozen and the leading start is the least loss", () => {
  const explore = r.metrics.slice(0, 4);
  // every start's own t_nn, the last exploration step's too
  for (const m of explore) expect(m.starts?.map((s) => s.t0)).toEqual(starts);
  for (const m of explore.slice(0, 3)) {
    const losses = (m.starts ?? []).map((s) => s.loss);
    expect(m.t).toEqual([starts[losses.indexOf(Math.min(...losses))], 0, 0, 0]);
  }
  // at the end of exploration the leading group is the one kept
  expect(explore[3].t[0]).toBe(r.result.exploration?.chosen);
  expect(r.metrics.slice(4).every((m) => m.phase === "train" && m.attempt === 0)).toBe(true);
});

test("the start kept: the least pooled loss over the second half of exploration, with its scores", () => {
  const tail = r.metrics.slice(2, 4);
  const losses = starts.map((_, g) => mean(tail.map((m) => m.starts?.[g].loss as number)));
  const pooled = starts.map((_, g) => mean(tail.map((m) => m.starts?.[g].lossPooled as number)));
  const e = r.result.exploration;
  expect(e?.starts).toEqual(starts);
  for (let g = 0; g < 2; g++) {
    expect(e?.losses[g]).toBeCloseTo(losses[g], 14);
    expect(e?.lossesWithNoise[g]).toBeCloseTo(pooled[g], 14);
  }
  // fewer than 4 steps in the tail: no error bar
  expect(e?.lossErrors).toEqual([0, 0]);
  // no error bars, so no ties: the least upper bound max(pooled, 0) wins
  expect(pooled[0]).not.toBe(pooled[1]);
  const best = Math.max(pooled[0], 0) < Math.max(pooled[1], 0) ? 0 : 1;
  expect(e?.chosen).toBe(starts[best]);
  expect(e?.why).toBe(`keeping start ${starts[best]}: lowest loss with sampling noise included`);
  const line = r.logs.find((l) => l.startsWith("exploration (loss: split-half estimate"));
  const fmt = (g: number) =>
    `t0 ${starts[g]} (loss ${losses[g].toExponential(2)} [${pooled[g].toExponential(2)}])`;
  expect(line).toBe(
    "exploration (loss: split-half estimate, unbiased, so it can be negative; in brackets the loss " +
      `with sampling noise included, which ranks the starts): ${fmt(0)}, ${fmt(1)}; ${e?.why}`,
  );
});

test("the learned couplings, final loss and their errors are the tail's means and standard errors", () => {
  const tail = r.metrics.slice(-4);
  const t0s = tail.map((m) => m.t[0]);
  const res = r.result;
  expect(res.t0).toBeCloseTo(mean(t0s), 14);
  expect(res.learned).toEqual({ nn: res.t0, plaquette: 0, nnn: 0, field: 0 });
  expect(res.theta2).toBeCloseTo(mean(tail.map((m) => m.theta[0])), 14);
  expect(res.theta3).toBeCloseTo(mean(tail.map((m) => m.theta[1])), 14);
  expect(res.finalLoss).toBeCloseTo(mean(tail.map((m) => m.lossUnbiased)), 14);
  expect(res.finalLossError).toBeCloseTo(standardError(tail.map((m) => m.lossUnbiased)), 14);
  const training = standardError(t0s);
  expect(res.t0ErrorParts.training).toBeCloseTo(training, 14);
  // the target's share: √(w Σ wᵀ) with w the fit's sensitivity at the final state (the last
  // checkpoint) and Σ the covariance of the target means in target.json
  const last = r.checkpoints[r.checkpoints.length - 1];
  expect(last.step).toBe(9);
  const ctx = stepContext(input, r.target.mean);
  const group = restoreGroup(ctx, last.groups[0]);
  const w = targetSensitivity(ctx, group) as Float64Array;
  const cov = r.target.covariance as number[][];
  const A = r.target.mean.length;
  let v = 0;
  for (let a = 0; a < A; a++) for (let b = 0; b < A; b++) v += w[a] * cov[a][b] * w[b];
  expect(v).toBeGreaterThan(0);
  expect(res.t0ErrorParts.target).toBeCloseTo(Math.sqrt(v), 12);
  // the candidate chains' share, from the same final state and the 4-step tail
  const candidate = (candidateErrors(ctx, fitSensitivity(ctx, group), 4) as number[])[0];
  expect(candidate).toBeGreaterThan(0);
  expect(res.t0ErrorParts.candidate).toBeCloseTo(candidate, 12);
  expect(res.t0Error).toBeCloseTo(Math.hypot(training, Math.sqrt(v), candidate), 12);
  expect(res.learnedError).toEqual({ nn: res.t0Error, plaquette: 0, nnn: 0, field: 0 });
  expect(res.t0ErrorUnavailable).toBeUndefined();
  expect(res.image).toBe("ferro");
  expect([res.steps, res.samplesPerStep]).toEqual([9, 8]);
  // per-chain couplings during exploration need the int kernel
  expect(res.kernel).toBe("int");
});

test("a checkpoint at every third step, at the end of exploration and at the end, with the sweeps done", () => {
  expect(r.checkpoints.map((c) => c.step)).toEqual([3, 4, 6, 9]);
  // sweeps: 10 warm-up, 3 a step, and 20 (at least) when the kept start's state is copied to every chain
  expect(r.checkpoints.map((c) => c.sweepCount)).toEqual([10 + 9, 10 + 12 + 20, 10 + 18 + 20, 10 + 27 + 20]);
  const chosen = starts.indexOf(r.result.exploration?.chosen as number);
  for (const c of r.checkpoints) {
    expect(c.version).toBe(2);
    const explored = Math.min(c.step, 4);
    expect(c.chosen).toBe(c.step < 4 ? -1 : chosen);
    expect(c.tried).toEqual(c.step < 4 ? [] : [chosen]);
    expect([c.attempt, c.failedAttempts]).toEqual([0, []]);
    expect(c.groups).toHaveLength(c.step < 4 ? 2 : 1);
    expect(c.elapsedMs).toBe(r.metrics[c.step - 1].elapsedMs);
    // 8 chains of 16 spins, one byte each
    expect(Buffer.from(c.spins, "base64")).toHaveLength(128);
    for (let g = 0; g < 2; g++) {
      expect(c.exploreLosses[g]).toEqual(r.metrics.slice(0, explored).map((m) => m.starts?.[g].loss));
      expect(c.explorePooled?.[g]).toEqual(r.metrics.slice(0, explored).map((m) => m.starts?.[g].lossPooled));
      expect(c.exploreVarS?.[g]).toHaveLength(explored);
      for (const v of c.exploreVarS?.[g] ?? []) expect(v).toBeGreaterThanOrEqual(0);
    }
  }
  // the state of every start at the end of exploration, kept for retries
  const end = r.json["exploration.json"] as { groups: unknown[]; spins: string; sweepCount: number };
  expect(end.groups).toHaveLength(2);
  expect(end.sweepCount).toBe(10 + 12);
  expect(Buffer.from(end.spins, "base64")).toHaveLength(128);
  expect(r.truncations).toEqual([0]);
});

test("the hooks see every step with the total, the log lines in order, the times add up", () => {
  expect(r.steps.map((s) => s.m)).toEqual(r.metrics);
  expect(r.steps.every((s) => s.total === 9)).toBe(true);
  const errs = r.target.error;
  expect(r.logs[0]).toBe(
    `target: 8×4 samples at β=0.35 (torus summed over its 4 boundary twists) in ${(r.target.wallTimeMs / 1000).toFixed(1)} s ` +
      `(largest error ${Math.max(...errs).toExponential(1)})`,
  );
  expect(r.logs[1]).toMatch(/^exploration \(loss/);
  expect(r.logs.slice(2)).toEqual(
    r.result.validation.passed ? [] : [`validation failed: ${r.result.validation.failures.join("; ")}`],
  );
  expect(r.result.targetSeconds).toBe(r.target.wallTimeMs / 1000);
  // the run's wall time holds the target's and every step's (ms rounding aside)
  const lastElapsed = r.metrics[r.metrics.length - 1].elapsedMs;
  expect(r.result.seconds * 1000).toBeGreaterThanOrEqual(r.target.wallTimeMs + lastElapsed - 2);
  // and no more than the call took
  expect(r.result.seconds * 1000).toBeLessThanOrEqual(r.wallMs + 1e-6);
  for (const c of r.checkpoints) expect(c.elapsedMs).toBeLessThanOrEqual(r.wallMs);
  expect(r.json["result.json"]).toBeUndefined();
});

test("the attention report: the weights summed by kind and by the diagonal class of each slot", () => {
  const slots = candidateSlots(1);
  const a = r.result.attention;
  expect(a.slots).toEqual(slots.map((s) => s.name));
  expect(a.kinds).toEqual(slots.map((s) => s.kind));
  const sum = (f: (k: number) => boolean) => a.weights.reduce((s, w, k) => s + (f(k) ? w : 0), 0);
  expect(a.byDiagonal.diagonal).toBeCloseTo(
    sum((k) => slots[k].diagonal === "diagonal"),
    14,
  );
  expect(a.byDiagonal.antiDiagonal).toBeCloseTo(
    sum((k) => slots[k].diagonal === "anti-diagonal"),
    14,
  );
  expect(a.byDiagonal.axis).toBeCloseTo(
    sum((k) => slots[k].diagonal === "axis"),
    14,
  );
  for (const kind of new Set(a.kinds))
    expect(a.byKind[kind]).toBeCloseTo(
      sum((k) => slots[k].kind === kind),
      14,
    );
  expect(Object.keys(a.byKind).sort()).toEqual([...new Set(a.kinds)].sort());
  const top = a.weights.indexOf(Math.max(...a.weights));
  expect(a.chosen).toEqual({
    slot: top,
    name: slots[top].name,
    kind: slots[top].kind,
    weight: a.weights[top],
  });
  const p = a.weights;
  expect(a.entropy).toBeCloseTo(-p.reduce((s, v) => s + v * Math.log(v), 0), 14);
});
