import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { ConfigMismatchError } from "../errors.js";
import { fillAddedFields } from "./added-fields.js";
import { inRun } from "./in-run.js";
import { openRun, type RunMode, readRunConfig } from "./run.js";

describe("fillAddedFields", () => {
  const added = { warmup: 0, lift: "none" };

  test("sets each listed field the stored config lacks to the value it had, keeping the rest", () => {
    expect(fillAddedFields({ steps: 60, lift: "quadratic" }, added)).toEqual({
      steps: 60,
      lift: "quadratic",
      warmup: 0,
    });
  });

  test("a field stored under any value is kept, null and falsy ones too", () => {
    const stored = { warmup: null, lift: "" };
    expect(fillAddedFields(stored, added)).toEqual(stored);
  });

  test("a value that depends on when the run was written is read off the config as stored", () => {
    // `loss` was added after `lift`: runs that lack both had one loss, runs with `lift` another
    const table = {
      lift: "none",
      loss: (c: Readonly<Record<string, unknown>>) => ("lift" in c ? "new" : "old"),
    };
    expect(fillAddedFields({ steps: 1 }, table)).toEqual({ steps: 1, lift: "none", loss: "old" });
    expect(fillAddedFields({ lift: "quadratic" }, table)).toEqual({ lift: "quadratic", loss: "new" });
    expect(fillAddedFields({ loss: "x" }, table)).toEqual({ loss: "x", lift: "none" });
  });

  test("leaves non-objects and its input alone", () => {
    for (const v of [null, undefined, 3, "x", [1]]) expect(fillAddedFields(v, added)).toBe(v);
    const stored = { steps: 1 };
    fillAddedFields(stored, added);
    expect(stored).toEqual({ steps: 1 });
  });
});

// A learner whose `steps` was added later: today's default is 10, a run written before the field
// existed ran 5 (its old fixed budget). Runs of the old version stored { beta, L } only.
interface Cfg {
  beta: number;
  L: number;
  steps: number;
}
const resolve = (input: unknown): Cfg => {
  const i = input as Partial<Cfg>;
  return { beta: i.beta ?? 0.3, L: i.L ?? 8, steps: i.steps ?? 10 };
};
const ADDED = { steps: 5 };
const provenance = { package: "@physml/test", version: "1.2.3", git: null };
const tmp = () => mkdtempSync(join(tmpdir(), "physml-added-"));

/** A run directory as the old version left it: config.json without `steps`, no result. */
function oldRun(config: object = { beta: 0.3, L: 8 }): string {
  const dir = tmp();
  const file = { format: 1, kind: "test", ...provenance, createdAt: "2026-12-01T00:00:00.000Z", config };
  writeFileSync(join(dir, "config.json"), JSON.stringify(file));
  mkdirSync(join(dir, "checkpoint"));
  return dir;
}

/** Opens `dir`, recording every configuration the `stored` hook is handed. */
function open(dir: string, input: object, mode: RunMode) {
  const seen: unknown[] = [];
  const stored = (c: unknown) => {
    seen.push(c);
    return fillAddedFields(c, ADDED);
  };
  const run = openRun({ dir, kind: "test", input, resolve, mode, provenance, stored });
  run.close();
  return { config: run.config, status: run.status, seen };
}

describe("openRun's `stored`: a field added since a run was written", () => {
  test("an old run resumes with the value it had, not today's default", () => {
    const dir = oldRun();
    const r = open(dir, {}, "resume");
    expect(r.status).toBe("resumed");
    expect(r.config).toEqual({ beta: 0.3, L: 8, steps: 5 });
    expect(r.seen).toEqual([{ beta: 0.3, L: 8 }]);
    // config.json stays as the old version wrote it
    expect(readRunConfig(dir)?.config).toEqual({ beta: 0.3, L: 8 });
  });

  test("flags given on resume are compared with that value", () => {
    const dir = oldRun();
    expect(open(dir, { steps: 5, L: 8 }, "resume").config.steps).toBe(5);
    try {
      open(dir, { steps: 10 }, "resume");
      expect.unreachable("steps 10 differs from the run's 5");
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigMismatchError);
      expect((e as ConfigMismatchError).differences).toEqual([{ path: "steps", stored: 5, given: 10 }]);
    }
  });

  test("a run written after the field existed keeps its stored value", () => {
    expect(open(oldRun({ beta: 0.3, L: 8, steps: 10 }), {}, "resume").config.steps).toBe(10);
  });

  test("a new run takes today's defaults and the hook never sees its input", () => {
    for (const mode of ["new", "resume"] as const) {
      const dir = join(tmp(), "run");
      const r = open(dir, { L: 4 }, mode);
      expect(r).toEqual({ config: { beta: 0.3, L: 4, steps: 10 }, status: "new", seen: [] });
      expect(readRunConfig(dir)?.config).toEqual({ beta: 0.3, L: 4, steps: 10 });
    }
    const forced = open(oldRun(), {}, "force");
    expect(forced).toEqual({ config: { beta: 0.3, L: 8, steps: 10 }, status: "new", seen: [] });
  });

  test("inRun hands `stored` on: the body of a resumed old run sees the value it had", async () => {
    const out = oldRun();
    const steps: number[] = [];
    const body = async (c: Cfg) => {
      steps.push(c.steps);
      return { result: { steps: c.steps }, report: "" };
    };
    const stored = (c: unknown) => fillAddedFields(c, ADDED);
    const r = await inRun("test", provenance, {}, resolve, { out, resume: true, stored }, body);
    expect(r.result).toEqual({ steps: 5, out });
    const fresh = join(tmp(), "run");
    await inRun("test", provenance, {}, resolve, { out: fresh, resume: true, stored }, body);
    expect(steps).toEqual([5, 10]);
  });
});
