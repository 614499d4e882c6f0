// A killed run resumed from its run directory loses no finished step and ends exactly where an
// uninterrupted run ends (checkpoints hold the chains, the optimiser states and the sample memory).
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DUALITY_RUN_KIND,
  type DualityConfigInput,
  learnDuality,
  resolveConfig,
  type StepMetrics,
} from "@physml/duality-learner";
import { openRun, type RunMode } from "@physml/runs";
import { expect, test } from "vitest";

const config: DualityConfigInput = {
  beta: 0.3,
  L: 6,
  seed: 3,
  backend: "cpu",
  target: { chains: 16, samples: 20 },
  candidate: { chains: 16 },
  // Starts far below β̃ = 0.617 and a step size that cannot leave them: every training here
  // fails its validation, so each run also trains a second time (a retry).
  explore: { steps: 8, starts: [0.1, 0.2] },
  optimizer: { steps: 16, lr: 1e-6 },
  checkpointEvery: 5,
  validation: { maxChi2PerDof: 1, maxPull: 1 },
};

const open = (dir: string, mode: RunMode = "new") =>
  openRun({
    dir,
    kind: DUALITY_RUN_KIND,
    input: config,
    resolve: (i) => resolveConfig(i as DualityConfigInput),
    mode,
    provenance: { package: "test", version: "0", git: null },
  });

test("resume after a kill reproduces the uninterrupted run", async () => {
  const dirA = mkdtempSync(join(tmpdir(), "physml-kw-a-"));
  const dirB = mkdtempSync(join(tmpdir(), "physml-kw-b-"));
  const runA = open(dirA);
  const a = await learnDuality(config, { run: runA });
  runA.close();

  class Killed extends Error {}
  const killed = open(dirB);
  await expect(
    learnDuality(config, {
      run: killed,
      hooks: {
        onStep: (m) => {
          if (m.step === 17) throw new Killed("killed");
        },
      },
    }),
  ).rejects.toThrow("killed");
  killed.close();
  const before = killed.readMetrics<StepMetrics>();
  expect(before.at(-1)?.step).toBe(17);
  const runB = open(dirB, "resume");
  expect(runB.status).toBe("resumed");
  const b = await learnDuality(config, { run: runB });
  runB.close();

  const ma = runA.readMetrics<StepMetrics>();
  const mb = runB.readMetrics<StepMetrics>();
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
  const killedC = open(dirC);
  await expect(
    learnDuality(config, {
      run: killedC,
      hooks: {
        onStep: (m) => {
          if (m.step === 8 + 16 + 7) throw new Killed("killed");
        },
      },
    }),
  ).rejects.toThrow("killed");
  killedC.close();
  const runC = open(dirC, "resume");
  const c = await learnDuality(config, { run: runC });
  runC.close();
  const mc = runC.readMetrics<StepMetrics>();
  expect(mc.map((m) => [m.step, m.attempt, m.t])).toEqual(ma.map((m) => [m.step, m.attempt, m.t]));
  expect(c.t0).toBe(a.t0);
  expect(c.validation).toEqual({ ...a.validation, seconds: c.validation.seconds });
}, 180_000);
