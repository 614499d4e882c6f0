// The training steps (and the sampler) on two threads give the single-threaded run bit for bit: the same metrics
// lines and the same result on a tiny problem that explores two starts, fails its validation and
// retrains from the other start (the worker then learns a restored group's whole memory), and
// the same again for a two-thread run stopped after a checkpoint and resumed. A memory of 3
// steps makes the worker drop old entries as the learner does.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PhysmlInputError } from "@physml/lattice-core";
import { openRun, provenanceOf } from "@physml/runs";
import { afterAll, beforeAll, expect, test } from "vitest";
import { FIXTURE_SHAPES } from "../../test/steps-fixture.js";
import { type DualityConfigInput, resolveConfig } from "../config.js";
import { learnDuality } from "./learner.js";
import type { DualityResult, StepMetrics } from "./result.js";

const input: DualityConfigInput = {
  beta: 0.35,
  L: 4,
  seed: 4,
  backend: "cpu",
  shapes: FIXTURE_SHAPES,
  target: { chains: 8, samples: 20, warmupSweeps: 20, every: 2 },
  candidate: { chains: 8, warmupSweeps: 10, sweepsPerStep: 2, every: 1 },
  explore: { starts: [0.3, 0.6], steps: 4, freezeCouplings: false },
  optimizer: { steps: 6, averageFraction: 0.5, memory: 3 },
  validation: { retries: 1 },
  checkpointEvery: 3,
};

const dirs: string[] = [];
const open = (mode: "new" | "resume", dir = mkdtempSync(join(tmpdir(), "step-threads-"))) => {
  if (mode === "new") dirs.push(dir);
  return openRun({
    dir,
    kind: "duality-test",
    input,
    resolve: (i) => resolveConfig(i as DualityConfigInput),
    mode,
    provenance: provenanceOf(import.meta.url),
  });
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// The timings, and the adapter's name, which counts the sampler's threads.
const withoutTimes = (r: DualityResult) => ({
  ...r,
  adapter: "",
  seconds: 0,
  targetSeconds: 0,
  validation: { ...r.validation, seconds: 0 },
});
const lines = (ms: StepMetrics[]) => ms.map((m) => ({ ...m, elapsedMs: 0 }));

let one: { result: DualityResult; metrics: StepMetrics[] };
beforeAll(async () => {
  const run = open("new");
  const result = await learnDuality(input, { run, workers: 1 });
  one = { result, metrics: run.readMetricNumbers<StepMetrics>() };
  run.close();
});

test("two threads give the single-threaded run's metrics and result bit for bit", async () => {
  const run = open("new");
  const result = await learnDuality(input, { run, workers: 2 });
  const metrics = run.readMetricNumbers<StepMetrics>();
  run.close();
  // the retry happened, so the worker was handed a restored group's memory
  expect(result.failedAttempts).toHaveLength(1);
  expect(metrics).toHaveLength(16);
  expect(lines(metrics)).toEqual(lines(one.metrics));
  expect(withoutTimes(result)).toEqual(withoutTimes(one.result));
});

test("a two-thread run stopped after a checkpoint and resumed ends where one thread ends", async () => {
  const first = open("new");
  const dir = dirs[dirs.length - 1];
  await expect(
    learnDuality(input, {
      run: first,
      workers: 2,
      hooks: {
        onStep: (m) => {
          // in training, after the checkpoint of step 6
          if (m.step === 7) throw new Error("stopped");
        },
      },
    }),
  ).rejects.toThrow("stopped");
  first.abandon();
  const again = open("resume", dir);
  const result = await learnDuality(input, { run: again, workers: 2 });
  const metrics = again.readMetricNumbers<StepMetrics>();
  again.close();
  expect(lines(metrics)).toEqual(lines(one.metrics));
  expect(withoutTimes(result)).toEqual(withoutTimes(one.result));
});

test("workers must be an integer from 1 to 256, refused before any sampling", async () => {
  for (const bad of [0, 1.5, 257, Number.NaN]) {
    const e = await learnDuality(input, { workers: bad }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PhysmlInputError);
    expect((e as PhysmlInputError).field).toBe("workers");
  }
});
