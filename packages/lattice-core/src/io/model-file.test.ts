import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PhysmlInputError } from "../errors.js";
import { isingModelEnergy } from "../model/ising.js";
import { readModelFile } from "./model-file.js";

describe("model files", () => {
  it("read a valid file and name the bad field of an invalid one", async () => {
    const dir = await mkdtemp(join(tmpdir(), "physml-model-"));
    const good = join(dir, "tri.json");
    await writeFile(
      good,
      JSON.stringify({
        spin: "ising",
        lattice: { square: [3, 3] },
        terms: [
          {
            name: "tri",
            coupling: 0.25,
            sites: [
              [0, 0],
              [1, 0],
              [0, 1],
            ],
          },
        ],
      }),
    );
    const m = await readModelFile(good);
    expect(m.terms[0].shapes).toEqual([
      [
        [0, 0],
        [1, 0],
        [0, 1],
      ],
    ]);
    // All +1: 9 triangles of product +1.
    expect(isingModelEnergy(m, new Int8Array(9).fill(1))).toBe(-0.25 * 9);
    const bad = join(dir, "bad.json");
    await writeFile(
      bad,
      JSON.stringify({
        spin: "ising",
        lattice: { chain: 8 },
        terms: [{ name: "a", coupling: 1, sites: [[0], [1.5]] }],
      }),
    );
    await expect(readModelFile(bad)).rejects.toThrow(
      new RegExp(`^terms\\[0\\]\\.sites\\[1\\]\\[0\\] \\(in the model file ${bad}\\): expected an integer`),
    );
    await expect(readModelFile(join(dir, "missing.json"))).rejects.toBeInstanceOf(PhysmlInputError);
  });
});
