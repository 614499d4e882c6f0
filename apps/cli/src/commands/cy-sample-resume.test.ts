// `physml cy sample` killed at a checkpoint and resumed with --resume: the sampling continues after
// the checkpoint's points, and the .npy files, report and result are the uninterrupted run's, with
// `seconds` counting the killed attempt's up to its checkpoint. The command checkpoints every
// SAMPLE_CHECKPOINT_LINES lines (millions of points), so the killed attempt is the same run made
// through cy-metrics with checkpoints every 1000 lines; the resume and the reference run are the CLI's.
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dworkQuintic, inCyRun, resolveCySampleConfig, sampleInRun } from "@physml/cy-metrics";
import { CheckpointKill, killedAtCheckpoint, setCheckpointSeconds } from "@physml/runs/testing";
import { afterAll, describe, expect, it } from "vitest";
import { runCaptured as run } from "../../test/run-captured.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const FLAGS = ["--psi", "10+3i", "--points", "25000", "--seed", "5"];
const bytes = (dir: string, name: string) => readFileSync(join(dir, name));

describe("cy sample --resume", () => {
  it("killed as it writes checkpoint 3 continues after checkpoint 2's 10000 points to the uninterrupted run's bytes", async () => {
    const base = await mkdtemp(join(tmpdir(), "cy-sample-resume-"));
    dirs.push(base);
    const out = join(base, "killed");
    await expect(
      killedAtCheckpoint(2, () =>
        inCyRun(
          "cy-sample",
          { psi: "10+3i", points: 25000, seed: 5 },
          resolveCySampleConfig,
          { out },
          async (c, r) => {
            sampleInRun(r, {
              quintic: dworkQuintic(c.psi),
              points: c.points,
              seed: c.seed,
              checkpointLines: 1000,
            });
            throw new Error("not reached: the run dies at its third checkpoint");
          },
        ),
      ),
    ).rejects.toThrow(CheckpointKill);
    // as an attempt that had sampled for 500 s before its kill leaves it
    setCheckpointSeconds(out, 500);
    const resumed = await run("cy", "sample", "--out", out, "--resume", "--json");
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(
      "resuming from checkpoint/step-00002000.json: 10000 of 25000 points sampled",
    );
    const whole = join(base, "whole");
    const ref = await run("cy", "sample", ...FLAGS, "--out", whole, "--json", "--quiet");
    expect(ref.code, ref.stderr).toBe(0);
    for (const f of ["points.npy", "weights.npy", "omega2.npy", "report.html"])
      expect(bytes(out, f).equals(bytes(whole, f)), f).toBe(true);
    const a = JSON.parse(resumed.stdout);
    const b = JSON.parse(ref.stdout);
    expect(a.seconds).toBeGreaterThanOrEqual(500);
    expect(b.seconds).toBeLessThan(500);
    const timeless = (r: { seconds: number; out: string; files: object }) => {
      const { seconds: _s, out: _o, files: _f, ...rest } = r;
      return rest;
    };
    expect(timeless(a)).toEqual(timeless(b));
    expect(Object.keys(a.files)).toEqual(["points", "weights", "omega2"]);
  });
});
