// The learner's loop on a tiny problem (4×4 torus, 8 chains, 2 starts, a few steps): one metrics
// line per step in order, the result's fields as the documented averages and closed forms
// (β̃ = −½ ln tanh β, θ2 = −sinh 2β̃, θ3 = cosh 2β̃), and a run stopped after a checkpoint and
// resumed ends exactly where the uninterrupted run ends.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openRun, provenanceOf } from "@physml/runs";
import { afterAll, beforeAll, expect, test } from "vitest";
import { FIXTURE_SHAPES } from "../../test/steps-fixture.js";
import { type DualityConfigInput, resolveConfig } from "../config.js";
import { learnDuality } from "./learner.js";
import type { DualityResult, StepMetrics } from "./result.js";

const beta = 0.35;
const input: DualityConfigInput = {
  beta,
  L: 4,
  seed: 4,
  backend: "cpu",
  shapes: FIXTURE_SHAPES,
  target: { chains: 8, samples: 20, warmupSweeps: 20, every: 2 },
  candidate: { chains: 8, warmupSweeps: 10, sweepsPerStep: 2, every: 1 },
  explore: { starts: [0.3, 0.6], steps: 4, freezeCouplings: false },
  optimizer: { steps: 6, averageFraction: 0.5 },
  validation: { retries: 0 },
  checkpointEvery: 3,
};

const dirs: string[] = [];
const freshDir = () => {
  const d = mkdtempSync(join(tmpdir(), "learner-contract-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const open = (dir: string, mode: "new" | "resume") =>
  openRun({
    dir,
    kind: "duality-test",
    input,
    resolve: (i) => resolveConfig(i as DualityConfigInput),
    mode,
    provenance: provenanceOf(import.meta.url),
  });

let full: DualityResult;
let fullMetrics: StepMetrics[];
const hooked: { step: number; total: number }[] = [];
const logs: string[] = [];
beforeAll(async () => {
  const run = open(freshDir(), "new");
  full = await learnDuality(input, {
    run,
    hooks: { onStep: (m, total) => hooked.push({ step: m.step, total }), log: (l) => logs.push(l) },
  });
  fullMetrics = run.readMetricNumbers<StepMetrics>();
  run.close();
});

test("one metrics line per step: exploration with every start, then training", () => {
  expect(fullMetrics.map((m) => m.step)).toEqual([...Array(10).keys()]);
  expect(hooked).toEqual(fullMetrics.map((m) => ({ step: m.step, total: 10 })));
  for (const m of fullMetrics.slice(0, 4)) {
    expect(m.phase).toBe("explore");
    expect(m.starts?.map((s) => s.t0)).toHaveLength(2);
    expect(m.attempt).toBeUndefined();
  }
  // the line follows the leading start, whose loss is bounded by the starts' objectives, until
  // the step that ends exploration, which is the kept start's
  for (const m of fullMetrics.slice(0, 3))
    expect(m.lossUnbiased).toBeLessThanOrEqual(Math.max(...(m.starts ?? []).map((s) => s.loss)));
  const endOfExploration = fullMetrics[3];
  const kept = endOfExploration.starts?.find((s) => s.t0 === endOfExploration.t[0]);
  expect(kept).toBeDefined();
  expect(fullMetrics[4].t[0]).toBe(endOfExploration.t[0]);
  for (const m of fullMetrics.slice(4)) {
    expect(m.phase).toBe("train");
    expect(m.attempt).toBe(0);
    expect(m.starts).toBeUndefined();
    expect(m.attention.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  }
  for (let i = 1; i < fullMetrics.length; i++)
    expect(fullMetrics[i].elapsedMs).toBeGreaterThanOrEqual(fullMetrics[i - 1].elapsedMs);
  expect(
    logs.some((l) =>
      l.startsWith("target: 8×20 samples at β=0.35 (torus summed over its 4 boundary twists)"),
    ),
  ).toBe(true);
  expect(logs.some((l) => l.startsWith("exploration (loss: split-half estimate"))).toBe(true);
});

test("the result: tail averages of the training metrics and the exact Kramers–Wannier values", () => {
  const train = fullMetrics.filter((m) => m.phase === "train");
  // averageFraction 0.5 of 6 steps: the last 3
  const tail = train.slice(-3);
  const mean = (f: (m: StepMetrics) => number) => tail.reduce((a, m) => a + f(m), 0) / tail.length;
  expect(full.t0).toBeCloseTo(
    mean((m) => m.t[0]),
    12,
  );
  expect(full.learned.nn).toBe(full.t0);
  expect(full.learned.plaquette).toBe(0);
  expect(full.learnedError.plaquette).toBe(0);
  expect(full.theta2).toBeCloseTo(
    mean((m) => m.theta[0]),
    12,
  );
  expect(full.theta3).toBeCloseTo(
    mean((m) => m.theta[1]),
    12,
  );
  expect(full.finalLoss).toBeCloseTo(
    mean((m) => m.lossUnbiased),
    12,
  );
  const dual = -0.5 * Math.log(Math.tanh(beta));
  expect(full.exact?.dualBeta).toBeCloseTo(dual, 12);
  expect(full.exact?.theta2).toBeCloseTo(-Math.sinh(2 * dual), 12);
  expect(full.exact?.theta3).toBeCloseTo(Math.cosh(2 * dual), 12);
  expect(full.relativeError).toBeCloseTo((Math.abs(full.t0) - dual) / dual, 12);
  expect(full.image).toBe(full.t0 >= 0 ? "ferro" : "antiferro");
  expect([full.beta, full.L, full.Ly, full.seed, full.plaquette, full.nnn]).toEqual([beta, 4, 4, 4, 0, 0]);
  expect([full.steps, full.samplesPerStep]).toEqual([10, 16]);
  expect(full.dualTerms).toEqual(["nn"]);
  expect(full.shapes).toEqual(FIXTURE_SHAPES);
  expect(full.targetBoundary).toBe("twist-sum");
  expect(full.observable).toBe("attention (exact)");
  expect(full.backend).toBe("cpu");
  expect(full.t0ErrorParts.training).toBeGreaterThanOrEqual(0);
  expect(full.t0Error).toBeGreaterThanOrEqual(full.t0ErrorParts.training as number);
  // the attention: the last step's weights, their entropy, the top slot and the sums by kind
  const w = full.attention.weights;
  expect(w).toEqual(train[train.length - 1].attention);
  expect(full.attention.entropy).toBeCloseTo(-w.reduce((a, p) => a + (p > 0 ? p * Math.log(p) : 0), 0), 12);
  const top = w.indexOf(Math.max(...w));
  expect(full.attention.chosen.slot).toBe(top);
  expect(full.attention.chosen.weight).toBe(w[top]);
  expect(full.attention.chosen.name).toBe(full.attention.slots[top]);
  const kinds = full.attention.kinds;
  for (const kind of new Set(kinds))
    expect(full.attention.byKind[kind]).toBeCloseTo(
      w.reduce((a, p, k) => a + (kinds[k] === kind ? p : 0), 0),
      12,
    );
  const d = full.attention.byDiagonal;
  expect(d.diagonal + d.antiDiagonal + d.axis).toBeCloseTo(1, 12);
  // exploration: both starts, the chosen one among them, the reason given
  expect(full.exploration?.starts).toEqual([0.3, 0.6]);
  expect([0.3, 0.6]).toContain(full.exploration?.chosen);
  expect(full.exploration?.why).toMatch(/^keeping start /);
  expect(full.exploration?.losses).toHaveLength(2);
  expect(full.failedAttempts).toEqual([]);
  expect(typeof full.validation.passed).toBe("boolean");
  expect(full.seconds).toBeGreaterThanOrEqual(0);
});

test("a run stopped after a checkpoint and resumed ends exactly where the uninterrupted run ends", async () => {
  const dir = freshDir();
  const first = open(dir, "new");
  // stop in step 7's hook: its metrics line is written, the newest checkpoint is that of step 6
  await expect(
    learnDuality(input, {
      run: first,
      hooks: {
        onStep: (m) => {
          if (m.step === 7) throw new Error("stopped");
        },
      },
    }),
  ).rejects.toThrow("stopped");
  first.close();
  const again = open(dir, "resume");
  const logs2: string[] = [];
  const resumed = await learnDuality(input, { run: again, hooks: { log: (l) => logs2.push(l) } });
  const metrics = again.readMetricNumbers<StepMetrics>();
  again.close();
  expect(logs2).toContain("resumed at step 6/10");
  const strip = (m: StepMetrics) => ({ ...m, elapsedMs: 0 });
  expect(metrics.map(strip)).toEqual(fullMetrics.map(strip));
  const same = (r: DualityResult) => ({
    ...r,
    seconds: 0,
    targetSeconds: 0,
    validation: { ...r.validation, seconds: 0 },
  });
  expect(same(resumed)).toEqual(same(full));
});

test("a failed validation retrains from the other start and reports both trainings", async () => {
  // This tiny run fails its validation (the map reads a link parallel to the original one).
  expect(full.validation.passed).toBe(false);
  expect(full.validation.failures.length).toBeGreaterThan(0);
  const retry = { ...input, validation: { retries: 1 } };
  const run = openRun({
    dir: freshDir(),
    kind: "duality-test",
    input: retry,
    resolve: (i) => resolveConfig(i as DualityConfigInput),
    mode: "new",
    provenance: provenanceOf(import.meta.url),
  });
  const logs3: string[] = [];
  const r = await learnDuality(retry, { run, hooks: { log: (l) => logs3.push(l) } });
  const metrics = run.readMetricNumbers<StepMetrics>();
  const firstTry = run.readState<DualityResult>("result-attempt-0.json");
  run.close();
  // 4 exploration steps, 6 training steps, 6 more from the other start
  expect(r.steps).toBe(16);
  expect(metrics.map((m) => m.step)).toEqual([...Array(16).keys()]);
  expect(metrics.slice(10).every((m) => m.phase === "train" && m.attempt === 1)).toBe(true);
  expect(metrics.slice(4, 10).every((m) => m.attempt === 0)).toBe(true);
  // the first training is the uninterrupted run's
  expect(firstTry.t0).toBe(full.t0);
  expect(logs3.some((l) => l.startsWith("validation failed ("))).toBe(true);
  const other = [0.3, 0.6].find((s) => s !== full.exploration?.chosen);
  expect(logs3.some((l) => l.endsWith(`training again from the next exploration start, t0 = ${other}`))).toBe(
    true,
  );
  // one failed attempt reported with its start, t0, χ²/dof and failures; the result is the
  // training with the least χ²/dof of the two
  expect(r.failedAttempts).toHaveLength(1);
  const f = r.failedAttempts[0];
  expect(f.failures.length).toBeGreaterThan(0);
  const trainings = [firstTry, r];
  if (!r.validation.passed) {
    expect(r.validation.chi2PerDof).toBeLessThanOrEqual(f.chi2PerDof);
    expect([full.exploration?.chosen, other]).toContain(f.start);
  } else {
    expect(f).toEqual({
      start: full.exploration?.chosen,
      t0: full.t0,
      relativeError: full.relativeError,
      chi2PerDof: full.validation.chi2PerDof,
      failures: full.validation.failures,
    });
    expect(r.exploration?.why).toBe(
      `training from start ${full.exploration?.chosen} failed validation; retried from start ${other}`,
    );
  }
  expect(trainings.map((t) => t.t0)).toContain(r.t0);
});
