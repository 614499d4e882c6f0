// `physml integrability simulate --resume` continues a killed simulation from its last checkpoint.
// The command checkpoints every 30 s of integration; the killed run here is the command's own body
// (simulateInRun) told to checkpoint after every step, so a short run has checkpoints to resume from.
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inIntegrabilityRun, simulateInRun, simulateOptionsSchema } from "@physml/integrability";
import { parseOptions } from "@physml/lattice-core";
import { CheckpointKill, killedAtCheckpoint } from "@physml/runs/testing";
import { expect, it } from "vitest";
import { runCaptured as run } from "../../test/run-captured.js";

const fresh = async () => join(await mkdtemp(join(tmpdir(), "physml-simulate-resume-")), "run");
const bytes = (dir: string, file: string) => readFile(join(dir, file));
const withoutTimes = ({ seconds: _s, out: _o, ...rest }: Record<string, unknown>) => rest;

// 30 steps of h = 0.02 for 4 Toda trajectories, a snapshot after each
const FLAGS = ["--system", "toda", "--trajectories", "4", "--trajectory-time", "0.6", "--seed", "3"];

it("a simulate run killed at its 8th checkpoint, resumed by the command: the uninterrupted run's arrays, report and result", async () => {
  const whole = await fresh();
  const ref = await run("integrability", "simulate", ...FLAGS, "--out", whole, "--json", "--quiet");
  expect(ref.code).toBe(0);

  const out = await fresh();
  const input = { system: "toda", trajectories: 4, time: 0.6, seed: 3 };
  await expect(
    killedAtCheckpoint(7, () =>
      inIntegrabilityRun(
        "integrability-simulate",
        input,
        (i) => parseOptions(simulateOptionsSchema, i),
        { out },
        (o, r) => simulateInRun(o, r, { checkpointSeconds: 0 }),
      ),
    ),
  ).rejects.toThrow(CheckpointKill);
  expect(existsSync(join(out, "result.json"))).toBe(false);

  const resumed = await run("integrability", "simulate", "--out", out, "--resume", "--json");
  expect(resumed.code).toBe(0);
  expect(resumed.stderr).toContain("resuming from checkpoint/step-00000007.json: step 7 of 30");
  const r = JSON.parse(resumed.stdout);
  expect(withoutTimes(r)).toEqual(withoutTimes(JSON.parse(ref.stdout)));
  expect(r.seconds).toBeGreaterThan(0);
  for (const a of await readdir(join(whole, "arrays")))
    expect((await bytes(out, join("arrays", a))).equals(await bytes(whole, join("arrays", a))), a).toBe(true);
  expect((await bytes(out, "report.html")).equals(await bytes(whole, "report.html"))).toBe(true);
  expect(await readdir(out)).not.toContain("failure.json");
  expect((await readdir(join(out, "checkpoint"))).filter((f) => f.startsWith("snapshots-"))).toEqual([]);

  // a different flag is refused, naming it
  const other = await run("integrability", "simulate", "--out", out, "--resume", "--seed", "4");
  expect(other.code).toBe(2);
  expect(other.stderr).toMatch(/seed 3 → 4/);
});
