// How the learner's report follows its settings, each on a tiny run: where training starts
// without exploration (the frozen first step shows the starting coupling), the sampler kernel,
// more learned terms, an original model without a closed form, the antiferro image, a training
// too short for an error bar, and the observable maps without a target error share.
import { afterAll, expect, test } from "vitest";
import { mean, removeRunDirs, standardError, TINY, tinyRun } from "../../test/learner-fixture.js";
import { stepContext } from "../../test/steps-fixture.js";
import type { DualityConfigInput } from "../config.js";
import { candidateErrors } from "./candidate-noise.js";
import { restoreGroup } from "./group-checkpoint.js";
import { learnDuality } from "./learner.js";
import type { DualityResult } from "./result.js";
import { fitSensitivity, targetSensitivity } from "./target-sensitivity.js";

afterAll(removeRunDirs);

const betaDual = -0.5 * Math.log(Math.tanh(0.35));

test.each([
  ["no starts", { starts: [], steps: 4 }, 0.45],
  ["one start", { starts: [0.3], steps: 4 }, 0.3],
  ["no exploration steps", { starts: [0.3, 0.6], steps: 0 }, 0.45],
])("%s: training alone from the one starting coupling, on the packed kernel", async (_, explore, t0) => {
  const input: DualityConfigInput = {
    ...TINY,
    explore,
    candidate: { ...TINY.candidate, init: { nn: 0.45 } },
    optimizer: { steps: 3, averageFraction: 0.5 },
  };
  const r = await tinyRun(input);
  expect(r.metrics.map((m) => [m.step, m.phase, m.attempt])).toEqual([
    [0, "train", 0],
    [1, "train", 0],
    [2, "train", 0],
  ]);
  // t is frozen for the first tenth of the training (step 0 only)
  expect(r.metrics[0].t).toEqual([t0, 0, 0, 0]);
  expect(r.metrics[0].starts).toBeUndefined();
  expect(r.result).not.toHaveProperty("exploration");
  expect(r.result.steps).toBe(3);
  // one coupling for every chain: the sampler may pack
  expect(r.result.kernel).toBe("packed");
  expect(r.checkpoints.map((c) => [c.step, c.chosen, c.groups.length])).toEqual([[3, 0, 1]]);
  expect(r.json["exploration.json"]).toBeUndefined();
  expect(r.logs.some((l) => l.startsWith("exploration"))).toBe(false);
  // no exploration to restart from: no retry either (and no run directory needed)
  const again = await learnDuality({ ...input, validation: { retries: 2 } });
  expect(again.validation.passed).toBe(false);
  expect([again.steps, again.failedAttempts]).toEqual([3, []]);
  expect(again.t0).toBe(r.result.t0);
});

test("nn and plaquette learned: both tail means, both errors with their target share, the int kernel", async () => {
  const input: DualityConfigInput = {
    ...TINY,
    explore: { starts: [], steps: 0 },
    candidate: { ...TINY.candidate, learn: ["nn", "plaquette"] },
    optimizer: { steps: 4, averageFraction: 0.5, freezeFraction: 0 },
  };
  const r = await tinyRun(input);
  const tail = r.metrics.slice(-2);
  const res = r.result;
  expect(res.dualTerms).toEqual(["nn", "plaquette"]);
  expect(res.learned.plaquette).toBeCloseTo(mean(tail.map((m) => m.t[1])), 14);
  expect(res.learned.nn).toBeCloseTo(mean(tail.map((m) => m.t[0])), 14);
  expect(tail[0].t[1]).not.toBe(tail[1].t[1]);
  const ctx = stepContext(input, r.target.mean);
  const group = restoreGroup(ctx, r.checkpoints[r.checkpoints.length - 1].groups[0]);
  const w = targetSensitivity(ctx, group) as Float64Array;
  const candidate = candidateErrors(ctx, fitSensitivity(ctx, group), 2) as number[];
  const A = r.target.mean.length;
  const cov = r.target.covariance as number[][];
  const share = [0, 1].map((j) => {
    let v = 0;
    for (let a = 0; a < A; a++) for (let b = 0; b < A; b++) v += w[j * A + a] * cov[a][b] * w[j * A + b];
    return Math.sqrt(v);
  });
  const training = [0, 1].map((k) => standardError(tail.map((m) => m.t[k])));
  expect(res.t0ErrorParts).toEqual({
    training: expect.closeTo(training[0], 14),
    target: expect.closeTo(share[0], 10),
    candidate: expect.closeTo(candidate[0], 10),
  });
  expect(res.learnedError.nn).toBeCloseTo(Math.hypot(training[0], share[0], candidate[0]), 10);
  expect(res.learnedError.plaquette).toBeCloseTo(Math.hypot(training[1], share[1], candidate[1]), 10);
  expect([res.learnedError.nnn, res.learnedError.field]).toEqual([0, 0]);
  expect(res.kernel).toBe("int");
});

test("a plaquette coupling not learned stays at its initial value, with no error, on the int kernel", async () => {
  const r = await tinyRun({
    ...TINY,
    explore: { starts: [], steps: 0 },
    candidate: { ...TINY.candidate, init: { nn: 0.5, plaquette: 0.1 } },
  });
  expect(r.result.learned.plaquette).toBe(0.1);
  expect(r.result.learnedError.plaquette).toBe(0);
  expect(r.result.kernel).toBe("int");
  expect(r.metrics.every((m) => m.t[1] === 0.1)).toBe(true);
});

test("a learned field (a one-site term) needs the int kernel as well", async () => {
  const r = await tinyRun({
    ...TINY,
    explore: { starts: [], steps: 0 },
    candidate: { ...TINY.candidate, learn: ["nn", "field"] },
  });
  expect(r.result.dualTerms).toEqual(["nn", "field"]);
  expect(r.result.kernel).toBe("int");
});

test("an original nnn coupling: periodic target, no closed form, no relative error", async () => {
  const r = await tinyRun({ ...TINY, nnn: 0.1 });
  expect(r.result.targetBoundary).toBe("periodic");
  expect(r.result.exact).toBeUndefined();
  expect(r.result.relativeError).toBeUndefined();
  expect(r.result.nnn).toBe(0.1);
  expect(r.logs[0]).toBe(
    `target: 8×4 samples at β=0.35 in ${(r.target.wallTimeMs / 1000).toFixed(1)} s ` +
      `(largest error ${Math.max(...r.target.error).toExponential(1)})`,
  );
});

test("an original plaquette coupling: no closed form either", async () => {
  const r = await tinyRun({ ...TINY, plaquette: 0.1 });
  expect(r.result.plaquette).toBe(0.1);
  expect(r.result.exact).toBeUndefined();
  expect(r.result.relativeError).toBeUndefined();
  expect(r.result.targetBoundary).toBe("periodic");
});

test("starts in another order: the leading start at the end of exploration is the kept one; the retries stop when every start was tried", async () => {
  // seed 5: at the last exploration step the second start (0.3) has the least loss, the first (0.6) is kept
  const r = await tinyRun({
    ...TINY,
    seed: 5,
    explore: { starts: [0.6, 0.3], steps: 4 },
    validation: { retries: 5, maxChi2PerDof: 1, maxPull: 1 },
  });
  const first = r.json["result-attempt-0.json"] as DualityResult;
  const last = r.metrics[3];
  expect(last.starts?.[1].loss).toBeLessThan(last.starts?.[0].loss as number);
  expect(first.exploration?.chosen).toBe(0.6);
  expect(last.t[0]).toBe(0.6);
  // two starts, so two trainings although five retries are allowed
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
  ]);
  expect(r.result.failedAttempts).toHaveLength(1);
  expect(r.result.validation.passed).toBe(false);
});

test("a negative coupling is the antiferro image; its relative error uses |t0|", async () => {
  const r = await tinyRun({
    ...TINY,
    explore: { starts: [], steps: 0 },
    candidate: { ...TINY.candidate, init: { nn: -0.5 } },
  });
  expect(r.result.t0).toBeLessThan(0);
  expect(r.result.image).toBe("antiferro");
  expect(r.result.relativeError).toBeCloseTo((-r.result.t0 - betaDual) / betaDual, 14);
  expect(r.result.exact?.dualBeta).toBeCloseTo(betaDual, 14);
});

test("one training step: no error bar, and the result says why", async () => {
  const r = await tinyRun({ ...TINY, optimizer: { steps: 1, averageFraction: 0.5 } });
  const res = r.result;
  const last = r.metrics[r.metrics.length - 1];
  expect(r.metrics).toHaveLength(5);
  expect(res.t0).toBe(last.t[0]);
  expect(res.finalLoss).toBe(last.lossUnbiased);
  expect(res.finalLossError).toBeUndefined();
  expect(res.t0Error).toBeUndefined();
  expect(res.t0ErrorUnavailable).toBe("n/a (1 training step): an error bar needs at least 2");
  expect(Object.keys(res.t0ErrorParts)).toEqual(["target", "candidate"]);
  expect(res.t0ErrorParts.target).toBeGreaterThan(0);
  expect(res.t0ErrorParts.candidate).toBeGreaterThan(0);
  expect(res.learnedError).toEqual({ plaquette: 0, nnn: 0, field: 0 });
});

test.each([
  [{ kind: "mlp" }, "mlp"],
  [{ mode: "gumbel" }, "attention (gumbel)"],
] as const)(
  "%o: no target share in the error (only the exact map computes one)",
  async (observable, name) => {
    const r = await tinyRun({ ...TINY, observable, optimizer: { steps: 4, averageFraction: 0.5 } });
    const tail = r.metrics.slice(-2).map((m) => m.t[0]);
    expect(r.result.observable).toBe(name);
    expect(r.result.t0ErrorParts).toStrictEqual({ training: expect.closeTo(standardError(tail), 14) });
    expect(r.result.t0Error).toBeCloseTo(standardError(tail), 14);
  },
);

test("the exploration lines follow the leading start, and the line that ends exploration is the kept start's throughout", async () => {
  // With the MLP map the per-start loss of `starts` is the step's unbiased loss (no penalty), so
  // the line's loss can be matched to its start. Seeds 3 and 7: at the last exploration step the
  // start that is not kept has the least loss.
  const leaders = new Set<number>();
  for (const seed of [3, 7]) {
    const r = await tinyRun({
      ...TINY,
      seed,
      observable: { kind: "mlp" },
      explore: { starts: [0.6, 0.3], steps: 4 },
      validation: { retries: 0 },
    });
    const last = r.metrics[3];
    const kept = [0.6, 0.3].indexOf(r.result.exploration?.chosen as number);
    const starts = last.starts ?? [];
    expect(starts[1 - kept].loss).toBeLessThan(starts[kept].loss);
    expect(last.lossUnbiased).toBe(starts[kept].loss);
    expect(last.loss).toBe(starts[kept].lossPooled);
    expect(last.t[0]).toBe(starts[kept].t0);
    for (const m of r.metrics.slice(0, 3)) {
      const s = m.starts ?? [];
      const g = s[1].loss < s[0].loss ? 1 : 0;
      expect(m.lossUnbiased).toBe(s[g].loss);
      expect(m.loss).toBe(s[g].lossPooled);
      expect(m.t[0]).toBe(s[g].t0);
      leaders.add(g);
    }
  }
  // both starts lead at some step, so neither index is assumed
  expect(leaders).toEqual(new Set([0, 1]));
});
