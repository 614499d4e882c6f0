// failure.json: a run whose code throws says why (category, exit code, first line, time); opening it
// again to resume, or forcing a new run, clears it; a finished run never gets one.
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PhysmlInputError } from "@physml/lattice-core";
import { afterAll, describe, expect, it } from "vitest";
import { summarizeRun } from "../index/summary.js";
import { FAILURE_FILE, readFailure } from "./failure.js";
import { inRun } from "./in-run.js";
import { provenanceOf } from "./provenance.js";
import { openRun } from "./run.js";

const root = await mkdtemp(join(tmpdir(), "run-failure-"));
afterAll(() => rm(root, { recursive: true, force: true }));

const provenance = provenanceOf(import.meta.url);
const resolve = (i: unknown) => ({ n: 2, ...(i as object) }) as { n: number };

/** inRun whose body records one metrics line, then throws `error` (or finishes without one). */
const attempt = (out: string, error: unknown, more: { resume?: boolean; force?: boolean } = {}) =>
  inRun("failure-test", provenance, {}, resolve, { out, ...more }, async (_c, run) => {
    run.appendMetric({ step: 0 });
    if (error !== undefined) throw error;
    return { result: { x: 1 }, report: "<html></html>" };
  });

describe("failure.json", () => {
  it("records an input error as category input, exit code 2, with its first line and the time", async () => {
    const out = join(root, "input");
    const e = new PhysmlInputError("group", "enough points per class", 3);
    const before = Date.now();
    await expect(attempt(out, e)).rejects.toBe(e);
    const f = readFailure(out);
    expect(f).toMatchObject({ category: "input", code: 2, message: e.message });
    const at = Date.parse(f!.failedAt);
    expect(at).toBeGreaterThanOrEqual(before - 1000);
    expect(at).toBeLessThanOrEqual(Date.now() + 1000);
    const s = summarizeRun(out);
    expect(s.status).toBe("unfinished");
    expect(s.failure).toEqual(f);
  });

  it("records any other error as a crash, exit code 1, only its first line", async () => {
    const out = join(root, "crash");
    await expect(attempt(out, new Error("out of luck\n  at some frame"))).rejects.toThrow("out of luck");
    expect(readFailure(out)).toMatchObject({ category: "crash", code: 1, message: "out of luck" });
  });

  it("is kept by an opener that only adds to the run (keepFailure: an evaluation beside it)", async () => {
    const out = join(root, "evaluated");
    await expect(attempt(out, new Error("device lost"))).rejects.toThrow("device lost");
    const run = openRun({
      dir: out,
      kind: "failure-test",
      input: {},
      resolve,
      mode: "resume",
      provenance,
      keepFailure: true,
    });
    expect(run.status).toBe("resumed");
    run.writeJson("eval.json", { sigma: 0.1 });
    run.close();
    expect(readFailure(out)).toMatchObject({ category: "crash", message: "device lost" });
  });

  it("is cleared by a resume, which then finishes the run", async () => {
    const out = join(root, "resumed");
    await expect(attempt(out, new Error("first try"))).rejects.toThrow("first try");
    expect(existsSync(join(out, FAILURE_FILE))).toBe(true);
    const r = await attempt(out, undefined, { resume: true });
    expect(r.resumed).toBe(false);
    expect(existsSync(join(out, FAILURE_FILE))).toBe(false);
    const s = summarizeRun(out);
    expect(s.status).toBe("finished");
    expect(s).not.toHaveProperty("failure");
  });

  it("is replaced by a resume that fails again, and archived with the old run by force", async () => {
    const out = join(root, "again");
    await expect(attempt(out, new Error("first"))).rejects.toThrow("first");
    await expect(attempt(out, new PhysmlInputError("n", "x", 1), { resume: true })).rejects.toThrow();
    expect(readFailure(out)).toMatchObject({ category: "input" });
    await attempt(out, undefined, { force: true });
    expect(readFailure(out)).toBeNull();
    const archived = readdirSync(root).find((n) => n.startsWith("again.archived-"));
    expect(archived).toBeDefined();
    expect(readFailure(join(root, archived!))).toMatchObject({ category: "input" });
  });

  it("is not written for a failed start that leaves nothing behind, nor into a finished run", async () => {
    const out = join(root, "empty");
    await expect(
      inRun("failure-test", provenance, {}, resolve, { out }, async () => {
        throw new Error("before any step");
      }),
    ).rejects.toThrow();
    expect(existsSync(out)).toBe(false);
    const done = join(root, "done");
    const run = openRun({ dir: done, kind: "failure-test", input: {}, resolve, provenance });
    run.appendMetric({ step: 0 });
    run.writeResult({ x: 1 });
    run.abandon(new Error("the report failed after the result"));
    expect(existsSync(join(done, FAILURE_FILE))).toBe(false);
  });

  it("a summary reports an unreadable failure.json as unreadable", async () => {
    const out = join(root, "torn");
    await expect(attempt(out, new Error("x"))).rejects.toThrow();
    writeFileSync(join(out, FAILURE_FILE), "{");
    const s = summarizeRun(out);
    expect(s.status).toBe("unreadable");
    expect(s.error).toMatch(/^failure\.json: /);
  });
});
