// createGpuModelSampler and createGpuModelTempering on a context the caller supplies (here the
// Dawn one of the tests, as a browser supplies its own) against createModelSampler and
// createModelTempering with backend "webgpu": same seed, same chains, bit for bit; Ising also
// against the CPU backend (exact on both).
import type { GpuContext } from "@physml/gpu-device";
import { NO_GPU, testGpuContext } from "@physml/gpu-device/testing";
import { type ModelInput, nearestNeighbourShapes, PhysmlInputError } from "@physml/lattice-core";
import { beforeAll, describe, expect, test } from "vitest";
import { GPU_ISING_MODELS } from "../../test/gpu-models.js";
import { MemoryLimitError } from "../memory.js";
import { createGpuModelSampler } from "./gpu-sampler.js";
import { createGpuModelTempering } from "./gpu-tempering.js";
import { betaLadder } from "./ladder.js";
import type { ModelSampler } from "./model-sampler.js";
import type { GpuModelSamplerOptions } from "./options.js";
import { createModelSampler } from "./sampler.js";
import { createModelTempering } from "./tempering.js";

let ctx: GpuContext | null = null;
beforeAll(async () => {
  ctx = await testGpuContext("mcmc-gpu/model/gpu-sampler.test.ts");
});

/** A 3-spin triangle with nn and a field on 6×4: both Ising rules take it. */
const triangle = GPU_ISING_MODELS["3-spin triangle + nn + field on 6×4"];
const heisenberg: ModelInput = {
  spin: "heisenberg",
  lattice: { square: [4, 4] },
  terms: [
    { name: "nn", coupling: 0.8, shapes: nearestNeighbourShapes(2) },
    { name: "h", coupling: 0.2, sites: [[0, 0]], axis: 1 },
  ],
};
const xy: ModelInput = {
  spin: "xy",
  lattice: { chain: 12 },
  terms: [{ name: "nn", coupling: 1.2, sites: [[0], [1]] }],
};

const CASES: [string, string, GpuModelSamplerOptions][] = [
  ["int", "ising-metropolis", { model: triangle, chains: 3, seed: 2 ** 41 + 1, init: "hot", kernel: "int" }],
  ["packed", "ising-packed", { model: triangle, chains: 33, seed: 6, init: "hot" }],
  ["heisenberg", "on-metropolis", { model: heisenberg, chains: 2, seed: 8, init: "hot", overrelaxation: 2 }],
  ["xy", "on-metropolis", { model: xy, chains: 3, seed: 9, overrelaxation: 0 }],
];

/** Thermalisation, measurement and spins of a short run (the sampler is disposed). */
async function run(s: ModelSampler) {
  try {
    const start = await s.snapshot();
    await s.sweep(6);
    const m = await s.measure({ sweeps: 6, every: 2 });
    return {
      backend: s.backend,
      rules: s.rules,
      start,
      rows: m.rows,
      spins: await s.snapshot(),
      widths: s.onRule?.widths.slice() ?? null,
    };
  } finally {
    await s.dispose();
  }
}

describe("createGpuModelSampler", () => {
  test.for(CASES)("%s: the same chains as createModelSampler on WebGPU", async ([name, rule, options], t) => {
    if (!ctx) return t.skip(NO_GPU);
    const mine = await run(await createGpuModelSampler(options, ctx));
    const chosen = await run(await createModelSampler({ ...options, backend: "webgpu" }));
    expect([mine.backend, mine.rules[0]]).toEqual(["webgpu", rule]);
    // Not vacuous: the chains moved.
    expect(mine.spins).not.toEqual(mine.start);
    expect(mine).toEqual(chosen);
    if (name === "int" || name === "packed") {
      const cpu = await run(await createModelSampler({ ...options, backend: "cpu", workers: 1 }));
      expect({ ...mine, backend: "cpu" }).toEqual(cpu);
    }
  });

  test("bad options are input errors naming the field", async (t) => {
    if (!ctx) return t.skip(NO_GPU);
    const gpu = ctx;
    const bad = (o: Partial<GpuModelSamplerOptions>) =>
      createGpuModelSampler({ model: triangle, chains: 4, seed: 1, ...o }, gpu);
    /** The field a PhysmlInputError names, or null when the call succeeds. */
    const fieldOf = async (p: Promise<ModelSampler>): Promise<string | null> => {
      try {
        await (await p).dispose();
        return null;
      } catch (e) {
        if (e instanceof PhysmlInputError) return e.field;
        throw e;
      }
    };
    expect(await fieldOf(bad({ chains: 0 }))).toBe("chains");
    expect(await fieldOf(bad({ chains: 2 ** 16 + 1 }))).toBe("chains");
    expect(await fieldOf(bad({ seed: -1 }))).toBe("seed");
    expect(await fieldOf(bad({ init: "warm" as "hot" }))).toBe("init");
    expect(await fieldOf(bad({ model: xy, kernel: "packed" }))).toBe("kernel");
    expect(await fieldOf(bad({ model: xy, overrelaxation: 65 }))).toBe("overrelaxation");
    // The same options with the bad value fixed are accepted (the refusals above are not blanket).
    expect(await fieldOf(bad({ model: xy, overrelaxation: 64 }))).toBeNull();
    await expect(bad({ maxMemory: 1 })).rejects.toThrow(MemoryLimitError);
  });
});

describe("createGpuModelTempering", () => {
  test("the same ladder as createModelTempering on WebGPU and on the CPU", async (t) => {
    if (!ctx) return t.skip(NO_GPU);
    const model: ModelInput = {
      spin: "ising",
      lattice: { chain: 10 },
      terms: [{ name: "nn", coupling: 1, sites: [[0], [1]] }],
    };
    const options = { model, slots: betaLadder(model, [0.2, 0.4, 0.6]), seed: 12, init: "hot" as const };
    const ladder = async (pt: Awaited<ReturnType<typeof createModelTempering>>) => {
      try {
        await pt.thermalize(5);
        const r = await pt.run({ samples: 10, every: 2 });
        return { rows: r.slots.map((m) => m.rows), accepted: r.accepted, slots: pt.samplerOfSlot };
      } finally {
        await pt.dispose();
      }
    };
    const mine = await ladder(await createGpuModelTempering(options, ctx));
    // Not vacuous: exchanges were accepted.
    expect(mine.accepted.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(mine).toEqual(await ladder(await createModelTempering({ ...options, backend: "webgpu" })));
    expect(mine).toEqual(await ladder(await createModelTempering({ ...options, backend: "cpu" })));
    await expect(createGpuModelTempering({ ...options, slots: [[0.2]] }, ctx)).rejects.toMatchObject({
      name: "PhysmlInputError",
      field: "slots",
    });
  });
});
