// runDuality writes arrays/spins.npy and report.html after the learner's result.json: a run
// killed between them is finished, and --resume must still leave those files as an uninterrupted
// run does (before, a resume reported the stored result and the spins were never written).
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import type { DualityConfigInput } from "../config.js";
import { runDuality } from "./runner.js";

const config: DualityConfigInput = {
  beta: 0.3,
  L: 6,
  seed: 3,
  backend: "cpu",
  target: { chains: 8, samples: 10 },
  candidate: { chains: 8 },
  explore: { steps: 0 },
  optimizer: { steps: 4 },
  checkpointEvery: 2,
  validation: { retries: 0 },
};

test("a run killed after result.json, before arrays/spins.npy and report.html, gets both back on --resume", async () => {
  const out = join(mkdtempSync(join(tmpdir(), "physml-kw-spins-")), "run");
  const whole = await runDuality(config, { out, workers: 1 });
  const spins = readFileSync(join(out, "arrays", "spins.npy"));
  // What a SIGKILL right after result.json leaves: the result, but neither file written after it.
  rmSync(join(out, "arrays", "spins.npy"));
  rmSync(join(out, "report.html"));
  const resumed = await runDuality(config, { out, resume: true, workers: 1 });
  expect(resumed).toEqual(whole);
  expect(readFileSync(join(out, "arrays", "spins.npy"))).toEqual(spins);
  expect(existsSync(join(out, "report.html"))).toBe(true);
}, 60_000);
