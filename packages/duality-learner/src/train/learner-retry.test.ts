// Failed validations on a tiny run with three starts: the retries take the starts in the
// documented order (the kept one, then by increasing max(pooled tail loss, 0)), each training
// is averaged over its own steps only, the result is the training with the least χ²/dof and the
// others are summarised in `failedAttempts`; a run stopped during exploration or during a retry
// and resumed ends as the uninterrupted run; a validation that passes ends the run.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setCheckpointSeconds } from "@physml/runs/testing";
import { afterAll, beforeAll, expect, test } from "vitest";
import { mean, type Recorded, removeRunDirs, TINY, tinyRun } from "../../test/learner-fixture.js";
import { attemptWithOldNames, resultWithOldNames } from "../../test/old-field-names.js";
import type { DualityConfigInput } from "../config.js";
import type { DualityResult } from "./result.js";

const starts = [0.2, 0.4, 0.6];
const input: DualityConfigInput = {
  ...TINY,
  seed: 2,
  candidate: { ...TINY.candidate, chains: 12 },
  explore: { starts, steps: 4 },
  // every training step in the averages (a resumed run must rebuild them from its own attempt)
  optimizer: { steps: 3, averageFraction: 1 },
  // limits this tight fail every training of this seed
  validation: { retries: 2, maxChi2PerDof: 1, maxPull: 1 },
  checkpointEvery: 2,
};

let r: Recorded;
let attempts: DualityResult[];
beforeAll(async () => {
  r = await tinyRun(input);
  attempts = [
    r.json["result-attempt-0.json"] as DualityResult,
    r.json["result-attempt-1.json"] as DualityResult,
  ];
});
afterAll(removeRunDirs);

test("every training fails here and each start is trained once, in the documented order", () => {
  for (const a of attempts) expect(a.validation.passed).toBe(false);
  expect(r.result.validation.passed).toBe(false);
  // 4 exploration steps, then 3 trainings of 3 steps
  expect(r.metrics.map((m) => m.step)).toEqual([...Array(13).keys()]);
  expect(r.metrics.map((m) => m.attempt)).toEqual([
    undefined,
    undefined,
    undefined,
    undefined,
    0,
    0,
    0,
    1,
    1,
    1,
    2,
    2,
    2,
  ]);
  // the total announced grows by one training at each retry
  expect(r.steps.map((s) => s.total)).toEqual([7, 7, 7, 7, 7, 7, 7, 10, 10, 10, 13, 13, 13]);
  // the retries' order: the kept start, then by increasing max(pooled tail loss, 0)
  const pooled = starts.map((_, g) =>
    mean(r.metrics.slice(2, 4).map((m) => m.starts?.[g].lossPooled as number)),
  );
  const first = starts.indexOf(attempts[0].exploration?.chosen as number);
  const rest = [0, 1, 2]
    .filter((g) => g !== first)
    .sort((a, b) => Math.max(pooled[a], 0) - Math.max(pooled[b], 0));
  const order = [first, ...rest];
  expect(attempts[1].exploration?.chosen).toBe(starts[order[1]]);
  expect(attempts[1].exploration?.why).toBe(
    `training from start ${starts[first]} failed validation; retried from start ${starts[order[1]]}`,
  );
  // each retry starts from its start's state at the end of exploration: t frozen there
  expect(r.metrics[3].t[0]).toBe(starts[first]);
  const logs = r.logs.filter((l) => l.includes("training again from the next exploration start"));
  expect(logs).toEqual([
    `validation failed (${attempts[0].validation.failures.join("; ")}); training again from the next exploration start, t0 = ${starts[order[1]]}`,
    `validation failed (${attempts[1].validation.failures.join("; ")}); training again from the next exploration start, t0 = ${starts[order[2]]}`,
  ]);
  // checkpoints at the retries' starts record the attempt, the starts tried and the failures
  const at = (step: number) => r.checkpoints.filter((c) => c.step === step).at(-1);
  expect([at(7)?.attempt, at(7)?.tried, at(7)?.chosen]).toEqual([1, order.slice(0, 2), order[1]]);
  expect([at(10)?.attempt, at(10)?.tried, at(10)?.chosen]).toEqual([2, order, order[2]]);
  expect(at(10)?.failedAttempts).toHaveLength(2);
  expect(at(13)?.step).toBe(13);
  // a checkpoint's time is that of its step's metrics line (the retries' too), within the call's
  for (const c of r.checkpoints) {
    expect(c.elapsedMs).toBeGreaterThanOrEqual(r.metrics[c.step - 1].elapsedMs);
    expect(c.elapsedMs).toBeLessThanOrEqual(r.wallMs);
  }
});

test("each training's result averages its own steps only, on the schedule of its own steps", () => {
  // τ and the learning-rate factor follow the training step within the attempt:
  // f = (step − 4 − 3·attempt)/3, factor 1 before f = ½ then linear to 0.1 at f = 1, τ = 0.1^min(1, 2f)
  for (const m of r.metrics) {
    if (m.phase === "explore") {
      expect([m.tau, m.lrFactor]).toEqual([1, 1]);
      continue;
    }
    const f = (m.step - 4 - 3 * (m.attempt as number)) / 3;
    expect(m.lrFactor).toBeCloseTo(f < 0.5 ? 1 : 1 - (0.9 * (f - 0.5)) / 0.5, 14);
    expect(m.tau).toBeCloseTo(0.1 ** Math.min(1, 2 * f), 14);
  }
  const own = (k: number) => r.metrics.filter((m) => m.attempt === k);
  expect(attempts[0].t0).toBeCloseTo(mean(own(0).map((m) => m.t[0])), 14);
  expect(attempts[1].t0).toBeCloseTo(mean(own(1).map((m) => m.t[0])), 14);
  expect(attempts[0].steps).toBe(7);
  expect(attempts[1].steps).toBe(10);
  expect(attempts[0].failedAttempts).toEqual([]);
  expect(attempts[1].failedAttempts).toHaveLength(1);
});

test("the result is the training with the least χ²/dof; the others are summarised in order", () => {
  const summary = (a: DualityResult) => ({
    start: a.exploration?.chosen,
    t0: a.t0,
    relativeError: a.relativeError,
    chi2PerDof: a.validation.chi2PerDof,
    failures: a.validation.failures,
  });
  const [f0, f2] = r.result.failedAttempts;
  expect(r.result.failedAttempts).toHaveLength(2);
  // this seed's best is the middle training (attempt 1): neither the first nor the last
  expect(attempts[1].validation.chi2PerDof).toBeLessThan(attempts[0].validation.chi2PerDof);
  expect(attempts[1].validation.chi2PerDof).toBeLessThan(f2.chi2PerDof);
  expect({ ...r.result, failedAttempts: [] }).toEqual({ ...attempts[1], failedAttempts: [] });
  // the second training's own file lists the first as failed
  expect(attempts[1].failedAttempts).toEqual([summary(attempts[0])]);
  expect(f0).toEqual(summary(attempts[0]));
  // the last training: the third start, averaged over its own tail
  const third = r.metrics.filter((m) => m.attempt === 2);
  expect(f2.t0).toBeCloseTo(mean(third.map((m) => m.t[0])), 14);
  expect(f2.start).not.toBe(f0.start);
  expect(f2.start).not.toBe(attempts[1].exploration?.chosen);
  const dual = -0.5 * Math.log(Math.tanh(0.35));
  expect(f2.relativeError).toBeCloseTo((Math.abs(f2.t0) - dual) / dual, 14);
  expect(f2.failures.length).toBeGreaterThan(0);
  // a retry's start is not compared with the best start (only its own loss is checked): the
  // second training's start has more than twice the best pooled loss, and no reason says so
  const pooled = starts.map((_, g) =>
    mean(r.metrics.slice(2, 4).map((m) => m.starts?.[g].lossPooled as number)),
  );
  const g1 = starts.indexOf(attempts[1].exploration?.chosen as number);
  expect(pooled[g1]).toBeGreaterThan(2 * Math.min(...pooled));
  expect(attempts[1].validation.failures.some((x) => x.startsWith("exploration kept"))).toBe(false);
  // each failed validation is logged with all its failures
  expect(attempts[0].validation.failures.length).toBeGreaterThan(1);
  expect(r.logs).toContain(`validation failed: ${attempts[0].validation.failures.join("; ")}`);
  expect(r.result.validation.passed).toBe(false);
});

test.each([2, 9])(
  "a run stopped in step %i's hook and resumed ends as the uninterrupted run",
  async (stopAt) => {
    const first = await tinyRun(input, { stopAt });
    const resumed = await tinyRun(input, { dir: first.dir });
    const newest = first.checkpoints.filter((c) => c.step <= stopAt + 1).at(-1)?.step;
    expect(resumed.logs).toContain(`resumed at step ${newest}/${(newest as number) <= 7 ? 7 : 10}`);
    expect(resumed.truncations).toEqual([newest]);
    const strip = (m: { elapsedMs: number }) => ({ ...m, elapsedMs: 0 });
    expect(resumed.metrics.map(strip)).toEqual(r.metrics.map(strip));
    // the clock goes on from the checkpoint's time
    const before = first.metrics[(newest as number) - 1].elapsedMs;
    for (const m of resumed.metrics.slice(newest)) expect(m.elapsedMs).toBeGreaterThanOrEqual(before);
    expect(resumed.result.seconds * 1000).toBeGreaterThanOrEqual(before);
    const same = (x: DualityResult) => ({
      ...x,
      seconds: 0,
      targetSeconds: 0,
      validation: { ...x.validation, seconds: 0 },
    });
    expect(same(resumed.result)).toEqual(same(r.result));
  },
);

test("a resumed run's seconds count the stopped process's up to its last checkpoint, target measurement included", async () => {
  const first = await tinyRun(input, { stopAt: 9 });
  // as a process that worked 1000 s before its last checkpoint leaves it
  setCheckpointSeconds(first.dir, 1000);
  const resumed = await tinyRun(input, { dir: first.dir });
  expect(resumed.result.seconds).toBeGreaterThanOrEqual(1000);
  expect(resumed.result.seconds).toBeLessThan(1000 + resumed.wallMs / 1000 + 1);
  expect(resumed.result.targetSeconds).toBeLessThanOrEqual(resumed.result.seconds);
});

test("a run stopped before its first checkpoint counts the target it measured when resumed", async () => {
  const first = await tinyRun(input, { stopAt: 0 });
  expect(first.checkpoints).toEqual([]);
  // as a process that spent 1000 s measuring the target leaves target.json
  const file = join(first.dir, "target.json");
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, "utf8")), wallTimeMs: 1e6 }));
  const resumed = await tinyRun(input, { dir: first.dir });
  expect(resumed.result.targetSeconds).toBe(1000);
  expect(resumed.result.seconds).toBeGreaterThanOrEqual(1000);
  expect(resumed.result.seconds).toBeLessThan(1000 + resumed.wallMs / 1000 + 1);
});

test("failed attempts stored before `reasons`/`limits` were renamed `failures`/`targets` resume under the new names", async () => {
  // stopped in the third training: the first two are read back from result-attempt-<k>.json
  const first = await tinyRun(input, { stopAt: 11 });
  for (const k of [0, 1]) {
    const file = join(first.dir, `result-attempt-${k}.json`);
    writeFileSync(file, JSON.stringify(resultWithOldNames(JSON.parse(readFileSync(file, "utf8")))));
  }
  const resumed = await tinyRun(input, { dir: first.dir });
  expect(resumed.logs).toContain("resumed at step 12/13");
  const same = (x: DualityResult) => ({
    ...x,
    seconds: 0,
    targetSeconds: 0,
    validation: { ...x.validation, seconds: 0 },
  });
  // the result is the second training, read back from its old file
  expect(same(resumed.result)).toEqual(same(r.result));
  expect(resumed.result.validation.failures.length).toBeGreaterThan(0);
});

test("a checkpoint whose failed attempts say `reasons` resumes into a result whose failedAttempts say `failures`", async () => {
  // seed 4 with the default limits: the first training fails, the second passes (see below)
  const passing = { ...input, seed: 4, validation: { retries: 2 } };
  const whole = await tinyRun(passing);
  expect(whole.result.validation.passed).toBe(true);
  const first = await tinyRun(passing, { stopAt: 8 });
  const dir = join(first.dir, "checkpoint");
  const file = join(dir, readdirSync(dir).sort().at(-1) as string);
  const stored = JSON.parse(readFileSync(file, "utf8"));
  expect(stored.state.failedAttempts).toHaveLength(1);
  stored.state.failedAttempts = stored.state.failedAttempts.map(attemptWithOldNames);
  writeFileSync(file, JSON.stringify(stored));
  const resumed = await tinyRun(passing, { dir: first.dir });
  expect(resumed.logs).toContain(`resumed at step ${stored.state.step}/10`);
  expect(resumed.result.failedAttempts).toEqual(whole.result.failedAttempts);
  expect(resumed.result.failedAttempts[0].failures.length).toBeGreaterThan(0);
});

test("a checkpoint of an older version (no pooled losses, Var S, attempt, starts tried or failures) resumes", async () => {
  const first = await tinyRun(input, { stopAt: 5 });
  const dir = join(first.dir, "checkpoint");
  const file = join(dir, readdirSync(dir).sort().at(-1) as string);
  const stored = JSON.parse(readFileSync(file, "utf8"));
  expect(stored.state.step).toBe(6);
  for (const k of ["exploreVarS", "explorePooled", "attempt", "tried", "failedAttempts"])
    delete stored.state[k];
  writeFileSync(file, JSON.stringify(stored));
  const resumed = await tinyRun(input, { dir: first.dir });
  expect(resumed.logs).toContain("resumed at step 6/7");
  // the first training goes on as before; the retries take the remaining starts in turn
  const strip = (m: { elapsedMs: number }) => ({ ...m, elapsedMs: 0 });
  expect(resumed.metrics.map(strip)).toEqual(r.metrics.map(strip));
  const a0 = resumed.json["result-attempt-0.json"] as DualityResult;
  expect(a0.t0).toBe(attempts[0].t0);
  expect(a0.failedAttempts).toEqual([]);
  // without pooled losses the scores fall back to the unbiased ones
  expect(a0.exploration?.lossesWithNoise).toEqual(a0.exploration?.losses);
  expect(a0.exploration?.losses).toEqual(attempts[0].exploration?.losses);
  const a1 = resumed.json["result-attempt-1.json"] as DualityResult;
  expect(a1.failedAttempts.map((f) => f.t0)).toEqual([attempts[0].t0]);
  expect(resumed.result.failedAttempts).toHaveLength(2);
  // the texts name the starts actually trained from, whichever way the unbiased losses rank them
  const kept = a0.exploration?.chosen;
  expect(kept).toBe(attempts[0].exploration?.chosen);
  expect(a0.exploration?.why).toMatch(new RegExp(`^keeping start ${kept}: `));
  expect(a1.exploration?.why).toBe(
    `training from start ${kept} failed validation; retried from start ${a1.exploration?.chosen}`,
  );
  expect(a1.exploration?.chosen).not.toBe(kept);
});

test("one retry only: two trainings, the first two starts", async () => {
  const once = await tinyRun({ ...input, validation: { retries: 1 } });
  expect(once.result.steps).toBe(10);
  expect(once.result.failedAttempts).toHaveLength(1);
  expect(once.result.t0).toBe(attempts[1].t0);
  expect(once.result.failedAttempts[0].t0).toBe(attempts[0].t0);
  expect(once.metrics).toHaveLength(10);
});

test("a retry that passes is the result, with the failed training in failedAttempts", async () => {
  // seed 4 with the default limits: the first training fails, the second passes
  const ok = await tinyRun({ ...input, seed: 4, validation: { retries: 2 } });
  const first = ok.json["result-attempt-0.json"] as DualityResult;
  expect(first.validation.passed).toBe(false);
  expect(ok.result.validation.passed).toBe(true);
  expect(ok.result.steps).toBe(10);
  expect(ok.metrics).toHaveLength(10);
  expect(ok.result.failedAttempts).toEqual([
    {
      start: first.exploration?.chosen,
      t0: first.t0,
      relativeError: first.relativeError,
      chi2PerDof: first.validation.chi2PerDof,
      failures: first.validation.failures,
    },
  ]);
  expect(ok.result.exploration?.why).toBe(
    `training from start ${first.exploration?.chosen} failed validation; retried from start ${ok.result.exploration?.chosen}`,
  );
});

test("a validation that passes ends the run: no retry", async () => {
  // the MLP map has no attention check; limits this wide pass any χ²
  const ok = await tinyRun({
    ...input,
    observable: { kind: "mlp" },
    validation: { retries: 2, maxChi2PerDof: 1e6, maxPull: 1e6 },
  });
  expect(ok.result.validation).toMatchObject({ passed: true, failures: [] });
  expect(ok.result.steps).toBe(7);
  expect(ok.result.failedAttempts).toEqual([]);
  expect(ok.json["result-attempt-0.json"]).toBeUndefined();
  expect(ok.logs.some((l) => l.startsWith("validation failed"))).toBe(false);
});
