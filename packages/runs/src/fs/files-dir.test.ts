// A directory for plain output files: new or holding other files is fine, a run directory (or a
// directory another process is writing a run into) is refused naming the field and the run.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { refusal } from "../../test/refusal.js";
import { LOCK_FILE } from "../dir/lock.js";
import { openRun } from "../dir/run.js";
import { ensureFilesDir } from "./files-dir.js";

const root = mkdtempSync(join(tmpdir(), "physml-files-dir-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("ensureFilesDir", () => {
  it("creates a new directory and accepts one holding other files", () => {
    const fresh = join(root, "a", "b");
    expect(ensureFilesDir(fresh)).toEqual([join(root, "a"), fresh]);
    writeFileSync(join(fresh, "points.npy"), "x");
    expect(ensureFilesDir(fresh)).toEqual([]);
  });

  it("refuses a run directory, naming the field and the run's kind", () => {
    const dir = join(root, "run");
    const provenance = { package: "@physml/test", version: "1.2.3", git: null };
    const run = openRun({ dir, kind: "duality-kw", input: { beta: 0.3 }, resolve: (c) => c, provenance });
    run.close();
    const e = refusal(() => ensureFilesDir(dir, "out"));
    expect(e.field).toBe("out");
    expect(e.message).toMatch(/^out: expected a directory that holds no run .*it holds a duality-kw run/);
  });

  it("refuses a directory with a lock or an unreadable config.json", () => {
    const locked = join(root, "locked");
    mkdirSync(locked);
    writeFileSync(join(locked, LOCK_FILE), "{}");
    expect(refusal(() => ensureFilesDir(locked)).message).toMatch(/it holds a run directory/);
    const broken = join(root, "broken");
    mkdirSync(broken);
    writeFileSync(join(broken, "config.json"), "{ nope");
    expect(refusal(() => ensureFilesDir(broken)).message).toMatch(/it holds a run directory/);
  });
});
