// `physml sweep --executor slurm` against a real Slurm: a one-node cluster (Debian's slurmctld,
// slurmd and munge, started directly by scripts/slurm-cluster.sh), a 4-point sweep of a short
// `duality kw` run as a job array, one array task killed (kill -9) mid-run, a resubmission that
// runs only that point, from its checkpoint, and leaves the finished points untouched — no point
// runs twice to completion (`sweep merge` and the rest of the CLI are tested with the local
// executor in apps/cli/src/sweep.test.ts). Skipped, with the reason printed, where the machine cannot run it
// (not Linux, not root, Slurm or munge not installed: `bash scripts/setup.sh --slurm`).
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, test } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const cluster = join(root, "scripts", "slurm-cluster.sh");
const NEEDED = ["munged", "mungekey", "slurmctld", "slurmd", "sbatch", "squeue", "scontrol", "sinfo"];

function skipReason(): string | null {
  if (process.platform !== "linux") return `needs Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return "needs root to start munged, slurmctld and slurmd";
  const missing = NEEDED.filter((b) => spawnSync("sh", ["-c", `command -v ${b}`]).status !== 0);
  if (missing.length) {
    const apt = spawnSync("sh", ["-c", "command -v apt-get"]).status === 0;
    return `${missing.join(", ")} not installed (${apt ? "install with: bash scripts/setup.sh --slurm" : "and no apt-get to install Debian's slurmctld slurmd slurm-client munge"})`;
  }
  return null;
}

const reason = skipReason();
if (reason) console.warn(`sweep-slurm: SKIPPED — ${reason}`);

const base = reason ? "" : mkdtempSync(join(tmpdir(), "physml-slurm-test-"));
const clusterDir = join(base, "cluster");
// A port of its own, so a cluster someone runs on the default ports is not disturbed.
const port = String(20_000 + Math.floor(Math.random() * 10_000) * 2);
const env = { ...process.env, SLURM_CONF: join(clusterDir, "slurm.conf"), PHYSML_SLURM_PORT: port };
let started = false;

// The daemons this test started are stopped however it ends (the script stops only the pids it
// recorded in its own directory).
const children = new Set<ChildProcess>();
afterAll(() => {
  // A CLI still waiting (a timed-out test) is ended, then the cluster's jobs and daemons.
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  if (started) spawnSync("bash", [cluster, "stop", clusterDir], { env, stdio: "inherit" });
});

/** Runs the CLI from the workspace sources; resolves with its exit code and output. */
function physml(args: string[], onSpawn?: (c: ChildProcess) => void) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(
      process.execPath,
      ["--conditions=@physml/source", "--import", "tsx", join(root, "apps/cli/src/main.ts"), ...args],
      { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] },
    );
    children.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d) => (stdout += d));
    child.stderr?.on("data", (d) => (stderr += d));
    onSpawn?.(child);
    child.on("exit", (code) => {
      children.delete(child);
      done({ code, stdout, stderr });
    });
  });
}

const metricSteps = (dir: string) =>
  readFileSync(join(dir, "metrics.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l).step as number);

test("a Slurm job-array sweep survives a killed task: resubmission finishes it, no point runs twice", async (t) => {
  if (reason) return t.skip(reason);
  const t0 = Date.now();
  const up = spawnSync("bash", [cluster, "start", clusterDir], { env, encoding: "utf8" });
  started = true;
  expect(up.status, `${up.stdout}\n${up.stderr}`).toBe(0);
  const setupMs = Date.now() - t0;

  // A short learner run: lenient validation limits (this tests the scheduler, not the physics),
  // a checkpoint every 5 steps so a kill lands between checkpoints.
  const config = join(base, "kw.json");
  writeFileSync(
    config,
    JSON.stringify({ checkpointEvery: 5, validation: { maxChi2PerDof: 1e6, maxPull: 1e6 } }),
  );
  const out = join(base, "sweep");
  const args = [
    "sweep",
    "duality",
    "kw",
    "--L",
    "4",
    "--chains",
    "16",
    "--explore-steps",
    "0",
    "--steps",
    "40",
    "--backend",
    "cpu",
    "--config",
    config,
    "--grid",
    "beta=0.3,0.4",
    "--grid",
    "seed=1,2",
    "--out",
    out,
    "--executor",
    "slurm",
    "--max-parallel",
    "2",
    "--wait",
  ];
  const victim = join(out, "beta-0.3_seed-1");
  let killedAt = -1;
  let killedPid = -1;
  let poll: ReturnType<typeof setInterval> | undefined;
  const first = await physml(args, () => {
    // kill -9 the task of point 0 once it has written a checkpoint (its pid is in the run's lock).
    poll = setInterval(() => {
      const ckpt = join(victim, "checkpoint");
      const steps = existsSync(ckpt) ? readdirSync(ckpt).filter((n) => /^step-\d+\.json$/.test(n)) : [];
      if (steps.length === 0 || !existsSync(join(victim, "run.lock"))) return;
      try {
        killedPid = JSON.parse(readFileSync(join(victim, "run.lock"), "utf8")).pid;
        process.kill(killedPid, "SIGKILL");
        killedAt = Number(/\d+/.exec(steps.sort()[0])?.[0]);
        clearInterval(poll);
      } catch {}
    }, 20);
  });
  clearInterval(poll);
  const firstMs = Date.now() - t0 - setupMs;
  expect(killedAt, first.stderr).toBeGreaterThan(0);
  expect(first.code, `${first.stdout}\n${first.stderr}`).toBe(1);
  expect(first.stdout).toMatch(/beta-0\.3_seed-1\s+failed/);
  expect(first.stdout).toMatch(/3 done, 0 running, 1 failed, 0 pending/);
  // The scheduler saw the task die by signal 9.
  expect(first.stdout).toMatch(/beta-0\.3_seed-1\s+failed\s+\d+\s+—\s+\w+ 0:9/);

  const names = ["beta-0.3_seed-1", "beta-0.3_seed-2", "beta-0.4_seed-1", "beta-0.4_seed-2"];
  const finished = names.slice(1).map((n) => statSync(join(out, n, "result.json")));

  const second = await physml([...args, "--resume"]);
  const secondMs = Date.now() - t0 - setupMs - firstMs;
  expect(second.code, `${second.stdout}\n${second.stderr}`).toBe(0);
  expect(second.stderr).toContain("3 of 4 points are done already; skipped");
  const manifest = JSON.parse(readFileSync(join(out, "sweep.json"), "utf8"));
  expect(manifest.submissions.map((s: { indices: number[] }) => s.indices)).toEqual([[0, 1, 2, 3], [0]]);
  expect(readFileSync(join(out, "slurm", "array-2.sh"), "utf8")).toContain("#SBATCH --array=0%1\n");

  // Finished points untouched; the killed one resumed from its checkpoint, every step once.
  names.slice(1).forEach((n, k) => {
    const st = statSync(join(out, n, "result.json"));
    expect([st.ino, st.mtimeMs]).toEqual([finished[k].ino, finished[k].mtimeMs]);
  });
  const steps = metricSteps(victim);
  expect(steps).toEqual(Array.from({ length: steps.length }, (_, n) => n));
  expect(steps).toEqual(metricSteps(join(out, names[1])));
  const log0 = readFileSync(join(out, "logs", "point-0.log"), "utf8");
  expect(log0).toContain(`resuming the run in ${victim}`);
  for (let i = 0; i < 4; i++) {
    // One completion per point: the learner prints its result line once.
    const log = readFileSync(join(out, "logs", `point-${i}.log`), "utf8");
    expect(log.match(/learned t0 = /g), `point ${i}`).toHaveLength(1);
  }

  // A third submission finds nothing to do and submits nothing.
  const third = await physml([...args, "--resume"]);
  expect(third.code).toBe(0);
  expect(third.stderr).toContain("nothing to run");
  expect(JSON.parse(readFileSync(join(out, "sweep.json"), "utf8")).submissions).toHaveLength(2);

  const status = await physml(["sweep", "status", out, "--json"]);
  expect(JSON.parse(status.stdout).counts).toEqual({ pending: 0, running: 0, done: 4, failed: 0 });
  expect(JSON.parse(status.stdout).activeSlurmJobs).toEqual([]);
  console.log(
    `sweep-slurm: cluster up in ${(setupMs / 1000).toFixed(1)} s; 4-point array with a kill in ${(firstMs / 1000).toFixed(1)} s; resubmission in ${(secondMs / 1000).toFixed(1)} s (killed pid ${killedPid} at checkpoint step ${killedAt})`,
  );
}, 480_000);
