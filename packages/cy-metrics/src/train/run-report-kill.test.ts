// A cy train run killed while it writes report.html (after its last epoch, during the report's
// Ricci scalars): result.json, whose presence means "finished", must not be on disk yet, so
// --resume continues from the final checkpoint and writes the report and the same result.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Run } from "@physml/runs";
import { afterAll, expect, it } from "vitest";
import { runCyTrain } from "./run.js";

const root = mkdtempSync(join(tmpdir(), "cy-train-report-kill-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const small = { k: 2, points: 300, evalPoints: 100, epochs: 2, batch: 150, iterations: 2, lr: 0.01 };
const opts = { ricciPoints: 10 };

it("a run killed as it writes report.html is unfinished; --resume writes the report and the uninterrupted result", async () => {
  const whole = await runCyTrain(small, { ...opts, out: join(root, "whole") });
  const out = join(root, "killed");
  const writeText = Run.prototype.writeText;
  // the kill: nothing of report.html reaches the disk, and the process runs no further
  Run.prototype.writeText = function (this: Run, name: string, text: string) {
    if (name === "report.html") throw new Error("killed writing report.html");
    writeText.call(this, name, text);
  };
  try {
    await expect(runCyTrain(small, { ...opts, out })).rejects.toThrow("killed writing report.html");
  } finally {
    Run.prototype.writeText = writeText;
  }
  expect(existsSync(join(out, "result.json"))).toBe(false);
  const resumed = await runCyTrain({}, { ...opts, out, resume: true });
  expect(existsSync(join(out, "report.html"))).toBe(true);
  expect({ ...resumed, seconds: 0 }).toEqual({ ...whole, seconds: 0 });
  const h = (dir: string) => readFileSync(join(dir, "arrays", "h.npy"));
  expect(h(out).equals(h(join(root, "whole")))).toBe(true);
  const lines = (dir: string) => readFileSync(join(dir, "metrics.jsonl"), "utf8").split("\n").length;
  expect(lines(out)).toBe(lines(join(root, "whole")));
});
