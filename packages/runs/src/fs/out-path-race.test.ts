// Two writers starting on one new --out at once: the other process makes the directory between
// ensureRunDir's look and its mkdir. That directory is used (the run's lock then decides between
// the writers) and is not among those this call created, so a failed start never removes it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it, vi } from "vitest";

const made = vi.hoisted(() => ({ byOther: "" }));
vi.mock("node:fs", async (original) => {
  const fs = await original<typeof import("node:fs")>();
  return {
    ...fs,
    mkdirSync: (path: string, ...rest: unknown[]) => {
      if (path !== made.byOther) return (fs.mkdirSync as (...a: unknown[]) => unknown)(path, ...rest);
      fs.mkdirSync(path); // the other writer wins the race…
      throw Object.assign(new Error(`EEXIST: file already exists, mkdir '${path}'`), { code: "EEXIST" });
    },
  };
});
const { ensureRunDir } = await import("./out-path.js");

const root = mkdtempSync(join(tmpdir(), "physml-out-race-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

it("a directory made by another process between the look and the mkdir is used, not reported as uncreatable", () => {
  made.byOther = join(root, "sweep");
  const created = ensureRunDir(join(root, "sweep", "point"));
  expect(created).toEqual([join(root, "sweep", "point")]);
});
