// A failed start cleans up what it made before it lets go of the lock: a second writer that takes
// the directory the moment the lock is released keeps its run (before, the first writer's
// clean-up ran after the release and could delete the second writer's fresh run).
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test, vi } from "vitest";
import type { Run } from "./run.js";

// The second writer, started from inside the first one's lock release: the earliest moment it can get in.
const race = vi.hoisted(() => ({ onRelease: null as null | (() => void) }));
vi.mock("./lock.js", async (original) => {
  const lock = await original<typeof import("./lock.js")>();
  return {
    ...lock,
    acquireLock: (...args: Parameters<typeof lock.acquireLock>) => {
      const held = lock.acquireLock(...args);
      return {
        path: held.path,
        release: () => {
          held.release();
          const then = race.onRelease;
          race.onRelease = null;
          then?.();
        },
      };
    },
  };
});
const { openRun } = await import("./run.js");

const resolve = (i: unknown) => {
  const c = { beta: 0.3, ...(i as object) } as { beta: number };
  if (c.beta > 3) throw new Error("beta: expected a number in (0, 3]");
  return c;
};
const open = (dir: string, input: object, mode: "new" | "resume" = "new") =>
  openRun({ dir, kind: "test", input, resolve, mode, provenance: { package: "t", version: "0", git: null } });

/** Arms the second writer: it opens `dir` as soon as the first releases its lock, and keeps it. */
function secondWriterAt(dir: string): () => Run<{ beta: number }> | null {
  let second: Run<{ beta: number }> | null = null;
  race.onRelease = () => {
    second = open(dir, { beta: 0.7 });
  };
  return () => second;
}

describe("a failed start and a second writer right after it", () => {
  test("abandon of a new run with no step, in a directory it created: the second writer's run stays", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "physml-abandon-race-")), "a", "run");
    const first = open(dir, { beta: 0.5 });
    const second = secondWriterAt(dir);
    first.abandon(new Error("failed before its first step"));
    expect(second()?.status).toBe("new");
    expect(readdirSync(dir).sort()).toEqual(["config.json", "run.lock"]);
    second()?.close();
    expect(readdirSync(join(dir, ".."))).toEqual(["run"]);
  });

  test("abandon in a directory that was empty: its files go, the second writer's stay", () => {
    const dir = mkdtempSync(join(tmpdir(), "physml-abandon-race-"));
    const first = open(dir, { beta: 0.5 });
    const second = secondWriterAt(dir);
    first.abandon(new Error("failed before its first step"));
    expect(second()?.config).toEqual({ beta: 0.7 });
    expect(readdirSync(dir).sort()).toEqual(["config.json", "run.lock"]);
    second()?.close();
  });

  test("a start refused after the directory was made (an invalid configuration to resume): the second writer's run stays", () => {
    const root = mkdtempSync(join(tmpdir(), "physml-abandon-race-"));
    const dir = join(root, "run");
    const second = secondWriterAt(dir);
    expect(() => open(dir, { beta: 9 }, "resume")).toThrow("beta");
    expect(second()?.status).toBe("new");
    expect(existsSync(join(dir, "config.json"))).toBe(true);
    second()?.close();
    expect(readdirSync(root)).toEqual(["run"]);
  });
});
