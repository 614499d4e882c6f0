// The model backends compile through gpu-device's pipeline cache: a second sampler of a model
// adds no pipeline and, with the same seed, gives the first one's samples; a model whose
// generated WGSL differs compiles its own. The packed rule's kernels, which bake the couplings in,
// are compiled per sampler and never kept. (No compile failure is provoked here: every input
// reaching the generated WGSL is validated by defineModel first, and term names only enter
// comments; gpu-device's own tests cover the rejection with a GpuError naming the kernel.)
import { cachedPipelineCount, type GpuContext } from "@physml/gpu-device";
import { NO_GPU, testGpuContext } from "@physml/gpu-device/testing";
import { type ModelInput, nearestNeighbourShapes } from "@physml/lattice-core";
import { TRIANGLE_SITES } from "@physml/lattice-core/testing";
import { beforeAll, describe, expect, test } from "vitest";
import type { ModelSampler } from "../model/model-sampler.js";
import { createModelSampler, type ModelSamplerOptions } from "../model/sampler.js";

let ctx: GpuContext | null = null;
beforeAll(async () => {
  ctx = await testGpuContext("mcmc-gpu/webgpu/model-pipeline-cache.test.ts");
});

/** Ising nn on a torus, plus a 3-spin term when `triangle` (a different stencil, so different WGSL). */
function ising(nn: number, triangle = false, sides: [number, number] = [6, 4]): ModelInput {
  const tri = { name: "tri", coupling: 0.3, sites: TRIANGLE_SITES };
  const terms = [{ name: "nn", coupling: nn, shapes: nearestNeighbourShapes(2) }, ...(triangle ? [tri] : [])];
  return { spin: "ising", lattice: { square: sides }, terms };
}

const xyRing: ModelInput = {
  spin: "xy",
  lattice: { chain: 12 },
  terms: [{ name: "nn", coupling: 1.1, sites: [[0], [1]] }],
};

/** The ring with a field along s⁰: one more term in the generated WGSL. */
const xyRingField: ModelInput = {
  ...xyRing,
  terms: [...xyRing.terms, { name: "h", coupling: 0.4, sites: [[0]], axis: 0 }],
};

type Options = Omit<ModelSamplerOptions, "backend" | "seed" | "init">;

function sampler(o: Options): Promise<ModelSampler> {
  return createModelSampler({ ...o, seed: 2 ** 40 + 3, backend: "webgpu", init: "hot" });
}

/** Spins after a few thermalisation sweeps and the measurement rows of a few more. */
async function samples(s: ModelSampler): Promise<{ spins: Int8Array | Float64Array; rows: Float64Array }> {
  await s.sweep(5);
  const spins = await s.snapshot();
  const { rows } = await s.measure({ sweeps: 4, every: 2 });
  return { spins, rows };
}

/** Pipelines added to the device's cache while `body` runs. */
async function added<T>(c: GpuContext, body: () => Promise<T>): Promise<{ value: T; pipelines: number }> {
  const before = cachedPipelineCount(c.device);
  const value = await body();
  return { value, pipelines: cachedPipelineCount(c.device) - before };
}

async function disposeAll(samplers: (ModelSampler | undefined)[]): Promise<void> {
  for (const s of samplers) await s?.dispose();
}

describe("model backends through the pipeline cache", () => {
  test("int Ising rule: one pipeline per stencil, shared by samplers and couplings", async (t) => {
    if (!ctx) return t.skip(NO_GPU);
    const c = ctx;
    const made: ModelSampler[] = [];
    const make = async (o: Options) => {
      const r = await added(c, () => sampler(o));
      made.push(r.value);
      expect(r.value.backend).toBe("webgpu");
      return r;
    };
    try {
      const opts: Options = { model: ising(0.35), chains: 5, kernel: "int" };
      const a = await make(opts);
      expect(a.pipelines).toBe(1);
      const b = await make(opts);
      expect(b.pipelines).toBe(0);
      expect(await samples(b.value)).toEqual(await samples(a.value));
      // Thresholds live in a buffer: other couplings on the same stencil reuse the kernel.
      expect((await make({ ...opts, model: ising(-0.2) })).pipelines).toBe(0);
      expect((await make({ ...opts, model: ising(0.35, true) })).pipelines).toBe(1);
    } finally {
      await disposeAll(made);
    }
  });

  test("int Ising rule: two samplers of a new model created at once compile it once", async (t) => {
    if (!ctx) return t.skip(NO_GPU);
    // A lattice no other test here uses: its kernel is not in the cache yet.
    const opts: Options = { model: ising(0.1, true, [8, 4]), chains: 3, kernel: "int" };
    let pair: ModelSampler[] = [];
    try {
      const r = await added(ctx, () => Promise.all([sampler(opts), sampler(opts)]));
      pair = r.value;
      expect(r.pipelines).toBe(1);
      expect(await samples(pair[1])).toEqual(await samples(pair[0]));
    } finally {
      await disposeAll(pair);
    }
  });

  test("packed Ising rule: thresholds are in the source, so its kernels stay out of the cache", async (t) => {
    if (!ctx) return t.skip(NO_GPU);
    const c = ctx;
    let a: ModelSampler | undefined;
    let b: ModelSampler | undefined;
    try {
      // 40 chains: a full 32-lane group and a partial one.
      const opts: Options = { model: ising(0.25), chains: 40, kernel: "packed" };
      const first = await added(c, () => sampler(opts));
      a = first.value;
      const second = await added(c, () => sampler(opts));
      b = second.value;
      expect([first.pipelines, second.pipelines]).toEqual([0, 0]);
      expect(b.rules).toEqual(["ising-packed"]);
      expect(await samples(b)).toEqual(await samples(a));
      // New couplings change the generated WGSL: each sampler compiles its own, and nothing is
      // kept (a cache would grow with every coupling value). setCouplings starts the
      // compilation; the next sweep waits for it.
      const recouple = (s: ModelSampler, nn: number) =>
        added(c, async () => {
          s.setCouplings([nn]);
          await s.sweep(1);
        });
      for (const nn of [-0.3, 0.1, 0.2]) expect((await recouple(a, nn)).pipelines).toBe(0);
      await recouple(b, -0.3);
      await recouple(b, 0.1);
      await recouple(b, 0.2);
      expect(await samples(b)).toEqual(await samples(a));
    } finally {
      await disposeAll([a, b]);
    }
  });

  test("O(n) rules: both kernels of a model compiled once; a model with another term compiles its own", async (t) => {
    if (!ctx) return t.skip(NO_GPU);
    const c = ctx;
    const made: ModelSampler[] = [];
    const make = async (model: ModelInput) => {
      const r = await added(c, () => sampler({ model, chains: 4 }));
      made.push(r.value);
      expect(r.value.backend).toBe("webgpu");
      return r;
    };
    try {
      const a = await make(xyRing);
      expect(a.pipelines).toBe(2);
      const b = await make(xyRing);
      expect(b.pipelines).toBe(0);
      expect(await samples(b.value)).toEqual(await samples(a.value));
      expect((await make(xyRingField)).pipelines).toBe(2);
    } finally {
      await disposeAll(made);
    }
  });
});
