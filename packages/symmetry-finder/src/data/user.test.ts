import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PhysmlInputError, writeNpy } from "@physml/lattice-core";
import { afterAll, describe, expect, it } from "vitest";
import { readLabelledPoints } from "./user.js";

const dir = await mkdtemp(join(tmpdir(), "symmetry-user-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("readLabelledPoints", () => {
  it("reads float32 points and int64 labels into Float64 points and class count", async () => {
    const x = Float32Array.from([0.5, 1, -2, 3, 0.25, 4]);
    await writeNpy(join(dir, "p.npy"), x, [3, 2]);
    await writeNpy(join(dir, "l.npy"), BigInt64Array.from([0n, 2n, 1n]), [3]);
    const d = await readLabelledPoints(join(dir, "p.npy"), join(dir, "l.npy"));
    expect([d.n, d.dim, d.classes]).toEqual([3, 2, 3]);
    expect(Array.from(d.x)).toEqual([0.5, 1, -2, 3, 0.25, 4]);
    expect(Array.from(d.labels)).toEqual([0, 2, 1]);
  });

  it("names the field when shapes or labels are wrong", async () => {
    await writeNpy(join(dir, "p2.npy"), new Float64Array(6), [3, 2]);
    await writeNpy(join(dir, "l2.npy"), Int32Array.from([0, 1]), [2]);
    await writeNpy(join(dir, "l3.npy"), Int32Array.from([0, -1, 1]), [3]);
    await expect(readLabelledPoints(join(dir, "p2.npy"), join(dir, "l2.npy"))).rejects.toThrow(/labels/);
    await expect(readLabelledPoints(join(dir, "p2.npy"), join(dir, "l3.npy"))).rejects.toBeInstanceOf(
      PhysmlInputError,
    );
  });
});
