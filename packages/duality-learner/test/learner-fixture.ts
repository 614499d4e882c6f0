// Tiny learner runs for the tests of src/train/learner.ts: a 4×4 torus, 8 chains and a few
// steps (a run takes a fraction of a second), a real run directory, and a view of that run
// that keeps a copy of every checkpoint and JSON file the learner writes (a run directory keeps
// only its newest checkpoints).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openRun, provenanceOf, type Run } from "@physml/runs";
import { type DualityConfigInput, resolveConfig } from "../src/config.js";
import type { Checkpoint } from "../src/train/checkpoint.js";
import { learnDuality } from "../src/train/learner.js";
import type { DualityResult, LearnerRun, StepMetrics } from "../src/train/result.js";
import type { TargetData } from "../src/train/target-data.js";
import { FIXTURE_SHAPES } from "./steps-fixture.js";

/** The settings of every tiny run (β = 0.35 on 4×4; the tests override what they vary). */
export const TINY: DualityConfigInput = {
  beta: 0.35,
  L: 4,
  seed: 4,
  backend: "cpu",
  shapes: FIXTURE_SHAPES,
  target: { chains: 8, samples: 4, warmupSweeps: 4, every: 1 },
  candidate: { chains: 8, warmupSweeps: 10, sweepsPerStep: 1, every: 1 },
  explore: { starts: [0.3, 0.6], steps: 4 },
  optimizer: { steps: 3, averageFraction: 0.5 },
  validation: { retries: 0 },
};

/** Everything a tiny run wrote and reported. */
export interface Recorded {
  result: DualityResult;
  /** metrics.jsonl as read back from the run directory. */
  metrics: StepMetrics[];
  /** Every onStep call: the metrics line and the total it announced. */
  steps: { m: StepMetrics; total: number }[];
  logs: string[];
  /** Every checkpoint saved, copied at the time it was saved. */
  checkpoints: Checkpoint[];
  /** Every JSON file written (the last version of each), copied when written. */
  json: Record<string, unknown>;
  truncations: number[];
  /** Wall time of the learnDuality call, measured around it (ms). */
  wallMs: number;
  target: TargetData;
  dir: string;
}

const dirs: string[] = [];
/** Removes the run directories made by {@link tinyRun} (call in afterAll). */
export function removeRunDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Opens a run directory for `input` (a fresh one unless `dir` is given to resume). */
export function openTinyRun(input: DualityConfigInput, dir?: string): Run<unknown> {
  const d = dir ?? mkdtempSync(join(tmpdir(), "learner-tiny-"));
  if (!dir) dirs.push(d);
  return openRun({
    dir: d,
    kind: "duality-test",
    input,
    resolve: (i) => resolveConfig(i as DualityConfigInput),
    mode: dir ? "resume" : "new",
    provenance: provenanceOf(import.meta.url),
  });
}

const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/**
 * Runs the learner on `input` in a run directory (a new one, or `dir` resumed) and records what
 * it wrote. `stopAt` throws from the onStep hook of that step (a run stopped mid-way).
 */
export async function tinyRun(
  input: DualityConfigInput,
  opts: { dir?: string; stopAt?: number } = {},
): Promise<Recorded> {
  const run = openTinyRun(input, opts.dir);
  const rec = { steps: [], logs: [], checkpoints: [], json: {}, truncations: [] } as unknown as Recorded;
  const view: LearnerRun = {
    status: run.status,
    has: (name) => run.has(name),
    readState: <T>(name: string) => run.readState<T>(name),
    writeState: (name, value) => {
      rec.json[name] = copy(value);
      run.writeState(name, value);
    },
    appendMetric: (m) => run.appendMetric(m),
    readMetricNumbers: <T>() => run.readMetricNumbers<T>(),
    truncateMetrics: (step) => {
      rec.truncations.push(step);
      run.truncateMetrics(step);
    },
    saveCheckpoint: (step, state) => {
      rec.checkpoints.push(copy(state) as Checkpoint);
      run.saveCheckpoint(step, state);
    },
    loadCheckpoint: (validate) => run.loadCheckpoint(validate),
    get carriedSeconds() {
      return run.carriedSeconds;
    },
    writeResult: (r) => run.writeResult(r),
  };
  const start = Date.now();
  try {
    rec.result = await learnDuality(input, {
      run: view,
      hooks: {
        onStep: (m, total) => {
          rec.steps.push({ m: copy(m), total });
          if (m.step === opts.stopAt) throw new Error("stopped");
        },
        log: (l) => rec.logs.push(l),
      },
    });
  } catch (e) {
    if (!(e instanceof Error && e.message === "stopped")) throw e;
  } finally {
    rec.wallMs = Date.now() - start;
    rec.metrics = run.readMetricNumbers<StepMetrics>();
    rec.target = run.readState<TargetData>("target.json");
    rec.dir = run.dir;
    run.close();
  }
  return rec;
}

/** Mean of a series. */
export const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Standard error of the mean, √(Σ(x − x̄)² / (n(n − 1))): batch means of ≤ 10 values, one value a batch. */
export const standardError = (xs: readonly number[]): number => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length * (xs.length - 1)));
};
