// createSampler with backend "webgpu" against backend "cpu": the front-end drives both
// backends through the same calls, including replica exchange (which reads the GPU term sums
// to decide swaps and then swaps couplings with setCouplings), so any disagreement in
// measurements or configurations shows up as different swaps and different chains.
import type { GpuContext } from "@physml/gpu-device";
import { NO_GPU, testGpuContext } from "@physml/gpu-device/testing";
import { squareLattice } from "@physml/lattice-core";
import { beforeAll, describe, expect, test } from "vitest";
import { createSampler } from "../create-sampler.js";

let ctx: GpuContext | null = null;
beforeAll(async () => {
  ctx = await testGpuContext("mcmc-gpu/webgpu/sampler-webgpu.test.ts");
});

describe("createSampler({ backend: 'webgpu' })", () => {
  test("replica exchange over 6 temperatures: same swaps, measurements and chains as the CPU", async (t) => {
    if (!ctx) return t.skip(NO_GPU);
    const betas = [0.25, 0.33, 0.4, 0.44, 0.5, 0.6];
    const make = (backend: "cpu" | "webgpu") =>
      createSampler({
        lattice: squareLattice(8, 6),
        chains: betas.length,
        couplings: betas.map((b) => ({ nn: b, field: 0.01 })),
        seed: 31337,
        backend,
        tempering: { every: 2 },
        init: "hot",
        workers: 1,
      });
    const gpu = await make("webgpu");
    const cpu = await make("cpu");
    try {
      expect(gpu.backend).toBe("webgpu");
      await gpu.sweep(10);
      await cpu.sweep(10);
      const mg = await gpu.measure({ sweeps: 12, every: 3, configurations: true });
      const mc = await cpu.measure({ sweeps: 12, every: 3, configurations: true });
      expect(mg.terms).toEqual(mc.terms);
      expect(mg.features).toEqual(mc.features);
      expect(mg.configurations).toEqual(mc.configurations);
      expect(gpu.exchangeStats).toEqual(cpu.exchangeStats);
      // Some swaps must have happened, or the exchange path was not exercised.
      expect(Array.from(gpu.exchangeStats?.accepted ?? []).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      expect(await gpu.snapshot()).toEqual(await cpu.snapshot());
    } finally {
      await gpu.dispose();
      await cpu.dispose();
    }
  });

  test("the packed kernel is chosen by default for nn-only couplings and matches the CPU", async (t) => {
    if (!ctx) return t.skip(NO_GPU);
    const make = (backend: "cpu" | "webgpu") =>
      createSampler({
        lattice: squareLattice(8),
        chains: 35,
        couplings: { nn: 0.42 },
        seed: 7,
        backend,
        workers: 1,
      });
    const gpu = await make("webgpu");
    const cpu = await make("cpu");
    try {
      expect(gpu.kernel).toBe("packed");
      const mg = await gpu.measure({ sweeps: 6, every: 2 });
      const mc = await cpu.measure({ sweeps: 6, every: 2 });
      expect(mg.terms).toEqual(mc.terms);
      expect(mg.features).toEqual(mc.features);
    } finally {
      await gpu.dispose();
      await cpu.dispose();
    }
  });
});
