// The inverse-Ising memory estimate against what sampling really keeps.
import { defineModel, STANDARD_SQUARE_SHAPES } from "@physml/lattice-core";
import { expect, test } from "vitest";
import { sampleModel } from "./data/sample-model.js";
import { estimateSamplingMemory } from "./memory.js";

test("the estimate covers the kept configurations (one byte a spin) with the sampler's own memory", async () => {
  const model = defineModel({
    spin: "ising",
    lattice: { square: [8, 8] },
    terms: [
      {
        name: "nn",
        coupling: 0.3,
        shapes: STANDARD_SQUARE_SHAPES.nn,
      },
    ],
  });
  const o = { chains: 4, samplesPerChain: 8 };
  const d = await sampleModel(model, { ...o, warmupSweeps: 2, every: 1, seed: 1 });
  expect(d.spins.byteLength).toBe(4 * 8 * 64);
  expect(estimateSamplingMemory(model, o)).toBeGreaterThanOrEqual(2 * d.spins.byteLength);
  // linear in the kept samples
  const twice = estimateSamplingMemory(model, { chains: 4, samplesPerChain: 16 });
  expect(twice - estimateSamplingMemory(model, o)).toBeGreaterThanOrEqual(2 * d.spins.byteLength);
});
