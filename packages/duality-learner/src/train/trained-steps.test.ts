// A resumed run rebuilds its current attempt's training steps from metrics.jsonl. A diverged
// step's numbers are stored there as text ("NaN"); the history must hold the numbers again, as
// the run that wrote them did, or the result's tail averages would compute with strings.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openRun } from "@physml/runs";
import { describe, expect, it } from "vitest";
import type { StepMetrics } from "./result.js";
import { type TrainedStep, trainedSteps } from "./training-state.js";

const record = (step: number, attempt: number, phase: StepMetrics["phase"], s: TrainedStep): StepMetrics => ({
  step,
  phase,
  loss: s.lossUnbiased,
  ...s,
  tau: 1,
  attention: [1],
  lrFactor: 1,
  attempt,
  elapsedMs: step,
});

describe("trainedSteps", () => {
  it("reads the attempt's training steps back from a run directory's numbers, a diverged step's as numbers", () => {
    const finite: TrainedStep = { t: [0.4, 0, 0, 0], theta: [-1, 2], lossUnbiased: 1e-3 };
    const diverged: TrainedStep = {
      t: [Number.NaN, 0, 0, Number.POSITIVE_INFINITY],
      theta: [Number.NEGATIVE_INFINITY, Number.NaN],
      lossUnbiased: Number.NaN,
    };
    const run = openRun({
      dir: join(mkdtempSync(join(tmpdir(), "duality-trained-steps-")), "run"),
      kind: "duality-trained-steps-test",
      input: {},
      resolve: (i) => i as object,
      provenance: { package: "@physml/duality-learner", version: "0.0.0", git: null },
    });
    try {
      run.appendMetric(record(0, 0, "explore", finite));
      run.appendMetric(record(1, 0, "train", diverged));
      run.appendMetric(record(2, 1, "train", finite));
      run.appendMetric(record(3, 1, "train", diverged));
      // as stored: texts where the numbers were; the learner reads the numbers
      expect(run.readMetrics<StepMetrics>()[1].lossUnbiased).toBe("NaN");
      const metrics = run.readMetricNumbers<StepMetrics>();
      expect(trainedSteps(metrics, 0)).toEqual([diverged]);
      expect(trainedSteps(metrics, 1)).toEqual([finite, diverged]);
      expect(trainedSteps(metrics, 1)[1].t.map((v) => typeof v)).toEqual([
        "number",
        "number",
        "number",
        "number",
      ]);
    } finally {
      run.close();
    }
  });
});
