// `seconds` after `--resume` (root README, "Conventions"): the work of every attempt that produced
// the result, each killed one up to its last checkpoint, not only the last attempt's. Each case is
// killed after a checkpoint, whose stored seconds are then set to 1000 (what an attempt that
// worked 1000 s before its kill leaves); the resumed run must report at least them, in `seconds`
// and in the stage that checkpoints, and no stage above `seconds`.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Run } from "@physml/runs";
import { killedAtCheckpoint, setCheckpointSeconds } from "@physml/runs/testing";
import { afterAll, describe, expect, it, vi } from "vitest";
import { runCaptured as run } from "../test/run-captured.js";
import { TINY_ISING2D } from "../test/tiny-runs.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
const outDir = async () => {
  const d = await mkdtemp(join(tmpdir(), "physml-resume-seconds-"));
  dirs.push(d);
  return join(d, "run");
};

/** What the killed attempt worked before its last checkpoint, as set on that checkpoint. */
const BEFORE_KILL = 1000;

/** `physml …argv` dying as it writes its first array (after its training's last checkpoint). */
async function killedAtFirstArray(...argv: string[]) {
  vi.spyOn(Run.prototype, "writeArray").mockImplementation(() => {
    throw new Error("killed");
  });
  try {
    return await run(...argv);
  } finally {
    vi.restoreAllMocks();
  }
}

/**
 * The resumed result `j` counts the killed attempt's seconds once: in `seconds`, in the stage
 * `carriedIn` (when the command splits its time), and every `*Seconds` key, at any depth, at most
 * `seconds`; the stages add up to `seconds`.
 */
function countsTheKilledAttempt(j: Record<string, unknown>, stages: readonly string[], carriedIn?: string) {
  const seconds = j.seconds as number;
  expect(seconds).toBeGreaterThanOrEqual(BEFORE_KILL);
  // not counted twice
  expect(seconds).toBeLessThan(2 * BEFORE_KILL);
  if (carriedIn) expect(j[`${carriedIn}Seconds`]).toBeGreaterThanOrEqual(BEFORE_KILL);
  if (stages.length > 0) {
    const sum = stages.reduce((a, s) => a + (j[`${s}Seconds`] as number), 0);
    expect(seconds).toBeCloseTo(sum, 9);
  }
  const walk = (v: unknown, path: string): void => {
    // arrays too: their entries are keyed by index
    if (v !== null && typeof v === "object")
      for (const [k, x] of Object.entries(v)) {
        if (/Seconds$/.test(k)) expect(x, `${path}.${k}`).toBeLessThanOrEqual(seconds);
        walk(x, `${path}.${k}`);
      }
  };
  walk(j, "result");
}

describe("--resume: `seconds` counts the killed attempt's work up to its last checkpoint", () => {
  it("symmetry potential, killed after its training: trainSeconds and seconds", {
    timeout: 120_000,
  }, async () => {
    const out = await outDir();
    const args = ["symmetry", "potential", "--dim", "2", "--per-class", "10", "--quiet", "--json"];
    expect((await killedAtFirstArray(...args, "--out", out)).code).toBe(1);
    setCheckpointSeconds(out, BEFORE_KILL);
    const resumed = await run("symmetry", "potential", "--out", out, "--resume", "--json");
    expect(resumed.code, resumed.stderr).toBe(0);
    countsTheKilledAttempt(JSON.parse(resumed.stdout), ["sample", "train", "neighbours"], "train");
  });

  it("cy donaldson --k 1..2, killed after k = 1: seconds, and no balanceSeconds above it", {
    timeout: 120_000,
  }, async () => {
    const out = await outDir();
    const args = ["cy", "donaldson", "--k", "1..2", "--points", "300", "--eval", "100", "--iterations", "2"];
    const killed = await killedAtCheckpoint(1, () => run(...args, "--out", out, "--quiet"));
    expect(killed.code).not.toBe(0);
    expect(existsSync(join(out, "result.json"))).toBe(false);
    setCheckpointSeconds(out, BEFORE_KILL);
    const resumed = await run("cy", "donaldson", "--out", out, "--resume", "--json");
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain("k = 1 finished");
    countsTheKilledAttempt(JSON.parse(resumed.stdout), []);
  });

  it("duality lines, killed after its sampling: seconds, and sampleSeconds (not carried) below it", {
    timeout: 120_000,
  }, async () => {
    const out = await outDir();
    const args = ["duality", "lines", "--L", "4", "--chains", "4", "--samples", "4", "--warmup", "4"];
    const small = ["--blocks", "4", "--steps", "2", "--landscape-points", "8"];
    const killed = await killedAtCheckpoint(1, () => run(...args, ...small, "--out", out, "--quiet"));
    // the kill, not a refusal of the flags
    expect(killed.code).toBe(1);
    setCheckpointSeconds(out, BEFORE_KILL);
    const resumed = await run("duality", "lines", "--out", out, "--resume", "--json");
    expect(resumed.stderr).toContain("configurations sampled");
    expect(resumed.stdout, resumed.stderr).not.toBe("");
    const j = JSON.parse(resumed.stdout);
    countsTheKilledAttempt(j, []);
    // the sampling's own time, stored with the samples
    expect(j.sampleSeconds).toBeLessThan(BEFORE_KILL);
  });

  it("dualrep ising2d, killed after 2 of its 4 trainings: seconds", { timeout: 120_000 }, async () => {
    const out = await outDir();
    const killed = await killedAtCheckpoint(2, () => run(...TINY_ISING2D, "--out", out, "--quiet"));
    expect(killed.code).not.toBe(0);
    setCheckpointSeconds(out, BEFORE_KILL);
    const resumed = await run("dualrep", "ising2d", "--out", out, "--resume", "--json");
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain("2 finished trainings kept");
    countsTheKilledAttempt(JSON.parse(resumed.stdout), []);
  });

  it("dualrep chain, killed after n = 3's first two trainings: seconds, and the row's seconds", {
    timeout: 120_000,
  }, async () => {
    const out = await outDir();
    const args = ["dualrep", "chain", "--sites", "8", "--n", "3", "--epochs", "2", "--autoencoder-runs", "1"];
    const killed = await killedAtCheckpoint(2, () => run(...args, "--out", out, "--quiet"));
    expect(killed.code).not.toBe(0);
    // the two finished trainings took 500 s each, as stored beside them in the checkpoint
    const file = setCheckpointSeconds(out, BEFORE_KILL);
    const cp = JSON.parse(readFileSync(file, "utf8"));
    expect(cp.state.trainings).toHaveLength(2);
    writeFileSync(file, JSON.stringify({ ...cp, state: { ...cp.state, trainingSeconds: [500, 500] } }));
    const resumed = await run("dualrep", "chain", "--out", out, "--resume", "--json");
    expect(resumed.code, resumed.stderr).toBe(0);
    const j = JSON.parse(resumed.stdout);
    countsTheKilledAttempt(j, []);
    expect(j.rows[0].seconds).toBeGreaterThanOrEqual(BEFORE_KILL);
  });

  it("duality sweep resumed after its point finished: the point's seconds, not only the read-back", {
    timeout: 120_000,
  }, async () => {
    const out = await outDir();
    const args = ["duality", "sweep", "--betas", "0.3", "--L", "4", "--chains", "16", "--explore-steps", "0"];
    const sweep = [...args, "--steps", "2", "--backend", "cpu", "--quiet", "--out", out, "--json"];
    const first = await run(...sweep);
    expect([0, 3], first.stderr).toContain(first.code);
    const resumed = await run(...sweep, "--resume");
    expect([0, 3], resumed.stderr).toContain(resumed.code);
    const j = JSON.parse(resumed.stdout) as { seconds: number; rows: { seconds: number }[] };
    // the finished point is read back with the seconds it took (stored in its result)
    expect(j.rows.map((r) => r.seconds)).toEqual(
      (JSON.parse(first.stdout) as { rows: { seconds: number }[] }).rows.map((r) => r.seconds),
    );
    expect(j.seconds).toBeGreaterThanOrEqual(j.rows.reduce((a, r) => a + r.seconds, 0));
  });
});
