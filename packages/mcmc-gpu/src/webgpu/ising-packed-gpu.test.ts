// The generated WGSL twin of the replica-packed rule against the CPU rule: same seed, same
// spins after every stretch of sweeps (a 3-spin term, the plaquette with nnn and a field, a 1D
// n-spin chain, a twisted torus), same measurements, and after new couplings (recompiled kernel).
import type { GpuContext } from "@physml/gpu-device";
import { NO_GPU, testGpuContext } from "@physml/gpu-device/testing";
import { beforeAll, describe, expect, test } from "vitest";
import { GPU_ISING_MODELS } from "../../test/gpu-models.js";
import { createModelSampler } from "../model/sampler.js";

let ctx: GpuContext | null = null;
beforeAll(async () => {
  ctx = await testGpuContext("mcmc-gpu/webgpu/ising-packed-gpu.test.ts");
});

const models = GPU_ISING_MODELS;

describe("replica-packed Ising kernel on WebGPU", () => {
  for (const [name, model] of Object.entries(models)) {
    test(`${name}: bit-identical to the CPU packed rule`, async (t) => {
      if (!ctx) return t.skip(NO_GPU);
      // 40 chains: one full 32-lane group and a partial one.
      const make = (backend: "cpu" | "webgpu") =>
        createModelSampler({ model, chains: 40, seed: 2 ** 33 + 7, backend, init: "hot", kernel: "packed" });
      const gpu = await make("webgpu");
      const cpu = await make("cpu");
      try {
        expect(gpu.backend).toBe("webgpu");
        expect(gpu.rules).toEqual(["ising-packed"]);
        for (const n of [1, 7, 12]) {
          await gpu.sweep(n);
          await cpu.sweep(n);
          expect(await gpu.snapshot()).toEqual(await cpu.snapshot());
        }
        const mg = await gpu.measure({ sweeps: 6, every: 2 });
        const mc = await cpu.measure({ sweeps: 6, every: 2 });
        expect(mg.rows).toEqual(mc.rows);
        const next = gpu.model.terms.map((term, k) => (k === 0 ? -term.coupling : term.coupling));
        gpu.setCouplings(next);
        cpu.setCouplings(next);
        await gpu.sweep(5);
        await cpu.sweep(5);
        expect(await gpu.snapshot()).toEqual(await cpu.snapshot());
      } finally {
        await gpu.dispose();
        await cpu.dispose();
      }
    });
  }
});
