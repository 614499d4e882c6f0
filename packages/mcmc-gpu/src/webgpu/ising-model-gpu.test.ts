// The generated WGSL kernel of the generic Ising rule against the CPU rule: same seed, same
// spins after every stretch of sweeps, for a 3-spin term, the plaquette and a 1D n-spin chain.
import type { GpuContext } from "@physml/gpu-device";
import { NO_GPU, testGpuContext } from "@physml/gpu-device/testing";
import { type ModelInput, nearestNeighbourShapes, standardSquareModel } from "@physml/lattice-core";
import { beforeAll, describe, expect, test } from "vitest";
import { createModelSampler } from "../model/sampler.js";

let ctx: GpuContext | null = null;
beforeAll(async () => {
  ctx = await testGpuContext("mcmc-gpu/webgpu/ising-model-gpu.test.ts");
});

const models: Record<string, ModelInput | ReturnType<typeof standardSquareModel>> = {
  "3-spin triangle + nn + field on 6×4": {
    spin: "ising",
    lattice: { square: [6, 4] },
    terms: [
      {
        name: "tri",
        coupling: 0.3,
        sites: [
          [0, 0],
          [1, 0],
          [0, 1],
        ],
      },
      {
        name: "nn",
        coupling: 0.2,
        shapes: nearestNeighbourShapes(2),
      },
      { name: "h", coupling: -0.05, sites: [[0, 0]] },
    ],
  },
  "standard terms with the plaquette on 8×6": standardSquareModel(8, 6, {
    nn: 0.3,
    plaquette: -0.25,
    nnn: 0.1,
    field: 0.02,
  }),
  "1D 6-spin chain + nn, L = 29 (greedy colouring)": {
    spin: "ising",
    lattice: { chain: 29 },
    terms: [
      { name: "s6", coupling: 0.4, sites: [[0], [1], [2], [3], [4], [5]] },
      { name: "nn", coupling: 0.15, sites: [[0], [1]] },
    ],
  },
  "nn + plaquette on a 6×4 torus twisted along x and y": {
    spin: "ising",
    lattice: { square: [6, 4], twist: [true, true] },
    terms: [
      { name: "nn", coupling: 0.45, shapes: nearestNeighbourShapes(2) },
      {
        name: "plaq",
        coupling: 0.2,
        sites: [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
        ],
      },
    ],
  },
  "nn on a 4³ torus twisted along z": {
    spin: "ising",
    lattice: { cubic: 4, twist: [false, false, true] },
    terms: [{ name: "nn", coupling: 0.3, shapes: nearestNeighbourShapes(3) }],
  },
  "cubic nn on 4³": {
    spin: "ising",
    lattice: { cubic: 4 },
    terms: [
      {
        name: "nn",
        coupling: 0.2,
        shapes: nearestNeighbourShapes(3),
      },
    ],
  },
};

describe("generic Ising kernel on WebGPU", () => {
  for (const [name, model] of Object.entries(models)) {
    test(`${name}: bit-identical to the CPU rule`, async (t) => {
      if (!ctx) return t.skip(NO_GPU);
      const make = (backend: "cpu" | "webgpu") =>
        createModelSampler({ model, chains: 5, seed: 2 ** 33 + 5, backend, init: "hot" });
      const gpu = await make("webgpu");
      const cpu = await make("cpu");
      try {
        expect(gpu.backend).toBe("webgpu");
        for (const n of [1, 7, 12]) {
          await gpu.sweep(n);
          await cpu.sweep(n);
          expect(await gpu.snapshot()).toEqual(await cpu.snapshot());
        }
        const mg = await gpu.measure({ sweeps: 6, every: 2 });
        const mc = await cpu.measure({ sweeps: 6, every: 2 });
        expect(mg.rows).toEqual(mc.rows);
      } finally {
        await gpu.dispose();
        await cpu.dispose();
      }
    });
  }
});
