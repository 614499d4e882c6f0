// readModelFile: an unreadable path is refused naming --model-file, the path and the system's
// error code; a readable file is parsed as its JSON text, with the model parser's errors.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PhysmlInputError } from "../errors.js";
import { readModelFile } from "./model-file.js";

async function rejection(p: Promise<unknown>): Promise<PhysmlInputError> {
  const e = await p.then(
    () => new Error("expected a refusal"),
    (err: unknown) => err,
  );
  if (!(e instanceof PhysmlInputError)) throw e;
  return e;
}

describe("readModelFile", () => {
  let dir = "";
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("names the unreadable path and the reason, and reads a readable file", async () => {
    dir = await mkdtemp(join(tmpdir(), "physml-model-file-"));
    const missing = join(dir, "missing.json");
    let e = await rejection(readModelFile(missing));
    expect(e.message).toBe(`model-file: expected a readable JSON file, got ${missing} (ENOENT)`);
    expect([e.field, e.received]).toEqual(["model-file", missing]);
    e = await rejection(readModelFile(dir));
    expect(e.message).toBe(`model-file: expected a readable JSON file, got ${dir} (EISDIR)`);
    const broken = join(dir, "broken.json");
    await writeFile(broken, "{");
    e = await rejection(readModelFile(broken));
    // Inside the file, the description's own field and the file: never a bare "model" or
    // "lattice" that a caller could take for an option of that name.
    expect(e.field).toBe(`model (in the model file ${broken})`);
    expect(e.message).toMatch(
      / \(in the model file .*broken\.json\): expected valid JSON, got unparsable text \(/,
    );
    expect(e.detail).toMatch(/JSON/);
    const hex = join(dir, "hex.json");
    await writeFile(hex, JSON.stringify({ spin: "ising", lattice: { hex: 3 }, terms: [] }));
    e = await rejection(readModelFile(hex));
    expect([e.field, e.received]).toEqual([`lattice (in the model file ${hex})`, "hex"]);
    // The option holding the path is the caller's: `--model` for inverse-ising.
    e = await rejection(readModelFile(missing, "model"));
    expect([e.field, e.received, e.detail]).toEqual(["model", missing, "ENOENT"]);
    const ring = join(dir, "ring.json");
    await writeFile(
      ring,
      JSON.stringify({
        spin: "ising",
        lattice: { chain: 5 },
        terms: [{ name: "nn", coupling: 0.5, sites: [[0], [1]] }],
      }),
    );
    const m = await readModelFile(ring);
    expect(m.terms.map((t) => [t.name, t.coupling])).toEqual([["nn", 0.5]]);
  });
});
