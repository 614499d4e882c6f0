// The local executor on a 4-point sweep of the toy learner: a bounded pool (never more workers
// than asked, and the pool is used), results equal to runs made directly, a killed point
// resumed from its checkpoint on resubmission while finished points are left untouched, each
// worker's share of the cores, and the merged table and report.
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { ConfigMismatchError, RunDirError } from "../src/errors.js";
import { parseGridAxis } from "../src/sweep/grid.js";
import { runLocal } from "../src/sweep/local.js";
import { openSweep, pointDir, readSweep, type SweepDefinition } from "../src/sweep/manifest.js";
import { sweepReport, sweepTable } from "../src/sweep/merge.js";
import { sweepStatus } from "../src/sweep/status.js";
import { toCsv } from "../src/table/table.js";
import { toyRun } from "./fixtures/toy-learner.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");
const worker = [
  process.execPath,
  "--conditions=@physml/source",
  "--import",
  "tsx",
  join(here, "fixtures", "toy-sweep-worker.ts"),
];

const definition = (grid: string[]): SweepDefinition => ({
  command: ["toy"],
  args: [],
  grid: grid.map((g) => parseGridAxis(g)),
  worker,
  cwd: root,
  pointArgs: (p) => Object.entries(p).map(([k, v]) => `--${k}=${v}`),
});

test("a 4-point local sweep: bounded pool, direct-run results, idempotent resubmission", async () => {
  const dir = join(mkdtempSync(join(tmpdir(), "physml-sweep-local-")), "sweep");
  const opened = openSweep(dir, definition(["seed=1,2,3,4", "steps=60"]), false);
  const m = opened.manifest;
  expect(m.points.map((p) => p.name)).toEqual([
    "seed-1_steps-60",
    "seed-2_steps-60",
    "seed-3_steps-60",
    "seed-4_steps-60",
  ]);
  expect(m.points[2].argv).toEqual(["--seed=3", "--steps=60"]);
  expect(sweepStatus(dir).counts).toEqual({ pending: 4, running: 0, done: 0, failed: 0 });

  // Point 1 is killed (SIGKILL) once it has a checkpoint; the pool carries on with the others.
  // Workers alive at once, as the executor sees them start and exit.
  let alive = 0;
  let most = 0;
  const exits = await runLocal(m, dir, {
    indices: [0, 1, 2, 3],
    maxParallel: 2,
    onExit: () => alive--,
    onStart: (index, pid) => {
      most = Math.max(most, ++alive);
      if (index !== 1 || pid === undefined) return;
      const poll = setInterval(() => {
        const ckpt = join(pointDir(dir, m.points[1]), "checkpoint");
        if (existsSync(ckpt) && readdirSync(ckpt).some((n) => /^step-\d+\.json$/.test(n))) {
          clearInterval(poll);
          process.kill(pid, "SIGKILL");
        }
      }, 5);
    },
  });
  opened.close();
  expect(exits.map((e) => [e.index, e.code ?? e.signal])).toEqual([
    [0, 0],
    [1, "SIGKILL"],
    [2, 0],
    [3, 0],
  ]);
  expect(most).toBe(2);
  let s = sweepStatus(dir);
  expect(s.points.map((p) => p.state)).toEqual(["done", "failed", "done", "done"]);
  const killedAt = s.points[1].checkpointStep;
  expect(killedAt).toBeGreaterThan(0);
  expect(killedAt).toBeLessThan(60);

  // Resubmission: an existing sweep needs resume; a different grid is refused with the difference.
  expect(() => openSweep(dir, definition(["seed=1,2,3,4", "steps=60"]), false)).toThrow(RunDirError);
  expect(() => openSweep(dir, definition(["seed=1,2,3", "steps=60"]), true)).toThrow(ConfigMismatchError);
  expect(() => openSweep(dir, definition(["steps=60", "seed=1,2,3,4"]), true)).toThrow(/axis order/);
  // The same values written as a range are the same grid.
  const again = openSweep(dir, definition(["seed=1:4:1", "steps=60"]), true);
  const finished = [0, 2, 3].map((i) => statSync(join(pointDir(dir, m.points[i]), "result.json")));
  const todo = sweepStatus(dir)
    .points.filter((p) => p.state !== "done")
    .map((p) => p.index);
  expect(todo).toEqual([1]);
  const second = await runLocal(again.manifest, dir, { indices: todo, maxParallel: 2 });
  again.close();
  expect(second.map((e) => e.code)).toEqual([0]);

  s = sweepStatus(dir);
  expect(s.counts.done).toBe(4);
  [0, 2, 3].forEach((i, k) => {
    const st = statSync(join(pointDir(dir, m.points[i]), "result.json"));
    expect([st.ino, st.mtimeMs]).toEqual([finished[k].ino, finished[k].mtimeMs]);
  });
  // The killed point resumed from its checkpoint: every step exactly once, none repeated.
  const steps = s.points[1].run?.metricsLines;
  expect(steps).toBe(60);
  const metrics = readFileSync(join(pointDir(dir, m.points[1]), "metrics.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l).step);
  expect(metrics).toEqual(Array.from({ length: 60 }, (_, n) => n));
  const timeline = readFileSync(join(dir, "timeline.log"), "utf8");
  expect(timeline.match(/^start 1 /gm)).toHaveLength(2);
  // Each worker had its share of the thread budget: the cores over the 2 lanes of the first
  // submission, all of them for the resubmission's one point (unless the test's own environment
  // sets PHYSML_THREADS, which the workers then inherit).
  const budget = process.env.PHYSML_THREADS?.trim()
    ? Number(process.env.PHYSML_THREADS)
    : availableParallelism();
  const own = Boolean(process.env.PHYSML_THREADS?.trim());
  const threads = [...timeline.matchAll(/threads=(\S+)/g)].map((t) => t[1]);
  expect(threads).toEqual([
    ...Array(4).fill(String(own ? budget : Math.max(1, Math.floor(budget / 2)))),
    String(budget),
  ]);

  // Independent truth: the same configurations run directly, never killed.
  for (const p of s.points) {
    const direct = toyRun(join(mkdtempSync(join(tmpdir(), "physml-toy-")), "run"), {
      steps: 60,
      seed: Number(p.params.seed),
      checkpointEvery: 5,
    });
    expect(p.run?.result).toEqual(direct);
  }
  expect(readSweep(dir).points).toEqual(m.points);

  // Merge: a row per point with its grid values and results; a report with a chart.
  const t = sweepTable(s);
  expect(t.columns.slice(0, 6)).toEqual(["point", "index", "state", "exitCode", "grid.seed", "grid.steps"]);
  const x = t.columns.indexOf("result.x");
  expect(t.rows.map((r) => r[x])).toEqual(s.points.map((p) => p.run?.result?.x));
  expect(toCsv(t).split("\r\n")[1]).toMatch(/^seed-1_steps-60,0,done,0,1,60,/);
  const html = await sweepReport(s, t);
  expect(html).toContain("<svg");
  expect(html).toContain("x against seed");
}, 120_000);
