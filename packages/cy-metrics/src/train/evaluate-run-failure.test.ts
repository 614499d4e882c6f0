// `cy eval` of a training that failed: the evaluation is written beside the run, and the run's
// failure.json, why its training stopped, stays (before, opening the run to evaluate removed it,
// so `runs show` lost the reason).
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readFailure } from "@physml/runs";
import { afterAll, expect, it } from "vitest";
import { evaluateCyRun } from "./evaluate-run.js";
import { runCyTrain } from "./run.js";

const root = mkdtempSync(join(tmpdir(), "cy-eval-failure-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

it("evaluating a failed training keeps its failure.json", async () => {
  const out = join(root, "run");
  const small = { k: 2, points: 300, evalPoints: 100, epochs: 2, batch: 150, iterations: 2 };
  const failing = {
    onEpoch: () => {
      throw new Error("WebGPU device lost");
    },
  };
  await expect(runCyTrain(small, { out, report: false, hooks: failing })).rejects.toThrow(
    "WebGPU device lost",
  );
  expect(readFailure(out)).toMatchObject({ category: "crash", message: "WebGPU device lost" });
  const r = evaluateCyRun(out, { points: 200, ricciPoints: 0 });
  expect(r.epoch).toBe(1);
  expect(existsSync(join(out, "eval.json"))).toBe(true);
  expect(readFailure(out)).toMatchObject({ category: "crash", message: "WebGPU device lost" });
});
