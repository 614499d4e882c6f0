// `physml sweep` with the local executor: bad command lines are one-line errors (exit 2) and
// write nothing; a 4-point sweep of a short `duality kw` run gives each point its own run
// directory and configuration, a resubmission runs nothing, status and merge read it back.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openRun, readParquetTable, SWEEP_FORMAT, writePointExit, writeSweep } from "@physml/runs";
import { describe, expect, test } from "vitest";
import { loadAllCommands } from "./commands/index.js";
import { flagsClashingWithSweep, isLearner } from "./commands/sweep-request.js";
import { runCli } from "./main.js";

async function cli(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

const tmp = () => mkdtempSync(join(tmpdir(), "physml-sweep-cli-"));

test("every learner command can be swept: none of its flags is also one of the sweep's own", async () => {
  const learners = (await loadAllCommands()).filter(isLearner);
  expect(learners.map((c) => c.path.join(" "))).toContain("integrability simulate");
  const clashes = learners.flatMap((c) => flagsClashingWithSweep(c).map((f) => `${c.path.join(" ")} --${f}`));
  expect(clashes).toEqual([]);
});

describe("physml sweep: bad command lines", () => {
  const out = join(tmp(), "sweep");
  test.each([
    [["sweep", "--grid", "beta=0.3"], /expected a learner command; one of: duality kw/],
    [["sweep", "sweep", "--grid", "beta=0.3"], /"sweep" is not a learner command a sweep can run/],
    [["sweep", "duality", "kww", "--grid", "beta=0.3"], /did you mean "duality kw"/],
    [
      ["sweep", "exact", "energy", "--grid", "L=4"],
      /"exact energy" is not a learner command a sweep can run/,
    ],
    [
      ["sweep", "duality", "kw", "--grid", "bta=0.3"],
      /--grid: expected a key that is one of the learner's flags.*did you mean beta/,
    ],
    [
      ["sweep", "duality", "kw", "--grid", "beta=0.3", "--beta", "0.4"],
      /--grid: expected a key not also given as --beta/,
    ],
    [["sweep", "duality", "kw", "--grid", "beta=0.3,5"], /point beta-5: .*beta.*\[0\.01, 3\]/],
    [
      ["sweep", "duality", "kw", "--grid", "beta=0.3", "--partition", "gpu"],
      /--executor: expected slurm for --partition/,
    ],
    [["sweep", "duality", "kw", "--grid", "beta=0.3", "--bogus", "1"], /unknown flag --bogus/],
    [
      ["sweep", "duality", "kw", "--grid", "workers=1,2"],
      /--grid: expected a key that is one of the learner's flags/,
    ],
    [["sweep", "duality", "kw", "--grid", "beta=0.3", "--steps", "0"], /steps.*\[1, 1000000\]/],
    [["sweep", "duality", "kw", "--beta", "0.3"], /--grid: expected key=lo:hi:step/],
    [
      ["sweep", "duality", "kw", "--grid", "beta=0.3:0.1:0.1"],
      /grid beta: expected .*hi must not be below lo/,
    ],
    [
      ["sweep", "duality", "kw", "--grid", "beta=0.3", "--executor", "pbs"],
      /--executor: expected one of local \| slurm/,
    ],
    // a learner without a check of its own: each flag's range is still checked for every point
    [
      ["sweep", "integrability", "lax", "--system", "ho", "--grid", "steps=10,1000000000"],
      /^physml sweep: point steps-1000000000: --steps: expected an integer in \[0, 100000\], got "1000000000"$/m,
    ],
    [
      ["sweep", "integrability", "lax", "--system", "ho", "--samples", "8", "--grid", "seed=0,1"],
      /^physml sweep: point seed-0: --samples: expected an integer in \[16, 65536\], got "8"$/m,
    ],
    [
      ["sweep", "cy", "train", "--grid", "k=2,9"],
      /^physml sweep: point k-9: --k: expected an integer in \[1, 8\], got "9"$/m,
    ],
  ])("%j", async (argv, message) => {
    const r = await cli(...argv, "--out", out);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });

  test("a bad PHYSML_THREADS, which every point would inherit, is refused before the sweep is written", async () => {
    const before = process.env.PHYSML_THREADS;
    process.env.PHYSML_THREADS = "0";
    try {
      const r = await cli("sweep", "duality", "kw", "--grid", "beta=0.3", "--out", out);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        "physml sweep: PHYSML_THREADS (environment variable): expected an integer in [1, 256], got 0\n",
      );
      expect(existsSync(out)).toBe(false);
    } finally {
      if (before === undefined) delete process.env.PHYSML_THREADS;
      else process.env.PHYSML_THREADS = before;
    }
  });

  test("a first submission that fails (no Slurm tools here) leaves nothing behind", async () => {
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      const r = await cli(
        "sweep",
        "duality",
        "kw",
        "--grid",
        "beta=0.3",
        "--executor",
        "slurm",
        "--out",
        out,
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--executor: expected slurm with the Slurm client tools on PATH .* not found/);
    } finally {
      process.env.PATH = path;
    }
    expect(existsSync(out)).toBe(false);
  });

  test("status and merge name a directory that is not a sweep", async () => {
    const r = await cli("sweep", "status", tmp());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/<dir>: expected a sweep directory \(with sweep.json\)/);
  });

  test("merge refuses an --output it cannot write before reading the points", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "sweep.json"), "{}");
    const r = await cli("sweep", "merge", dir, "--output", join(dir, "sweep.json", "table.csv"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^physml sweep merge: --output: expected a file path in an existing, writable directory, got .* \(.*sweep\.json is a file, not a directory\)/,
    );
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  test("--help shows the sweep's flags", async () => {
    const r = await cli("sweep", "--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--grid <value>/);
    expect(r.stdout).toMatch(/--executor <value>/);
  });
});

test("sweep status shows why a failed point failed (text and --json), read from its run directory", async () => {
  const out = tmp();
  const points = [0.3, 0.4].map((beta, index) => ({
    index,
    name: `beta-${beta}`,
    params: { beta },
    argv: ["--beta", String(beta)],
  }));
  writeSweep(out, {
    format: SWEEP_FORMAT,
    createdAt: new Date().toISOString(),
    command: ["duality", "kw"],
    args: [],
    grid: [{ key: "beta", spec: "0.3,0.4", values: [0.3, 0.4] }],
    worker: [],
    cwd: out,
    points,
    submissions: [],
  });
  mkdirSync(join(out, "logs"));
  for (const p of points) {
    const run = openRun({
      dir: join(out, p.name),
      kind: "duality-kw",
      input: p.params,
      resolve: (i) => i as object,
      provenance: { package: "@physml/duality-learner", version: "0.1.0", git: null },
    });
    run.appendMetric({ step: 0, loss: 0.5 });
    if (p.index === 0) {
      run.writeResult({ beta: 0.3, t0: 0.6, t0Error: 0.002 });
      run.close();
    } else run.abandon(new Error("WebGPU device lost"));
    writePointExit(out, p.index, { code: p.index === 0 ? 0 : 1, host: "h", pid: 1, endedAt: "t" });
  }
  const text = await cli("sweep", "status", out);
  expect(text.code, text.stderr).toBe(0);
  expect(text.stdout).toMatch(/beta-0\.4\s+failed\s+1\s+1\s+failed \(crash, exit 1\): WebGPU device lost\n/);
  const json = JSON.parse((await cli("sweep", "status", out, "--json")).stdout);
  expect(json.counts).toMatchObject({ done: 1, failed: 1 });
  expect(json.gridPoints[0]).not.toHaveProperty("failure");
  expect(json.gridPoints[1].failure).toMatchObject({
    category: "crash",
    code: 1,
    message: "WebGPU device lost",
  });
});

test("a 4-point local sweep of duality kw: own directories and configs, idempotent resubmission, status, merge", async () => {
  const base = tmp();
  const out = join(base, "sweep");
  // Lenient validation limits: this checks the sweep machinery, not the physics (a short run).
  const config = join(base, "kw.json");
  writeFileSync(config, JSON.stringify({ validation: { maxChi2PerDof: 1e6, maxPull: 1e6 } }));
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
    "10",
    "--backend",
    "cpu",
    "--workers",
    "1",
    "--config",
    config,
    "--grid",
    "beta=0.3001,0.3004",
    "--grid",
    "seed=1,2",
    "--out",
    out,
    "--max-parallel",
    "2",
  ];
  const r = await cli(...args);
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  expect(r.stderr).toContain("running 4 points, 2 at a time");
  const names = ["beta-0.3001_seed-1", "beta-0.3001_seed-2", "beta-0.3004_seed-1", "beta-0.3004_seed-2"];
  for (const n of names) expect(r.stdout).toMatch(new RegExp(`${n.replace(/\./g, "\\.")}\\s+done`));
  // Hostile case 7: each point ran with its own β and seed (read back from its own run).
  names.forEach((n, i) => {
    const c = JSON.parse(readFileSync(join(out, n, "config.json"), "utf8")).config;
    expect([c.beta, c.seed]).toEqual([[0.3001, 0.3001, 0.3004, 0.3004][i], [1, 2, 1, 2][i]]);
    const res = JSON.parse(readFileSync(join(out, n, "result.json"), "utf8"));
    expect(res.beta).toBe(c.beta);
    // --workers is passed on to every point (one sampler thread each), and is no part of its config
    expect(res.adapter).toMatch(/\(1 thread, /);
    expect(c).not.toHaveProperty("workers");
  });

  const before = statSync(join(out, names[0], "result.json"));
  const again = await cli(...args, "--resume");
  expect(again.code).toBe(0);
  expect(again.stderr).toContain("4 of 4 points are done already; skipped");
  expect(again.stderr).toContain("nothing to run");
  expect(statSync(join(out, names[0], "result.json")).mtimeMs).toBe(before.mtimeMs);
  // Without --resume an existing sweep is refused; with another grid, the difference is named.
  const taken = await cli(...args);
  expect(taken.code).toBe(2);
  expect(taken.stderr).toMatch(/--resume/);
  const other = await cli(...args.map((a) => (a === "seed=1,2" ? "seed=1,3" : a)), "--resume");
  expect(other.code).toBe(2);
  expect(other.stderr).toMatch(/differs in grid/);

  const status = JSON.parse((await cli("sweep", "status", out, "--json")).stdout);
  expect(status.counts).toEqual({ pending: 0, running: 0, done: 4, failed: 0 });
  expect(status.gridPoints.map((p: { exit: { code: number } }) => p.exit.code)).toEqual([0, 0, 0, 0]);
  // `points` is a number of points in every other command's JSON
  expect(status).not.toHaveProperty("points");

  const merged = await cli("sweep", "merge", out, "--format", "parquet", "--json");
  expect(merged.code, merged.stderr).toBe(0);
  const summary = JSON.parse(merged.stdout);
  const table = await readParquetTable(new Uint8Array(readFileSync(summary.output)));
  expect(table.numRows).toBe(4);
  expect(table.getChild("grid.beta")?.toArray()).toEqual(Float64Array.from([0.3001, 0.3001, 0.3004, 0.3004]));
  expect(table.getChild("point")?.toArray()).toEqual(names);
  const html = readFileSync(join(out, "report.html"), "utf8");
  expect(html).toContain("t0 against beta");
  expect(html).toContain("<svg");
}, 180_000);
