// --force killed part-way through moving the old run to its archive: the directory must not be
// left neither a run nor empty (refused even with --force). Opening it again, in any mode,
// finishes the move into the same archive first, so the old run ends whole in one place.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test, vi } from "vitest";

// The kill: the process dies before the n-th move into an archive (a thrown error here; the
// lock it leaves is released by openRun's clean-up, which a SIGKILL's stale lock is taken over like).
const kill = vi.hoisted(() => ({ atMove: 0 }));
vi.mock("node:fs", async (original) => {
  const fs = await original<typeof import("node:fs")>();
  return {
    ...fs,
    renameSync: (from: string, to: string) => {
      if (to.includes(".archived-") && kill.atMove > 0 && --kill.atMove === 0) throw new Error("killed");
      fs.renameSync(from, to);
    },
  };
});
const { openRun } = await import("./run.js");

const resolve = (i: unknown) => ({ beta: 0.3, ...(i as object) });
const open = (dir: string, input: object, mode: "new" | "resume" | "force", log?: (m: string) => void) =>
  openRun({
    dir,
    kind: "test",
    input,
    resolve,
    mode,
    provenance: { package: "t", version: "0", git: null },
    log,
  });

/** A finished run with metrics, a checkpoint, an array, a report and a result. */
function finishedRun(dir: string): void {
  const run = open(dir, { beta: 0.5 }, "new");
  run.appendMetric({ step: 0 });
  run.saveCheckpoint(1, { x: 1 });
  run.writeArray("a", Float64Array.of(1), [1]);
  run.writeText("report.html", "<p>old</p>");
  run.writeResult({ t0: 1 });
  run.close();
}

describe("--force killed while archiving", () => {
  for (const mode of ["new", "resume", "force"] as const) {
    test(`the next ${mode} open finishes the archive: the old run whole in one archive, a new run here`, () => {
      const root = mkdtempSync(join(tmpdir(), "physml-archive-kill-"));
      const dir = join(root, "run");
      finishedRun(dir);
      const before = readdirSync(dir).sort();
      kill.atMove = 3;
      expect(() => open(dir, { beta: 0.7 }, "force")).toThrow("killed");
      kill.atMove = 0;
      // the old run is still a run here (config.json moves last)
      expect(readdirSync(dir)).toContain("config.json");
      const logs: string[] = [];
      const run = open(dir, { beta: 0.7 }, mode, (m) => logs.push(m));
      expect(run.status).toBe("new");
      expect(run.config).toEqual({ beta: 0.7 });
      run.close();
      const archives = readdirSync(root).filter((n) => n.startsWith("run.archived-"));
      expect(archives).toHaveLength(1);
      const archive = join(root, archives[0]);
      expect(readdirSync(archive).sort()).toEqual(before);
      expect(JSON.parse(readFileSync(join(archive, "config.json"), "utf8")).config).toEqual({ beta: 0.5 });
      expect(readdirSync(dir).sort()).toEqual(["config.json"]);
      expect(logs[0]).toBe("finishing the archive of the previous run that an interrupted --force began");
      expect(existsSync(join(dir, "archiving.json"))).toBe(false);
    });
  }

  test("an archiving.json that names no sibling archive (a user's file in a directory that is not a run) moves nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "physml-archive-other-"));
    writeFileSync(join(dir, "archiving.json"), JSON.stringify({ to: "/tmp/elsewhere" }));
    writeFileSync(join(dir, "notes.txt"), "mine");
    expect(() => open(dir, {}, "force")).toThrow(/but no config\.json/);
    expect(readdirSync(dir).sort()).toEqual(["archiving.json", "notes.txt"]);
  });
});
