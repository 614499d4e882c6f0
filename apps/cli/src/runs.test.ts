// `physml runs ls|show|export` over run directories written with @physml/runs.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PhysmlInputError } from "@physml/lattice-core";
import { openRun, readParquetTable } from "@physml/runs";
import { describe, expect, test } from "vitest";
import { headline } from "./commands/runs.js";
import { runCli } from "./main.js";

async function cli(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

function sweep(): string {
  const root = mkdtempSync(join(tmpdir(), "physml-runs-cli-"));
  for (const [beta, finished] of [
    [0.3, true],
    [0.7, false],
  ] as const) {
    const run = openRun({
      dir: join(root, `beta-${beta.toFixed(3)}`),
      kind: "duality-kw",
      input: { beta, L: 8 },
      resolve: (i) => i as object,
      provenance: { package: "@physml/duality-learner", version: "0.1.0", git: "abc123" },
    });
    run.appendMetric({ step: 0, loss: 0.5 });
    run.appendMetric({ step: 1, loss: 0.25 });
    if (finished) run.writeResult({ beta, t0: 0.6, t0Error: 0.002, relativeError: -0.01 });
    else run.saveCheckpoint(2, {});
    run.close();
  }
  return root;
}

describe("physml runs", () => {
  test("ls lists every run with status, steps and result; --json is one object", async () => {
    const root = sweep();
    const r = await cli("runs", "ls", root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /beta-0\.300\s+duality-kw\s+finished\s+2\s+t0 0\.60000 ± 0\.0020, -1\.00 % from β̃/,
    );
    expect(r.stdout).toMatch(/beta-0\.700\s+duality-kw\s+unfinished\s+2\s+checkpoint at step 2/);
    const j = JSON.parse((await cli("runs", "ls", root, "--json")).stdout);
    expect(j.runs.map((x: { status: string }) => x.status)).toEqual(["finished", "unfinished"]);
  });

  test("ls keeps its columns aligned when a kind or a directory name is longer than usual", async () => {
    const root = mkdtempSync(join(tmpdir(), "physml-runs-cli-"));
    for (const [name, kind] of [
      ["a", "duality-kw"],
      ["a-run-directory-with-a-long-name", "integrability-simulate"],
    ]) {
      const run = openRun({
        dir: join(root, name),
        kind,
        input: {},
        resolve: (i) => i as object,
        provenance: { package: "@physml/test", version: "0.1.0", git: null },
      });
      run.appendMetric({ step: 0, loss: 1 });
      run.writeResult({ seconds: 1 });
      run.close();
    }
    const r = await cli("runs", "ls", root);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    // The status column starts at the same place on every line, the header's included.
    const at = lines.map((l, k) => l.indexOf(k === 0 ? "status" : "finished"));
    expect(new Set(at).size, r.stdout).toBe(1);
  });

  test("--json leaves out what a run does not hold (no checkpoint, lock, result, git) instead of null", async () => {
    const root = mkdtempSync(join(tmpdir(), "physml-runs-cli-"));
    const run = openRun({
      dir: join(root, "bare"),
      kind: "duality-kw",
      input: { beta: 0.3 },
      resolve: (i) => i as object,
      provenance: { package: "@physml/duality-learner", version: "0.1.0", git: null },
    });
    run.appendMetric({ step: 0, loss: 0.5 });
    run.close();
    const ls = await cli("runs", "ls", root, "--json");
    const show = await cli("runs", "show", join(root, "bare"), "--json");
    for (const r of [ls, show]) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).not.toContain("null");
    }
    const [listed] = JSON.parse(ls.stdout).runs;
    const shown = JSON.parse(show.stdout);
    for (const j of [listed, shown]) {
      expect(j).toMatchObject({ status: "unfinished", metricsLines: 1 });
      for (const k of ["checkpointStep", "lockedBy", "result", "git"]) expect(j).not.toHaveProperty(k);
    }
    expect(shown.config).toEqual({ beta: 0.3 });
  });

  test("show prints provenance, status and config", async () => {
    const root = sweep();
    const r = await cli("runs", "show", join(root, "beta-0.300"));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("duality-kw run, finished");
    expect(r.stdout).toContain("written by @physml/duality-learner 0.1.0 at abc123");
    expect(r.stdout).toContain('"beta": 0.3');
  });

  test("a run whose code threw says why in ls (text and --json) and show; a resume that finishes clears it", async () => {
    const root = mkdtempSync(join(tmpdir(), "physml-runs-cli-"));
    const open = (name: string, mode?: "resume") =>
      openRun({
        dir: join(root, name),
        kind: "duality-kw",
        input: { beta: 0.3 },
        resolve: (i) => i as object,
        mode,
        provenance: { package: "@physml/duality-learner", version: "0.1.0", git: null },
      });
    for (const [name, error] of [
      ["bad-input", new PhysmlInputError("L", "an even integer >= 2", 3)],
      ["crashed", new Error("device lost\n  at frame")],
    ] as const) {
      const run = open(name);
      run.appendMetric({ step: 0, loss: 0.5 });
      run.saveCheckpoint(1, {});
      run.abandon(error);
    }
    const ls = await cli("runs", "ls", root);
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.stdout).toMatch(
      /bad-input\s+duality-kw\s+unfinished\s+1\s+failed \(input, exit 2\): L: expected an even integer >= 2, got 3; checkpoint at step 1\n/,
    );
    expect(ls.stdout).toMatch(
      /crashed\s+duality-kw\s+unfinished\s+1\s+failed \(crash, exit 1\): device lost; checkpoint/,
    );
    const listed = JSON.parse((await cli("runs", "ls", root, "--json")).stdout).runs;
    expect(listed.map((r: { failure: object }) => r.failure)).toMatchObject([
      { category: "input", code: 2, message: "L: expected an even integer >= 2, got 3" },
      { category: "crash", code: 1, message: "device lost" },
    ]);
    const show = await cli("runs", "show", join(root, "crashed"));
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(
      /\n {2}failed \(crash, exit 1\) at \d{4}-\d\d-\d\dT[\d:.]+Z: device lost\n {2}result: none yet\n/,
    );
    const shown = JSON.parse((await cli("runs", "show", join(root, "crashed"), "--json")).stdout);
    expect(shown.failure).toEqual(listed[1].failure);

    const resumed = open("crashed", "resume");
    resumed.writeResult({ t0: 0.6, t0Error: 0.002 });
    resumed.close();
    const after = JSON.parse((await cli("runs", "show", join(root, "crashed"), "--json")).stdout);
    expect(after.status).toBe("finished");
    expect(after).not.toHaveProperty("failure");
  });

  test("export: CSV to stdout, Parquet to a file that reads back", async () => {
    const root = sweep();
    const csv = await cli("runs", "export", root);
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.trimEnd().split("\r\n");
    expect(lines).toHaveLength(3);
    const head = lines[0].split(",");
    expect(lines[1].split(",")[head.indexOf("result.t0")]).toBe("0.6");
    expect(lines[2].split(",")[head.indexOf("result.t0")]).toBe("");
    const file = join(root, "runs.parquet");
    const p = await cli("runs", "export", root, "--format", "parquet", "--output", file, "--json");
    const summary = JSON.parse(p.stdout);
    expect(summary).toMatchObject({ runCount: 2, format: "parquet" });
    // `runs` is the list of runs in `runs ls`
    expect(summary).not.toHaveProperty("runs");
    const t = await readParquetTable(new Uint8Array(readFileSync(file)));
    expect(t.getChild("config.beta")?.toArray()).toEqual(Float64Array.from([0.3, 0.7]));
  });

  test("bad use is a one-line error with exit 2", async () => {
    for (const [argv, msg] of [
      // a positional argument is named as the usage line names it (`<run>`): there is no --run flag
      [["runs", "show", "/nonexistent/run"], /^physml runs show: <run>: expected an existing directory/],
      [["runs", "ls", "/nonexistent/runs"], /^physml runs ls: <dir>: expected an existing directory/],
      [["runs", "show"], /expected <run>/],
      [["runs", "export"], /expected <runs>/],
      [["runs", "export", "/tmp", "--format", "parquet"], /--output: expected a file path/],
      [["runs", "export", "/tmp", "--format", "xlsx"], /--format: expected one of csv\|parquet/],
      [["runs", "ls", "a", "b"], /unexpected argument "b"/],
    ] as [string[], RegExp][]) {
      const r = await cli(...argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });

  test("export: --json needs --output (stdout holds one JSON object); an unwritable --output is refused first", async () => {
    const root = sweep();
    const file = join(root, "beta-0.300", "config.json");
    for (const [argv, msg] of [
      [["runs", "export", root, "--json"], /^physml runs export: --output: expected a file path with --json/],
      [
        ["runs", "export", root, "--output", join(file, "runs.csv")],
        /^physml runs export: --output: expected a file path in an existing, writable directory, got ".*" \(.*config\.json is a file, not a directory\)/,
      ],
      [
        ["runs", "export", root, "--output", join(root, "no", "such", "dir", "runs.csv")],
        /--output: expected a file path in an existing, writable directory, got .* \(.*dir does not exist\)/,
      ],
      [["runs", "export", root, "--output", root], /--output: expected a file path .* is a directory\)/],
    ] as [string[], RegExp][]) {
      const r = await cli(...argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});

test("a result's headline: counts as integers, other numbers to 5 significant digits, at most 3 of them", () => {
  const run = (result: Record<string, unknown>) =>
    headline({
      dir: "d",
      kind: "k",
      status: "finished",
      createdAt: "",
      package: "p",
      version: "0",
      metricsLines: 0,
      result,
    });
  expect(run({ system: "ho", h: 0.02, steps: 100, drift: { energy: 1e-8 } })).toBe("h 0.020000, steps 100");
  expect(run({ a: 1 / 3, b: -7, c: 2.5e20, d: 4 })).toBe("a 0.33333, b -7, c 2.5000e+20");
  expect(run({ t0: 0.618167, t0Error: 0.000819, relativeError: 0.0024 })).toBe(
    "t0 0.61817 ± 0.00082, 0.24 % from β̃",
  );
});
