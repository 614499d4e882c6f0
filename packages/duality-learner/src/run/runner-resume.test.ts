// runDuality writes arrays/spins.npy and report.html after the learner's result.json: a run
// killed between them is finished, and --resume must still leave those files as an uninterrupted
// run does (before, a resume reported the stored result and the spins were never written).
// runSweep holds its directory's lock: a second sweep on the same --out is refused before it
// opens any point, even between two points (when no point's lock is held).
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RunLockedError, SWEEP_LOCK } from "@physml/runs";
import { expect, test } from "vitest";
import type { DualityConfigInput } from "../config.js";
import { runDuality, runSweep } from "./runner.js";

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

test("a second sweep on the same --out, started between two points of the first, is refused before it opens a point", async () => {
  const out = join(mkdtempSync(join(tmpdir(), "physml-kw-sweep-")), "sweep");
  const { beta: _, ...base } = config;
  const secondOpened: string[] = [];
  let second: Promise<unknown> | null = null;
  const first = await runSweep({ betas: [0.3, 0.4] }, base, {
    out,
    workers: 1,
    onRun: (_label, k) => {
      // point 0 is finished and its lock released; point 1 not yet opened
      if (k === 1)
        second = runSweep({ betas: [0.3, 0.4] }, base, {
          out,
          resume: true,
          workers: 1,
          onRun: (label) => secondOpened.push(label),
        });
    },
  });
  expect(first.rows.map((r) => r.beta)).toEqual([0.3, 0.4]);
  const refused = await (second as unknown as Promise<unknown>).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(RunLockedError);
  expect((refused as Error).message).toMatch(
    new RegExp(`^out: .* got ${out} \\(locked by pid ${process.pid} `),
  );
  expect(secondOpened).toEqual([]);
  expect(existsSync(join(out, SWEEP_LOCK))).toBe(false);
}, 60_000);
