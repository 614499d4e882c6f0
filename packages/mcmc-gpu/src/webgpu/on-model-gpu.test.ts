// The f32 WGSL O(n) kernels against exact results and against the Float64 CPU rules,
// statistically (f32 chains leave the Float64 ones after a few sweeps).
import type { GpuContext } from "@physml/gpu-device";
import { NO_GPU, testGpuContext } from "@physml/gpu-device/testing";
import { estimateChains, type ModelInput, nearestNeighbourShapes, xyChainExact } from "@physml/lattice-core";
import { beforeAll, describe, expect, test } from "vitest";
import type { ModelMeasurements } from "../model/measurements.js";
import { createModelSampler } from "../model/sampler.js";

let ctx: GpuContext | null = null;
beforeAll(async () => {
  ctx = await testGpuContext("mcmc-gpu/webgpu/on-model-gpu.test.ts");
});

const est = (m: ModelMeasurements, f: (m: ModelMeasurements, c: number) => Float64Array) =>
  estimateChains(Array.from({ length: m.chains }, (_, c) => f(m, c)));

async function run(model: ModelInput, backend: "cpu" | "webgpu", sweeps: number) {
  const s = await createModelSampler({ model, chains: 8, seed: 11, backend, init: "hot" });
  try {
    await s.sweep(60);
    return { backend: s.backend, m: await s.measure({ sweeps, every: 2 }), spins: await s.snapshot() };
  } finally {
    await s.dispose();
  }
}

describe("O(n) kernels on WebGPU (f32)", () => {
  test("XY ring L = 16, K = 1.5: energy vs the exact ring (4σ); spins stay unit vectors", async (t) => {
    if (!ctx) return t.skip(NO_GPU);
    const model: ModelInput = {
      spin: "xy",
      lattice: { chain: 16 },
      terms: [{ name: "nn", coupling: 1.5, sites: [[0], [1]] }],
    };
    const { backend, m, spins } = await run(model, "webgpu", 500);
    expect(backend).toBe("webgpu");
    const e = est(m, (x, c) => x.reducedEnergyPerSite(c));
    expect(Math.abs(e.mean - xyChainExact(1.5, 16).reducedEnergyPerSite)).toBeLessThan(4 * e.error);
    for (let i = 0; i < spins.length; i += 2)
      expect(Math.abs(Math.hypot(spins[i], spins[i + 1]) - 1)).toBeLessThan(1e-5);
  });

  test("Heisenberg 6×6 with a field: GPU and CPU energy and magnetisation agree (4σ)", async (t) => {
    if (!ctx) return t.skip(NO_GPU);
    const model: ModelInput = {
      spin: "heisenberg",
      lattice: { square: [6, 6] },
      terms: [
        { name: "nn", coupling: 0.5, shapes: nearestNeighbourShapes(2) },
        { name: "h", coupling: 0.2, sites: [[0, 0]], axis: 2 },
      ],
    };
    const g = await run(model, "webgpu", 400);
    const c = await run(model, "cpu", 400);
    for (const f of [
      (x: ModelMeasurements, k: number) => x.reducedEnergyPerSite(k),
      (x: ModelMeasurements, k: number) => x.magnetizationComponent(2, k),
    ]) {
      const a = est(g.m, f);
      const b = est(c.m, f);
      expect(Math.abs(a.mean - b.mean)).toBeLessThan(4 * Math.hypot(a.error, b.error));
    }
  });
});
