// The measurement part of the memory estimates against the arrays a run really returns: the
// estimate is the byte size of what `measure` allocates, plus the caller's series.
import { defineModel, type ModelInput, nearestNeighbourShapes, squareLattice } from "@physml/lattice-core";
import { describe, expect, test } from "vitest";
import { createSampler } from "./create-sampler.js";
import { estimateMemory, estimateModelMemory } from "./memory.js";
import { createModelSampler } from "./model/sampler.js";

describe("memory estimates: measurements", () => {
  test("square sampler: the term sums and features measure returns, plus 8 bytes per series", async () => {
    for (const kernel of ["int", "packed"] as const) {
      const [chains, sweeps] = [kernel === "packed" ? 64 : 3, 7];
      const s = await createSampler({
        lattice: squareLattice(4, 4),
        couplings: { nn: 0.3, plaquette: 0, nnn: 0, field: 0 },
        chains,
        seed: 1,
        backend: "cpu",
        kernel,
        workers: 1,
      });
      try {
        const m = await s.measure({ sweeps });
        const plan = { sites: 16, chains, kernel, samples: sweeps };
        expect(estimateMemory(plan).parts.measurements).toBe(m.terms.byteLength + m.features.byteLength);
        const withSeries = estimateMemory({ ...plan, series: 5 }).parts.measurements;
        expect(withSeries - estimateMemory(plan).parts.measurements).toBe(5 * chains * sweeps * 8);
      } finally {
        await s.dispose();
      }
    }
  });

  test("model sampler: the rows measure returns (Ising, XY with vortices, Heisenberg), plus 8 bytes per series", async () => {
    const model = (spin: ModelInput["spin"], lattice: ModelInput["lattice"], dim: 1 | 2 | 3) =>
      defineModel({
        spin,
        lattice,
        terms: [{ name: "nn", coupling: 0.3, shapes: nearestNeighbourShapes(dim) }],
      });
    for (const m of [
      model("ising", { square: [4, 4] }, 2),
      model("xy", { square: [4, 4] }, 2),
      model("heisenberg", { chain: 8 }, 1),
    ]) {
      const [chains, sweeps] = [3, 5];
      const s = await createModelSampler({ model: m, chains, seed: 1 });
      try {
        const r = await s.measure({ sweeps });
        const plan = { chains, samples: sweeps };
        expect(estimateModelMemory(m, plan).parts.measurements).toBe(r.rows.byteLength);
        const withSeries = estimateModelMemory(m, { ...plan, series: 4 }).parts.measurements;
        expect(withSeries - r.rows.byteLength).toBe(4 * chains * sweeps * 8);
      } finally {
        await s.dispose();
      }
    }
  });
});
