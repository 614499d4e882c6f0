// A lines run killed at a checkpoint and resumed: the sample sets, the finished geometries and
// the learner steps of the geometry under way are not redone, and the result, metrics, arrays
// and report are the uninterrupted run's (apart from the seconds), with `seconds` counting the
// killed attempt's up to its checkpoint; a checkpoint written before the checks moved under
// `validation`, and before the learner's state was stored, resumes alike.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PhysmlInputError } from "@physml/lattice-core";
import {
  CheckpointKill,
  killedAtCheckpoint,
  setCheckpointSeconds,
  timelessCheckpoint,
} from "@physml/runs/testing";
import { afterAll, describe, expect, it } from "vitest";
import { type AnyLinesResult, runLinesDir } from "../src/index.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

// small and fast: what is checked is the bookkeeping, not the physics
const SMALL = {
  L: 8,
  beta: 0.3,
  chains: 8,
  samplesPerChain: 8,
  warmupSweeps: 50,
  blocks: 4,
  landscapePoints: 8,
};
const CASES = [
  { chunk: "table", steps: 40, starts: 2 },
  { chunk: "neighbourhood", steps: 4, starts: 3 },
] as const;

const text = (dir: string, name: string) => readFileSync(join(dir, name), "utf8");
const bytes = (dir: string, name: string) => readFileSync(join(dir, name));
/** The report without its one wall-clock row. */
const timelessReport = (dir: string) => {
  const page = text(dir, "report.html");
  const row = /<tr><th>seconds<\/th><td>[^<]*<\/td><\/tr>/;
  expect(page).toMatch(row);
  return page.replace(row, "");
};
const timeless = (r: AnyLinesResult & { out: string }) => {
  const { seconds: _s, sampleSeconds: _ss, out: _o, ...rest } = r;
  return rest;
};

/**
 * The run in `out`, the geometries whose learner stepped in it, and its learner steps
 * (`geometry:step`); `checkpointSeconds` as the run's (default: no checkpoint inside a geometry).
 */
async function linesRun(input: object, out: string, resume = false, checkpointSeconds = Infinity) {
  const stepped = new Set<string>();
  const steps: string[] = [];
  const said: string[] = [];
  const r = await runLinesDir(input, {
    out,
    resume,
    checkpointSeconds,
    onStep: (g, m) => {
      stepped.add(g);
      steps.push(`${g}:${m.step}`);
    },
    log: (m) => said.push(m),
  });
  return { result: r.result, stepped: [...stepped], steps, said };
}

/** `geometry:from` … `geometry:to`. */
const stepRange = (g: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${g}:${from + i}`);

/** The checkpoint file of step `n`, as a resume names it. */
const stepFile = (n: number) => `checkpoint/step-${String(n).padStart(8, "0")}.json`;

describe.each(CASES)("duality lines --chunk $chunk --resume", (chunk) => {
  const input = { ...SMALL, ...chunk };

  it("killed as it checkpoints the samples, a geometry or a learner step resumes without sampling, learning the finished geometries or the stored steps again, to the uninterrupted run's outputs", async () => {
    const base = await mkdtemp(join(tmpdir(), `lines-resume-${chunk.chunk}-`));
    dirs.push(base);
    const whole = join(base, "whole");
    const ref = await linesRun(input, whole);
    expect(ref.stepped).toEqual(["links", "crossing"]);

    // dies as it writes checkpoint 2 (links finished): the samples' checkpoint is on disk
    const early = join(base, "early");
    await expect(killedAtCheckpoint(1, () => linesRun(input, early))).rejects.toThrow(CheckpointKill);
    const sampled = timelessCheckpoint(join(early, "checkpoint", "step-00000001.json")).state as {
      sampleSeconds: number;
    };
    const a = await linesRun({}, early, true);
    expect(a.said).toEqual([
      "physml duality lines: resuming from checkpoint/step-00000001.json: 64 + 64 configurations sampled",
    ]);
    // the samples are read back, not drawn again: the sampling time is the killed attempt's
    expect(a.result.sampleSeconds).toBe(sampled.sampleSeconds);
    expect(a.stepped).toEqual(["links", "crossing"]);

    // dies as it writes checkpoint 3 (crossing finished): links is kept
    const late = join(base, "late");
    await expect(killedAtCheckpoint(2, () => linesRun(input, late))).rejects.toThrow(CheckpointKill);
    setCheckpointSeconds(late, 500);
    const b = await linesRun({}, late, true);
    // the sampling is unit 1, each geometry its steps and its validation
    const linksDone = 1 + (chunk.steps + 1);
    expect(b.said[0]).toBe(
      `physml duality lines: resuming from ${stepFile(linksDone)}: 64 + 64 configurations sampled; links finished`,
    );
    expect(b.stepped).toEqual(["crossing"]);
    expect(b.result.seconds).toBeGreaterThanOrEqual(500);
    expect(ref.result.seconds).toBeLessThan(500);

    // the same kill, its checkpoint rewritten as one written before the checks moved to
    // `validation`: each finished geometry held its check inside its result, its fresh-sample
    // statistics with their own copy of the verdict and their keys' old names
    // and numbered as it was then (1 + i after i geometries)
    const old = join(base, "old");
    await expect(killedAtCheckpoint(2, () => linesRun(input, old))).rejects.toThrow(CheckpointKill);
    const file = join(old, "checkpoint", "step-00000002.json");
    const cp = { ...JSON.parse(text(old, stepFile(linksDone))), step: 2 };
    rmSync(join(old, stepFile(linksDone)));
    cp.state.geometries = cp.state.geometries.map(
      ({
        result,
        check,
        failures,
      }: {
        result: object;
        check: Record<string, unknown>;
        failures: string[];
      }) => {
        const { fresh, ...rest } = check;
        return {
          result: { ...result, ...rest, ...(fresh ? { validation: oldFresh(fresh, rest.verdict) } : {}) },
          failures,
        };
      },
    );
    writeFileSync(file, JSON.stringify(cp));
    const o = await linesRun({}, old, true);
    expect(o.said[0]).toMatch(/step-00000002\.json: 64 \+ 64 configurations sampled; links finished$/);
    expect(o.stepped).toEqual(["crossing"]);

    // checkpointing after every learner step, killed inside links (after its step 3) and inside
    // crossing (after its step 2): the resume continues after that step
    const inLinks = join(base, "in-links");
    await expect(killedAtCheckpoint(1 + 3, () => linesRun(input, inLinks, false, 0))).rejects.toThrow(
      CheckpointKill,
    );
    const l = await linesRun({}, inLinks, true);
    expect(l.said).toEqual([
      `physml duality lines: resuming from ${stepFile(1 + 3)}: 64 + 64 configurations sampled; links at learner step 3 of ${chunk.steps}`,
    ]);
    expect(l.steps).toEqual([
      ...stepRange("links", 4, chunk.steps),
      ...stepRange("crossing", 1, chunk.steps),
    ]);
    const inCrossing = join(base, "in-crossing");
    await expect(
      killedAtCheckpoint(linksDone + 2, () => linesRun(input, inCrossing, false, 0)),
    ).rejects.toThrow(CheckpointKill);
    // the newest checkpoint's learner state does not fit (a step beyond the run's): the one
    // before it, after crossing's step 1, is used
    const newest = join(inCrossing, stepFile(linksDone + 2));
    const bad = JSON.parse(readFileSync(newest, "utf8"));
    bad.state.training.learner.step = chunk.steps + 1;
    writeFileSync(newest, JSON.stringify(bad));
    const x = await linesRun({}, inCrossing, true);
    expect(x.said).toEqual([
      `${stepFile(linksDone + 2)} is unreadable (training.learner.step: expected an integer in [0, ${chunk.steps}], got ${chunk.steps + 1})`,
      `falling back to ${stepFile(linksDone + 1)}`,
      `physml duality lines: resuming from ${stepFile(linksDone + 1)}: 64 + 64 configurations sampled; links finished; crossing at learner step 1 of ${chunk.steps}`,
    ]);
    expect(x.steps).toEqual(stepRange("crossing", 2, chunk.steps));

    const resumed = new Map([
      [early, a.result],
      [late, b.result],
      [old, o.result],
      [inLinks, l.result],
      [inCrossing, x.result],
    ]);
    for (const [dir, result] of resumed) {
      expect(timeless(result)).toEqual(timeless(ref.result));
      expect(text(dir, "metrics.jsonl")).toBe(text(whole, "metrics.jsonl"));
      expect(JSON.parse(text(dir, "result.json"))).toEqual({
        ...JSON.parse(text(whole, "result.json")),
        ...pick(dir),
      });
      expect(timelessReport(dir)).toBe(timelessReport(whole));
      for (const f of ["arrays/train.npy", "arrays/fresh.npy"])
        expect(bytes(dir, f).equals(bytes(whole, f))).toBe(true);
    }
  });

  // result.json is written before report.html (each atomically), so a kill between the two leaves
  // a finished result without its report; the resume writes the report from the stored result,
  // and the loss history (the neighbourhood chunk's charts) from metrics.jsonl
  it("killed between its result and its report resumes to the uninterrupted run's report", async () => {
    const base = await mkdtemp(join(tmpdir(), `lines-report-${chunk.chunk}-`));
    dirs.push(base);
    const dir = join(base, "run");
    await linesRun(input, dir);
    const whole = timelessReport(dir);
    rmSync(join(dir, "report.html"));
    const r = await linesRun({}, dir, true);
    expect(r.stepped).toEqual([]);
    expect(timelessReport(dir)).toBe(whole);
  });
});

/** Fresh-sample statistics as stored before: with the check's verdict, and `fresh…` key names. */
function oldFresh(fresh: object, verdict: unknown): object {
  const old: Record<string, string> = {
    angleDeg: "freshAngleDeg",
    angleErrorDeg: "freshAngleErrorDeg",
    table: "freshTable",
    tableError: "freshTableError",
  };
  return {
    ...Object.fromEntries(Object.entries(fresh).map(([k, v]) => [old[k] ?? k, v])),
    verdict,
  };
}

describe("runLinesDir options", () => {
  it("refuses a checkpoint interval that is not a number of seconds >= 0, naming it, before making the directory", async () => {
    const out = join(tmpdir(), "lines-never");
    for (const checkpointSeconds of [-1, Number.NaN]) {
      const e = await runLinesDir(SMALL, { out, checkpointSeconds }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(PhysmlInputError);
      expect((e as PhysmlInputError).field).toBe("checkpointSeconds");
    }
    expect(existsSync(out)).toBe(false);
  });
});

/** The wall-clock fields and `out` of the run in `dir`, as stored. */
function pick(dir: string): object {
  const r = JSON.parse(text(dir, "result.json"));
  return { seconds: r.seconds, sampleSeconds: r.sampleSeconds, out: r.out };
}
