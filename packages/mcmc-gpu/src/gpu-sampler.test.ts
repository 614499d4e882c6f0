// createGpuSampler on a context the caller supplies (here the shared Dawn one, as a browser
// supplies its own) against createSampler on the CPU: same seed, same chains, bit for bit.
import type { GpuContext } from "@physml/gpu-device";
import { NO_GPU, testGpuContext } from "@physml/gpu-device/testing";
import { PhysmlInputError, squareLattice } from "@physml/lattice-core";
import { beforeAll, describe, expect, test } from "vitest";
import { createSampler } from "./create-sampler.js";
import { createGpuSampler, type GpuSamplerOptions } from "./gpu-sampler.js";

let ctx: GpuContext | null = null;
beforeAll(async () => {
  ctx = await testGpuContext("mcmc-gpu/gpu-sampler.test.ts");
});

const CASES: ["int" | "packed", 2 | 4, GpuSamplerOptions][] = [
  ["packed", 2, { lattice: squareLattice(8), chains: 33, couplings: { nn: 0.44 }, seed: 5, init: "hot" }],
  [
    "int",
    4,
    { lattice: squareLattice(6, 8), chains: 3, couplings: { nn: 0.3, plaquette: 0.1, field: 0.05 }, seed: 9 },
  ],
];

describe("createGpuSampler", () => {
  test.for(CASES)(
    "%s kernel, %i colours: the same chains as the CPU backend",
    async ([kernel, colours, options], t) => {
      if (!ctx) return t.skip(NO_GPU);
      const gpu = await createGpuSampler(options, ctx);
      const cpu = await createSampler({ ...options, backend: "cpu", workers: 1 });
      try {
        expect([gpu.backend, gpu.kernel, gpu.colours]).toEqual(["webgpu", kernel, colours]);
        await gpu.sweep(7);
        await cpu.sweep(7);
        const mg = await gpu.measure({ sweeps: 6, every: 2, configurations: true });
        const mc = await cpu.measure({ sweeps: 6, every: 2, configurations: true });
        expect(mg.terms).toEqual(mc.terms);
        expect(mg.features).toEqual(mc.features);
        expect(mg.configurations).toEqual(mc.configurations);
        expect(await gpu.snapshot()).toEqual(await cpu.snapshot());
      } finally {
        await gpu.dispose();
        await cpu.dispose();
      }
    },
  );

  test("bad options are input errors naming the field", async (t) => {
    if (!ctx) return t.skip(NO_GPU);
    const bad = { lattice: squareLattice(8), chains: 0, couplings: { nn: 0.4 }, seed: 1 };
    await expect(createGpuSampler(bad, ctx)).rejects.toThrow(PhysmlInputError);
    await expect(createGpuSampler(bad, ctx)).rejects.toThrow(/chains/);
  });
});
