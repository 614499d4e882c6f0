import { spawnSync } from "node:child_process";
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { PhysmlInputError } from "@physml/lattice-core";
import { refusal } from "@physml/lattice-core/testing";
import { describe, expect, test } from "vitest";
import { ConfigMismatchError, RunDirError, RunExistsError, RunLockedError } from "../errors.js";
import { EMPTY_LOCK_GRACE_MS, LOCK_FILE } from "./lock.js";
import { openRun, readRunConfig } from "./run.js";

interface Cfg {
  beta: number;
  L: number;
  steps: number;
}
/** A tiny resolver with defaults and a range, standing in for a learner's zod schema. */
function resolve(input: unknown): Cfg {
  const i = input as Partial<Cfg>;
  const c = { beta: i.beta ?? 0.3, L: i.L ?? 8, steps: i.steps ?? 10 };
  if (!(c.beta > 0 && c.beta <= 3)) throw new PhysmlInputError("beta", "a number in (0, 3]", c.beta);
  return c;
}
const provenance = { package: "@physml/test", version: "1.2.3", git: null };
const tmp = () => mkdtempSync(join(tmpdir(), "physml-runs-"));
const open = (dir: string, input: object, mode?: "new" | "resume" | "force", log?: (m: string) => void) =>
  openRun({ dir, kind: "test", input, resolve, mode, provenance, log });

describe("openRun: new, occupied, force, resume", () => {
  test("a new run writes config.json with provenance and the resolved config", () => {
    const dir = join(tmp(), "a", "b");
    const run = open(dir, { beta: 0.5 });
    expect(run.status).toBe("new");
    const file = readRunConfig(dir)!;
    expect(file).toMatchObject({ format: 1, kind: "test", package: "@physml/test", version: "1.2.3" });
    expect(file.config).toEqual({ beta: 0.5, L: 8, steps: 10 });
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
    run.close();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  test("a new run into an occupied directory is refused, naming --resume and --force", () => {
    const dir = tmp();
    const run = open(dir, { beta: 0.5 });
    run.writeResult({ t0: 1 });
    run.close();
    const e = (() => {
      try {
        open(dir, { beta: 0.6 });
      } catch (err) {
        return err as Error;
      }
    })();
    expect(e).toBeInstanceOf(RunExistsError);
    expect(e).toBeInstanceOf(PhysmlInputError);
    expect(e?.message).toMatch(/--resume/);
    expect(e?.message).toMatch(/--force/);
    expect(e?.message).toMatch(/finished run/);
    // Nothing was overwritten.
    expect(readRunConfig(dir)?.config).toMatchObject({ beta: 0.5 });
  });

  test("a new run into an unfinished run's directory is refused in plain words: it holds an unfinished run", () => {
    const dir = tmp();
    const run = open(dir, { beta: 0.5 });
    run.appendMetric({ step: 0 });
    run.close();
    expect(() => open(dir, { beta: 0.5 })).toThrow(/\(it holds an unfinished run\)$/);
  });

  test("--force archives the old run next to the directory and starts anew", () => {
    const root = tmp();
    const dir = join(root, "run");
    const a = open(dir, { beta: 0.5 });
    a.appendMetric({ step: 0 });
    a.close();
    const logs: string[] = [];
    const b = open(dir, { beta: 0.7 }, "force", (m) => logs.push(m));
    expect(b.status).toBe("new");
    expect(b.readMetrics()).toEqual([]);
    b.close();
    const archived = readdirSync(root).filter((n) => n.startsWith("run.archived-"));
    expect(archived).toHaveLength(1);
    expect(readRunConfig(join(root, archived[0]))?.config).toMatchObject({ beta: 0.5 });
    expect(logs.join("\n")).toMatch(/archived/);
  });

  test("--resume: same config continues, other values list the differing fields, finished reports", () => {
    const dir = tmp();
    const a = open(dir, { beta: 0.5, L: 16 });
    a.close();
    const b = open(dir, {}, "resume"); // nothing given: the stored config
    expect(b.status).toBe("resumed");
    expect(b.config).toEqual({ beta: 0.5, L: 16, steps: 10 });
    b.close();
    const c = open(dir, { beta: 0.5 }, "resume"); // the same value given
    expect(c.config.L).toBe(16);
    c.writeResult({ ok: true });
    c.close();
    expect(() => open(dir, { beta: 0.6, L: 8 }, "resume")).toThrow(ConfigMismatchError);
    try {
      open(dir, { beta: 0.6, L: 8 }, "resume");
    } catch (e) {
      expect((e as ConfigMismatchError).differences.map((d) => d.path)).toEqual(["L", "beta"]);
      expect((e as Error).message).toMatch(/L 16 → 8/);
    }
    const d = open(dir, {}, "resume");
    expect(d.status).toBe("finished");
    expect(d.result()).toEqual({ ok: true });
    d.close();
  });

  test("--resume of another command's run names both kinds, each with its article", () => {
    const dir = join(tmp(), "r");
    openRun({ dir, kind: "duality-kw", input: {}, resolve, provenance }).close();
    expect(() =>
      openRun({ dir, kind: "integrability-lax", input: {}, resolve, provenance, mode: "resume" }),
    ).toThrow(/^resume: expected an integrability-lax run, got .* \(it holds a duality-kw run\)$/);
    const other = join(tmp(), "o");
    openRun({ dir: other, kind: "inverse-ising", input: {}, resolve, provenance }).close();
    expect(() =>
      openRun({ dir: other, kind: "cy-train", input: {}, resolve, provenance, mode: "resume" }),
    ).toThrow(/^resume: expected a cy-train run, got .* \(it holds an inverse-ising run\)$/);
  });

  test("an invalid config, null or an array creates nothing", () => {
    const root = tmp();
    const dir = join(root, "x");
    expect(() => open(dir, { beta: 9 })).toThrow(/beta: expected a number in \(0, 3\]/);
    expect(() => openRun({ dir, kind: "t", input: null, resolve, provenance })).toThrow(
      /config: expected a JSON object/,
    );
    expect(() => openRun({ dir, kind: "t", input: [1], resolve, provenance })).toThrow(/got an array/);
    expect(existsSync(dir)).toBe(false);
  });

  test("a failed start (no step recorded) is removed again; a started one is kept", () => {
    const root = tmp();
    const a = open(join(root, "a", "deep"), {});
    a.abandon();
    expect(readdirSync(root)).toEqual([]);
    const b = open(join(root, "b"), {});
    b.appendMetric({ step: 0 });
    b.abandon();
    expect(existsSync(join(root, "b", "config.json"))).toBe(true);
  });

  test("bad --out paths are one-line errors naming out", () => {
    const root = tmp();
    writeFileSync(join(root, "file"), "x");
    for (const [p, msg] of [
      ["", /out: expected a path/],
      [join(root, "file"), /is a file/],
      [join(root, "file", "sub"), /is a file/],
      ...(existsSync("/proc/self") ? [["/proc/physml-run", /cannot create \/proc\/physml-run/]] : []),
    ] as [string, RegExp][]) {
      let err: Error | undefined;
      try {
        open(p, {});
      } catch (e) {
        err = e as Error;
      }
      expect(err, p).toBeInstanceOf(RunDirError);
      expect(err?.message).toMatch(msg);
      expect(err?.message.split("\n")).toHaveLength(1);
    }
  });

  test("a directory with other files but no run is not taken over", () => {
    const dir = tmp();
    writeFileSync(join(dir, "notes.txt"), "mine");
    expect(() => open(dir, {})).toThrow(/holds notes.txt but no config.json/);
    expect(() => open(dir, {}, "force")).toThrow(/no config.json/);
    expect(readFileSync(join(dir, "notes.txt"), "utf8")).toBe("mine");
  });
});

describe("result", () => {
  test("a non-finite number in a result is stored as its text at any depth (never null) and read back as it", () => {
    const dir = tmp();
    const run = open(dir, {});
    const when = new Date(Date.UTC(2026, 0, 2));
    run.writeResult({
      chi2PerDof: Number.NaN,
      fit: { slope: Number.POSITIVE_INFINITY, pulls: [1, Number.NEGATIVE_INFINITY, { z: Number.NaN }] },
      finite: 0.5,
      missing: null,
      when,
    });
    run.close();
    const written = readFileSync(join(dir, "result.json"), "utf8");
    const text = {
      chi2PerDof: "NaN",
      fit: { slope: "Infinity", pulls: [1, "-Infinity", { z: "NaN" }] },
      finite: 0.5,
      // a null given stays null; a Date is written as JSON writes it
      missing: null,
      when: when.toISOString(),
    };
    expect(JSON.parse(written)).toEqual(text);
    expect(written.match(/null/g)).toEqual(["null"]);
    const back = open(dir, {}, "resume");
    expect(back.status).toBe("finished");
    expect(back.result()).toEqual(text);
    back.close();
  });

  test("resultNumbers reads a stored result's texts back as the numbers at any depth, other values as stored", () => {
    const dir = tmp();
    const run = open(dir, {});
    expect(run.resultNumbers()).toBeNull();
    const given = {
      chi2PerDof: Number.NaN,
      fit: { slope: Number.POSITIVE_INFINITY, pulls: [1, Number.NEGATIVE_INFINITY, { z: Number.NaN }] },
      finite: 0.5,
      missing: null,
      name: "kw",
    };
    run.writeResult(given);
    run.close();
    const back = open(dir, {}, "resume");
    const r = back.resultNumbers<typeof given>();
    back.close();
    expect(r).not.toBeNull();
    const { chi2PerDof, fit } = r as typeof given;
    // numbers, not their texts (Number.isNaN("NaN") is false, "Infinity" is not Infinity)
    expect(Number.isNaN(chi2PerDof)).toBe(true);
    expect(fit.slope).toBe(Number.POSITIVE_INFINITY);
    expect(fit.pulls[1]).toBe(Number.NEGATIVE_INFINITY);
    expect(Number.isNaN((fit.pulls[2] as { z: number }).z)).toBe(true);
    expect(r).toEqual(given);
  });
});

describe("the option that names the directory", () => {
  test("every refusal about the directory names `field` and keeps its error type", () => {
    const dir = tmp();
    const a = openRun({ dir, kind: "test", input: {}, resolve, provenance, field: "run" });
    const locked = refusal(
      () => openRun({ dir, kind: "test", input: {}, resolve, provenance, mode: "resume", field: "run" }),
      RunDirError,
    );
    expect(locked).toBeInstanceOf(RunLockedError);
    expect(locked.field).toBe("run");
    a.writeResult({ t0: 1 });
    a.close();
    const exists = refusal(
      () => openRun({ dir, kind: "test", input: {}, resolve, provenance, field: "run" }),
      RunDirError,
    );
    expect(exists).toBeInstanceOf(RunExistsError);
    expect(exists.field).toBe("run");
    writeFileSync(join(dir, "config.json"), "{ torn");
    expect(
      refusal(
        () => openRun({ dir, kind: "test", input: {}, resolve, provenance, mode: "resume", field: "run" }),
        RunDirError,
      ).field,
    ).toBe("run");
    // without it, the CLI's usual --out
    expect(refusal(() => open(dir, {}, "resume"), RunDirError).field).toBe("out");
  });
});

describe("lock", () => {
  test("a second writer gets the holder's pid and host; a dead pid's lock is taken over", () => {
    const dir = tmp();
    const a = open(dir, {});
    expect(() => open(dir, {}, "resume")).toThrow(RunLockedError);
    try {
      open(dir, {}, "resume");
    } catch (e) {
      expect((e as Error).message).toContain(`pid ${process.pid} on host ${hostname()}`);
    }
    a.close();
    // A lock left by a process that no longer exists (kill -9) on this host.
    const dead = spawnSync(process.execPath, ["-e", "process.exit(0)"]).pid as number;
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: dead, host: hostname() }));
    const logs: string[] = [];
    const b = open(dir, {}, "resume", (m) => logs.push(m));
    expect(logs.join("\n")).toMatch(new RegExp(`stale lock of pid ${dead}`));
    b.close();
    // Another host's lock cannot be checked: refused with the way out.
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 1234, host: "node-17" }));
    expect(() => open(dir, {}, "resume")).toThrow(/pid 1234 on host node-17.*delete .*run\.lock by hand/);
  });

  test("an empty lock (its writer killed between creating and writing it) is waited out for its grace, then taken over", () => {
    const dir = tmp();
    open(dir, {}).close();
    writeFileSync(join(dir, LOCK_FILE), "");
    const logs: string[] = [];
    const t0 = performance.now();
    const b = open(dir, {}, "resume", (m) => logs.push(m));
    const waited = performance.now() - t0;
    // a live writer fills its lock within the grace, so a resume this early must wait it out
    expect(waited).toBeGreaterThanOrEqual(EMPTY_LOCK_GRACE_MS - 100);
    expect(waited).toBeLessThan(2 * EMPTY_LOCK_GRACE_MS);
    expect(logs.join("\n")).toMatch(/removing an empty, stale lock file/);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8")).pid).toBe(process.pid);
    b.close();
  });
});

describe("metrics and checkpoints", () => {
  test("a torn metrics tail is cut before the next append", () => {
    const dir = tmp();
    const run = open(dir, {});
    run.appendMetric({ step: 0, loss: 1 });
    run.close();
    appendFileSync(join(dir, "metrics.jsonl"), '{"step": 1, "lo');
    const again = open(dir, {}, "resume");
    expect(again.readMetrics()).toEqual([{ step: 0, loss: 1 }]);
    again.appendMetric({ step: 1, loss: 0.5 });
    expect(readFileSync(join(dir, "metrics.jsonl"), "utf8")).toBe(
      '{"step":0,"loss":1}\n{"step":1,"loss":0.5}\n',
    );
    again.truncateMetrics(1);
    expect(again.readMetrics()).toEqual([{ step: 0, loss: 1 }]);
    again.close();
  });

  test("a non-finite metric is recorded as its text (never null), read back, kept and truncated", () => {
    const dir = tmp();
    const run = open(dir, {});
    const nonFinite = {
      step: 1,
      loss: Number.NaN,
      grad: [Number.POSITIVE_INFINITY, 2],
      fit: { chi2: -Infinity },
    };
    run.appendMetric({ step: 0, loss: 1 });
    run.appendMetric(nonFinite);
    run.appendMetric({ step: 2, loss: 0.5 });
    const written = readFileSync(join(dir, "metrics.jsonl"), "utf8");
    expect(written).toBe(
      '{"step":0,"loss":1}\n{"step":1,"loss":"NaN","grad":["Infinity",2],"fit":{"chi2":"-Infinity"}}\n{"step":2,"loss":0.5}\n',
    );
    // every line is JSON on its own, and none holds a null
    for (const line of written.trim().split("\n"))
      expect(JSON.stringify(JSON.parse(line))).not.toMatch(/null/);
    const text = { step: 1, loss: "NaN", grad: ["Infinity", 2], fit: { chi2: "-Infinity" } };
    expect(run.readMetrics()).toEqual([{ step: 0, loss: 1 }, text, { step: 2, loss: 0.5 }]);
    // a resume's cut rewrites the kept records as they were
    run.truncateMetrics(2);
    expect(readFileSync(join(dir, "metrics.jsonl"), "utf8")).toBe(
      `${written.split("\n").slice(0, 2).join("\n")}\n`,
    );
    run.keepMetrics<{ step: number }>((m) => m.step === 1);
    expect(run.readMetrics()).toEqual([text]);
    run.close();
  });

  test("readMetricNumbers reads the stored texts back as numbers at any depth; readMetrics returns the texts", () => {
    const dir = tmp();
    const run = open(dir, {});
    interface Step {
      step: number;
      phase: string;
      loss: number;
      grad: number[][];
      fit: { chi2: number; pulls: [number, number] };
      error?: number;
    }
    const given: Step[] = [
      { step: 0, phase: "explore", loss: 1, grad: [[0.5]], fit: { chi2: 2, pulls: [0, 1] } },
      {
        step: 1,
        phase: "train",
        loss: Number.NaN,
        grad: [[Number.POSITIVE_INFINITY, 2], [Number.NEGATIVE_INFINITY]],
        fit: { chi2: Number.NEGATIVE_INFINITY, pulls: [Number.NaN, 3] },
        error: Number.POSITIVE_INFINITY,
      },
    ];
    for (const m of given) run.appendMetric(m);
    run.close();
    const back = open(dir, {}, "resume");
    const numbers = back.readMetricNumbers<Step>();
    const stored = back.readMetrics<Step>();
    back.keepMetrics<Step>((m) => Number.isNaN(m.loss));
    const kept = back.readMetrics<Step>();
    back.close();
    // numbers, not their texts (Number.isNaN("NaN") is false, "Infinity" is not Infinity)
    expect(numbers).toEqual(given);
    expect(Number.isNaN(numbers[1].loss)).toBe(true);
    expect(numbers[1].grad).toEqual([[Number.POSITIVE_INFINITY, 2], [Number.NEGATIVE_INFINITY]]);
    expect(numbers[1].fit.chi2).toBe(Number.NEGATIVE_INFINITY);
    expect(Number.isNaN(numbers[1].fit.pulls[0])).toBe(true);
    expect(numbers[1].error).toBe(Number.POSITIVE_INFINITY);
    expect(numbers.flatMap((m) => m.grad.flat()).map((v) => typeof v)).toEqual(Array(4).fill("number"));
    // as stored: the texts where the numbers were, strings that are names untouched
    const text = {
      step: 1,
      phase: "train",
      loss: "NaN",
      grad: [["Infinity", 2], ["-Infinity"]],
      fit: { chi2: "-Infinity", pulls: ["NaN", 3] },
      error: "Infinity",
    };
    expect(stored).toEqual([given[0], text]);
    // keepMetrics' predicate sees the numbers (the NaN loss) and keeps the line as it was stored
    expect(kept).toEqual([text]);
    // the types say which is which: a number field read as stored may be its text
    const loss: number = numbers[1].loss;
    // @ts-expect-error readMetrics' number fields may hold "NaN", "Infinity" or "-Infinity"
    const storedLoss: number = stored[1].loss;
    expect([loss, storedLoss]).toEqual([Number.NaN, "NaN"]);
  });

  test("keepMetrics keeps the records a predicate accepts, in order, and appends after them", () => {
    const dir = tmp();
    const run = open(dir, {});
    for (const part of ["a", "b"]) for (const step of [1, 2]) run.appendMetric({ part, step });
    run.keepMetrics<{ part: string }>((m) => m.part === "a");
    run.appendMetric({ part: "b", step: 1 });
    expect(readFileSync(join(dir, "metrics.jsonl"), "utf8")).toBe(
      '{"part":"a","step":1}\n{"part":"a","step":2}\n{"part":"b","step":1}\n',
    );
    run.close();
  });

  test("the previous checkpoint is kept; a corrupt latest falls back to it and says so", () => {
    const dir = tmp();
    const run = open(dir, {});
    for (const s of [10, 20, 30]) run.saveCheckpoint(s, { s });
    expect(readdirSync(join(dir, "checkpoint")).sort()).toEqual(["step-00000020.json", "step-00000030.json"]);
    const ok = (st: unknown) => {
      if (typeof (st as { s?: unknown }).s !== "number") throw new Error("no s");
      return st as { s: number };
    };
    expect(run.loadCheckpoint(ok)?.step).toBe(30);
    writeFileSync(join(dir, "checkpoint", "step-00000030.json"), '{"step":30,"state":{"s"');
    run.close();
    const logs: string[] = [];
    const again = open(dir, {}, "resume", (m) => logs.push(m));
    const c = again.loadCheckpoint(ok);
    expect(c?.step).toBe(20);
    expect(logs.join("\n")).toMatch(/checkpoint\/step-00000030.json is unreadable/);
    expect(logs.join("\n")).toMatch(/falling back to checkpoint\/step-00000020.json/);
    writeFileSync(join(dir, "checkpoint", "step-00000020.json"), '{"step":20,"state":{}}');
    expect(() => again.loadCheckpoint(ok)).toThrow(
      /--force.*no readable checkpoint.*step-00000020.json: no s/,
    );
    again.close();
  });

  test("a resumed attempt carries the seconds of work stored with the checkpoint it continues from", () => {
    const dir = tmp();
    const busy = (ms: number) => {
      const t = performance.now();
      while (performance.now() - t < ms);
    };
    const stored = (step: number) =>
      JSON.parse(readFileSync(join(dir, "checkpoint", `step-${String(step).padStart(8, "0")}.json`), "utf8"))
        .seconds as number;
    const first = open(dir, {});
    expect(first.carriedSeconds).toBe(0);
    busy(40);
    first.saveCheckpoint(1, { s: 1 });
    const s1 = stored(1);
    expect(s1).toBeGreaterThanOrEqual(0.04);
    // work after the last checkpoint is lost with the attempt (a kill here)
    busy(40);
    first.close();
    const second = open(dir, {}, "resume");
    expect(second.carriedSeconds).toBe(0);
    expect(second.loadCheckpoint((st) => st)?.seconds).toBe(s1);
    expect(second.carriedSeconds).toBe(s1);
    expect(second.workSeconds()).toBeGreaterThanOrEqual(s1);
    busy(40);
    second.saveCheckpoint(2, { s: 2 });
    expect(stored(2)).toBeGreaterThanOrEqual(s1 + 0.04);
    second.close();
    // a checkpoint written before seconds were stored carries none; a bad value is unreadable
    writeFileSync(join(dir, "checkpoint", "step-00000002.json"), '{"step":2,"state":{"s":2}}');
    const third = open(dir, {}, "resume");
    expect(third.loadCheckpoint((st) => st)?.seconds).toBe(0);
    expect(third.carriedSeconds).toBe(0);
    writeFileSync(join(dir, "checkpoint", "step-00000002.json"), '{"step":2,"seconds":-1,"state":{"s":2}}');
    expect(third.loadCheckpoint((st) => st)?.step).toBe(1);
    expect(third.carriedSeconds).toBe(s1);
    third.close();
  });

  test("temporary files of killed writes are removed when the run is opened, in arrays/ too", () => {
    const dir = tmp();
    const run = open(dir, {});
    run.writeArray("states", Float64Array.of(1, 2), [2]);
    run.close();
    writeFileSync(join(dir, ".result.json.tmp-999999-abc"), "{");
    // what a kill while writing arrays/states.npy leaves: half a temp file beside the old array
    writeFileSync(join(dir, "arrays", ".states.npy.tmp-999999-abc"), "\x93NUMPY");
    open(dir, {}, "resume").close();
    expect(readdirSync(dir).filter((n) => n.includes(".tmp-"))).toEqual([]);
    expect(readdirSync(join(dir, "arrays"))).toEqual(["states.npy"]);
    // a directory that is not a run is refused and nothing below it is touched
    const other = tmp();
    mkdirSync(join(other, "data"));
    writeFileSync(join(other, "data", ".x.tmp-1-a"), "");
    expect(() => open(other, {}, "resume")).toThrow(RunDirError);
    expect(readdirSync(join(other, "data"))).toEqual([".x.tmp-1-a"]);
  });

  test(".npy arrays round-trip", () => {
    const run = open(tmp(), {});
    const spins = Int8Array.from([1, -1, -1, 1, 1, 1]);
    run.writeArray("spins", spins, [2, 3]);
    const back = run.readArray("spins");
    expect(back.shape).toEqual([2, 3]);
    expect(Array.from(back.data as Int8Array)).toEqual(Array.from(spins));
    run.close();
  });
});
