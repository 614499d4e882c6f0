// The model sampler's memory estimate against what it really allocates, and the refusal of a
// run above the limit before anything is allocated.
import {
  defineModel,
  type ModelInput,
  modelTables,
  nearestNeighbourShapes,
  PhysmlInputError,
} from "@physml/lattice-core";
import { describe, expect, test } from "vitest";
import { estimateModelMemory, MemoryLimitError } from "./memory.js";
import { createModelSampler } from "./model/sampler.js";

const model = (spin: ModelInput["spin"], lattice: ModelInput["lattice"], dim: 1 | 2 | 3) =>
  defineModel({ spin, lattice, terms: [{ name: "nn", coupling: 0.3, shapes: nearestNeighbourShapes(dim) }] });

describe("estimateModelMemory", () => {
  test("spins are counted exactly and the site tables from above, for Ising and O(n)", async () => {
    for (const [m, chains] of [
      [model("ising", { square: [12, 10] }, 2), 5],
      [model("xy", { chain: 40 }, 1), 3],
      [model("heisenberg", { cubic: 4 }, 3), 2],
    ] as const) {
      const e = estimateModelMemory(m, { chains, samples: 0 });
      const s = await createModelSampler({ model: m, chains, seed: 1 });
      try {
        expect((await s.snapshot()).byteLength).toBe(e.parts.spins);
      } finally {
        await s.dispose();
      }
      const t = modelTables(m);
      const tableBytes =
        t.neighbours.byteLength +
        t.terms.reduce((a, term) => a + term.instances.reduce((b, i) => b + i.sites.byteLength, 0), 0);
      expect(e.parts.lattice).toBeGreaterThanOrEqual(tableBytes);
      expect(e.parts.lattice).toBeLessThan(4 * tableBytes);
    }
  });

  test("measurements grow with chains × samples", () => {
    const m = model("xy", { chain: 64 }, 1);
    const a = estimateModelMemory(m, { chains: 8, samples: 100 }).parts.measurements;
    const b = estimateModelMemory(m, { chains: 16, samples: 300 }).parts.measurements;
    expect(b / a).toBeCloseTo(6, 12);
  });

  test("a huge lattice is refused at once, before any table or spin is allocated", async () => {
    const huge = model("heisenberg", { cubic: 32768 }, 3);
    const t0 = performance.now();
    const err = await createModelSampler({ model: huge, chains: 4, seed: 1 }).catch((e: unknown) => e);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(err).toBeInstanceOf(MemoryLimitError);
    expect(err).toBeInstanceOf(PhysmlInputError);
    const e = err as MemoryLimitError;
    expect(e.largest).toBe("spins");
    expect(e.estimate.total).toBeGreaterThan(1e15);
    expect(e.message).toMatch(/memory limit of .*: this one needs ≈ .* PB \(lattice tables/);
    // An explicit limit refuses a run that the default would take.
    const small = model("xy", { chain: 1000 }, 1);
    await expect(
      createModelSampler({ model: small, chains: 64, seed: 1, maxMemory: 10_000 }),
    ).rejects.toThrow(MemoryLimitError);
  });
});
