// `physml duality lines --resume` continues inside the geometry a kill interrupted. The command
// checkpoints the learner's state every LINES_CHECKPOINT_SECONDS of learning; the killed run here
// is the command's own body (runLinesDir) told to checkpoint after every learner step, so a short
// run has checkpoints inside a geometry to resume from.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CheckpointKill, killedAtCheckpoint } from "@physml/runs/testing";
import { runLinesDir } from "@physml/topological-lines";
import { afterAll, expect, it } from "vitest";
import { runCaptured as run } from "../../test/run-captured.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
const fresh = async () => {
  const d = await mkdtemp(join(tmpdir(), "physml-lines-resume-"));
  dirs.push(d);
  return join(d, "run");
};
const text = (dir: string, file: string) => readFile(join(dir, file), "utf8");
/** The JSON without what differs between attempts: the wall-clock seconds and the run directory. */
const timeless = (stdout: string) => {
  const { seconds: _s, sampleSeconds: _ss, out: _o, ...rest } = JSON.parse(stdout);
  return JSON.stringify(rest);
};

// 64 + 64 configurations of L = 8; 200 Adam steps of 2 starts per geometry (progress every 100)
const STEPS = 200;
const FLAGS = [
  ...["--L", "8", "--beta", "0.3", "--chains", "8", "--samples", "8", "--warmup", "50", "--blocks", "4"],
  ...["--landscape-points", "8", "--steps", String(STEPS), "--starts", "2"],
];
const INPUT = {
  L: 8,
  beta: 0.3,
  chains: 8,
  samplesPerChain: 8,
  warmupSweeps: 50,
  blocks: 4,
  landscapePoints: 8,
  steps: STEPS,
  starts: 2,
};

it("a lines run killed inside a geometry (after links' step 150), resumed by the command: it learns on from step 151, to the uninterrupted run's JSON and metrics", async () => {
  const whole = await fresh();
  const ref = await run("duality", "lines", ...FLAGS, "--out", whole, "--json", "--quiet");
  expect([0, 3], ref.stderr).toContain(ref.code);

  // checkpoint 1 is the samples', checkpoint 1 + s the learner's after links' step s
  const out = await fresh();
  await expect(
    killedAtCheckpoint(1 + 150, () => runLinesDir(INPUT, { out, checkpointSeconds: 0 })),
  ).rejects.toThrow(CheckpointKill);

  const resumed = await run("duality", "lines", "--out", out, "--resume", "--json");
  expect(resumed.code, resumed.stderr).toBe(ref.code);
  expect(resumed.stderr).toContain(
    `physml duality lines: resuming from checkpoint/step-00000151.json: 64 + 64 configurations sampled; links at learner step 150 of ${STEPS}`,
  );
  // the finished steps are not trained again: links' progress goes on after step 150
  expect(resumed.stderr.match(/(links|crossing) step \d+/g)).toEqual([
    "links step 200",
    "crossing step 100",
    "crossing step 200",
  ]);
  expect(timeless(resumed.stdout)).toBe(timeless(ref.stdout));
  expect(await text(out, "metrics.jsonl")).toBe(await text(whole, "metrics.jsonl"));
}, 120_000);
