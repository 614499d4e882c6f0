// The generated WGSL kernel of the generic Ising rule against the CPU rule: same seed, same
// spins after every stretch of sweeps, for a 3-spin term, the plaquette and a 1D n-spin chain.
import type { GpuContext } from "@physml/gpu-device";
import { NO_GPU, testGpuContext } from "@physml/gpu-device/testing";
import { beforeAll, describe, expect, test } from "vitest";
import { GPU_CUBIC_MODELS, GPU_ISING_MODELS } from "../../test/gpu-models.js";
import { createModelSampler } from "../model/sampler.js";

let ctx: GpuContext | null = null;
beforeAll(async () => {
  ctx = await testGpuContext("mcmc-gpu/webgpu/ising-model-gpu.test.ts");
});

const models = { ...GPU_ISING_MODELS, ...GPU_CUBIC_MODELS };

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
