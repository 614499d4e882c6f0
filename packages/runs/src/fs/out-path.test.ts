// Output paths checked before any work: a run directory that can be made, a single output file
// whose directory exists and is writable; anything else is one RunDirError naming the field.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { refusal } from "@physml/lattice-core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { RunDirError } from "../errors.js";
import { checkOutputFile, ensureRunDir } from "./out-path.js";

const root = mkdtempSync(join(tmpdir(), "physml-out-path-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("checkOutputFile", () => {
  const file = join(root, "file.txt");
  writeFileSync(file, "x");
  mkdirSync(join(root, "sub"));

  it("accepts a new or an existing file in an existing directory, and writes nothing", () => {
    expect(() => checkOutputFile(join(root, "sub", "table.csv"))).not.toThrow();
    expect(() => checkOutputFile(file)).not.toThrow();
    expect(() => checkOutputFile(join(root, "sub", "table.csv"), "table")).not.toThrow();
  });

  it("refuses a path through a file, into a missing directory, a directory itself or an empty path", () => {
    const cases: [string, string][] = [
      [join(file, "table.csv"), `${file} is a file, not a directory`],
      [join(root, "missing", "table.csv"), `${join(root, "missing")} does not exist`],
      [join(root, "sub"), `${join(root, "sub")} is a directory`],
    ];
    for (const [path, why] of cases) {
      const e = refusal(() => checkOutputFile(path, "table"), RunDirError);
      expect(e.field).toBe("table");
      expect(e.message).toBe(
        `table: expected a file path in an existing, writable directory, got ${path} (${why})`,
      );
    }
    expect(refusal(() => checkOutputFile(" "), RunDirError).field).toBe("output");
  });
});

describe("ensureRunDir", () => {
  it("refuses a path through a file at once, naming the field", () => {
    const file = join(root, "plain");
    writeFileSync(file, "");
    const e = refusal(() => ensureRunDir(join(file, "run"), "out"), RunDirError);
    expect(e.message).toMatch(
      /^out: expected a path to a directory that exists or can be created, got .* \(.*plain is a file, not a directory\)$/,
    );
  });
});
