// A killed run resumed from its run directory loses no finished step and ends exactly where an
// uninterrupted run ends (checkpoints hold the chains, the optimiser states and the sample memory).
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DualityConfigInput, learnDuality, RunDir, type StepMetrics } from "@physml/duality-learner";
import { expect, test } from "vitest";

const config: DualityConfigInput = {
  beta: 0.3,
  L: 6,
  seed: 3,
  backend: "cpu",
  target: { chains: 16, samples: 20 },
  candidate: { chains: 16 },
  explore: { steps: 8 },
  optimizer: { steps: 16 },
  checkpointEvery: 5,
  // Limits no run meets, so that every run here also trains a second time (a retry).
  validation: { maxChi2PerDof: 1, maxPull: 1 },
};

test("resume after a kill reproduces the uninterrupted run", async () => {
  const dirA = mkdtempSync(join(tmpdir(), "physml-kw-a-"));
  const dirB = mkdtempSync(join(tmpdir(), "physml-kw-b-"));
  const a = await learnDuality(config, { run: new RunDir(dirA) });

  class Killed extends Error {}
  await expect(
    learnDuality(config, {
      run: new RunDir(dirB),
      hooks: {
        onStep: (m) => {
          if (m.step === 17) throw new Killed("killed");
        },
      },
    }),
  ).rejects.toThrow("killed");
  const before = new RunDir(dirB).readMetrics<StepMetrics>();
  expect(before.at(-1)?.step).toBe(17);
  const b = await learnDuality(config, { run: new RunDir(dirB), resume: true });

  const ma = new RunDir(dirA).readMetrics<StepMetrics>();
  const mb = new RunDir(dirB).readMetrics<StepMetrics>();
  expect(mb.map((m) => m.step)).toEqual(ma.map((m) => m.step));
  const firstDiff = ma.findIndex((m, i) => JSON.stringify(m.t) !== JSON.stringify(mb[i].t));
  expect(firstDiff, `first differing step ${firstDiff}`).toBe(-1);
  for (let i = 0; i < ma.length; i++) {
    expect(mb[i].t).toEqual(ma[i].t);
    expect(mb[i].loss).toBe(ma[i].loss);
  }
  expect(b.t0).toBe(a.t0);
  expect(b.theta2).toBe(a.theta2);
  const result = JSON.parse(readFileSync(join(dirB, "result.json"), "utf8"));
  expect(result.t0).toBe(a.t0);

  // The run fails its validation and trains again from the next exploration start; a kill
  // inside that second training resumes exactly too.
  expect(a.failedAttempts).toHaveLength(1);
  const dirC = mkdtempSync(join(tmpdir(), "physml-kw-c-"));
  await expect(
    learnDuality(config, {
      run: new RunDir(dirC),
      hooks: {
        onStep: (m) => {
          if (m.step === 8 + 16 + 7) throw new Killed("killed");
        },
      },
    }),
  ).rejects.toThrow("killed");
  const c = await learnDuality(config, { run: new RunDir(dirC), resume: true });
  const mc = new RunDir(dirC).readMetrics<StepMetrics>();
  expect(mc.map((m) => [m.step, m.attempt, m.t])).toEqual(ma.map((m) => [m.step, m.attempt, m.t]));
  expect(c.t0).toBe(a.t0);
  expect(c.validation).toEqual({ ...a.validation, wallTimeMs: c.validation.wallTimeMs });
}, 180_000);
