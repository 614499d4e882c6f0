// The WebGPU backend against the CPU backend, the reference of SPEC.md: same seed and couplings →
// bit-identical configurations and measurements, for the 2- and 4-colour int kernels and the
// replica-packed kernel. Runs on SwiftShader in CI (VK_ICD_FILENAMES), skips without an adapter.
import { type GpuContext, GpuError } from "@physml/gpu-device";
import { NO_GPU, testGpuContext } from "@physml/gpu-device/testing";
import {
  type Couplings,
  couplings,
  PhysmlInputError,
  type SquareLattice,
  squareLattice,
} from "@physml/lattice-core";
import { beforeAll, describe, expect, test } from "vitest";
import type { BackendInit } from "../backend.js";
import { createCpuBackend } from "../cpu/backend.js";
import { createWebGpuBackend } from "./backend.js";
import { KERNEL_NAMES } from "./dispatch.js";
import { INT_GPU_KERNEL } from "./kernel/int.js";
import { compileShaderFiles } from "./pipelines.js";

let ctx: GpuContext | null = null;
beforeAll(async () => {
  ctx = await testGpuContext("mcmc-gpu/webgpu/backend.test.ts");
});

function setup(
  lattice: SquareLattice,
  kernel: "int" | "packed",
  colours: 2 | 4,
  cs: Couplings[],
  init: "cold" | "hot" = "hot",
): BackendInit {
  return { lattice, chains: cs.length, seed: 2 ** 40 + 12345, kernel, colours, couplings: cs, init };
}

/**
 * Runs both backends through the same calls — sweeps, a measured stretch with configurations,
 * more sweeps — and compares everything they return.
 */
async function compareBackends(init: BackendInit, c: GpuContext): Promise<void> {
  const gpu = await createWebGpuBackend(init, c);
  const cpu = await createCpuBackend(init, { threads: 1 });
  try {
    expect(await gpu.snapshot()).toEqual(await cpu.snapshot());
    for (const b of [gpu, cpu]) await b.sweep(5);
    expect(gpu.sweepCount).toBe(5);
    expect(await gpu.snapshot()).toEqual(await cpu.snapshot());

    // 7 sweeps measured every 3: samples after sweeps 3 and 6, then one unmeasured sweep.
    const m = await gpu.measure(7, 3, true);
    const want = await cpu.measure(7, 3, true);
    expect(m.samples).toBe(2);
    expect(m.terms).toEqual(want.terms);
    expect(m.features).toEqual(want.features);
    expect(m.configurations).toEqual(want.configurations);
    // Independent check of the measured integers: S_nn from the returned configurations.
    const n = init.lattice.nSites;
    const conf = m.configurations as Int8Array;
    for (let r = 0; r < init.chains * 2; r++) {
      let sNn = 0;
      const ls = init.lattice.linkSites;
      for (let l = 0; l < init.lattice.nLinks; l++)
        sNn += conf[r * n + ls[2 * l]] * conf[r * n + ls[2 * l + 1]];
      expect(m.terms[4 * r]).toBe(sNn);
    }
    expect(await gpu.snapshot()).toEqual(await cpu.snapshot());
    expect(gpu.sweepCount).toBe(12);
  } finally {
    await gpu.dispose();
    await cpu.dispose();
  }
}

describe("WebGPU backend = CPU reference, bit for bit", () => {
  // 10 × 34: colour classes of 170 (C = 2) and 85 (C = 4) sites, so the last Philox block is
  // partial and blocks span rows; 34 rows make each measurement invocation walk 3 rows.
  const lat = squareLattice(10, 34);

  test("int kernel, 2 colours, different nn/field per chain", async (t) => {
    if (!ctx) return t.skip(NO_GPU);
    const cs = [
      couplings({ nn: 0.44 }),
      couplings({ nn: 0.3, field: 0.2 }),
      couplings({ nn: -0.7, field: -0.1 }),
      couplings({ nn: 1.5 }),
    ];
    await compareBackends(setup(lat, "int", 2, cs), ctx);
  });

  test("int kernel, 4 colours, plaquette and nnn couplings", async (t) => {
    if (!ctx) return t.skip(NO_GPU);
    const cs = [
      couplings({ nn: 0.3, plaquette: 0.2, nnn: -0.1 }),
      couplings({ nn: 0.1, plaquette: -0.4, nnn: 0.25, field: 0.05 }),
      couplings({ nn: 0.0, plaquette: 0.6 }),
    ];
    await compareBackends(setup(lat, "int", 4, cs), ctx);
  });

  test("packed kernel, 40 chains (one partial group), J > 0, cold start", async (t) => {
    if (!ctx) return t.skip(NO_GPU);
    const cs = Array.from({ length: 40 }, () => couplings({ nn: 0.6 }));
    await compareBackends(setup(lat, "packed", 2, cs, "cold"), ctx);
  });

  test("packed kernel, J < 0 and J = 0, hot start", async (t) => {
    if (!ctx) return t.skip(NO_GPU);
    const small = squareLattice(6, 4);
    await compareBackends(
      setup(
        small,
        "packed",
        2,
        Array.from({ length: 33 }, () => couplings({ nn: -0.3 })),
      ),
      ctx,
    );
    await compareBackends(
      setup(
        small,
        "packed",
        2,
        Array.from({ length: 5 }, () => couplings({ nn: 0 })),
      ),
      ctx,
    );
  });

  test("packed measurement across counter flushes: 40×34, antiferromagnetic start", async (t) => {
    if (!ctx) return t.skip(NO_GPU);
    // 3 rows of 40 sites per invocation: the 4-bit counters fold into the wide ones many times,
    // and a checkerboard start at strong J < 0 makes long runs of −1 links (counter overflow
    // would show).
    const big = squareLattice(40, 34);
    const init = setup(
      big,
      "packed",
      2,
      Array.from({ length: 33 }, () => couplings({ nn: -1.5 })),
      "cold",
    );
    const gpu = await createWebGpuBackend(init, ctx);
    const cpu = await createCpuBackend(init, { threads: 1 });
    try {
      const n = big.nSites;
      const start = Int8Array.from({ length: 33 * n }, (_, k) => {
        const [x, y] = big.coords(k % n);
        return (x + y) % 2 === 0 ? 1 : -1;
      });
      for (const b of [gpu, cpu]) await b.restore(start, 0);
      const m = await gpu.measure(3, 1, false);
      const want = await cpu.measure(3, 1, false);
      expect(m.terms).toEqual(want.terms);
      expect(m.features).toEqual(want.features);
      // Nearly antiferromagnetic still: S_nn close to −2N.
      expect(m.terms[0]).toBeLessThan(-1.5 * n);
    } finally {
      await gpu.dispose();
      await cpu.dispose();
    }
  });

  test("restore and setCouplings continue the same stream as the CPU", async (t) => {
    if (!ctx) return t.skip(NO_GPU);
    const init = setup(lat, "int", 4, [couplings({ nn: 0.2 }), couplings({ nn: 0.9 })]);
    const gpu = await createWebGpuBackend(init, ctx);
    const cpu = await createCpuBackend(init, { threads: 1 });
    try {
      // A configuration unlike either backend's own start: chain c, site i is −1 iff i mod (c+3) = 0.
      const start = Int8Array.from({ length: 2 * lat.nSites }, (_, k) =>
        (k % lat.nSites) % ((k >= lat.nSites ? 1 : 0) + 3) === 0 ? -1 : 1,
      );
      const next = [couplings({ nn: 0.5, field: 0.3, nnn: 0.1 }), couplings({ nn: -0.2, plaquette: 0.4 })];
      for (const b of [gpu, cpu]) {
        // Just below 2^32: the u32 sweep counter of the random stream wraps during the sweeps.
        await b.restore(start, 0xfffffffe);
        b.setCouplings(next);
        await b.sweep(4);
      }
      expect(gpu.sweepCount).toBe(2);
      expect(await gpu.snapshot()).toEqual(await cpu.snapshot());
      // Fewer sweeps than `every`: no samples, but the sweeps still run.
      const m = await gpu.measure(2, 3, true);
      expect(m.samples).toBe(0);
      expect(m.configurations?.length).toBe(0);
      await cpu.measure(2, 3, true);
      expect(gpu.sweepCount).toBe(4);
      expect(await gpu.snapshot()).toEqual(await cpu.snapshot());
    } finally {
      await gpu.dispose();
      await cpu.dispose();
    }
  });
});

describe("WebGPU backend errors", () => {
  test("odd lattice side → PhysmlInputError naming the field", async (t) => {
    if (!ctx) return t.skip(NO_GPU);
    const init = setup(squareLattice(7, 6), "int", 2, [couplings({ nn: 0.4 })]);
    await expect(createWebGpuBackend(init, ctx)).rejects.toSatisfy(
      (e: unknown) => e instanceof PhysmlInputError && e.message.includes("Lx"),
    );
  });

  test("couplings the packed kernel cannot run → PhysmlInputError", async (t) => {
    if (!ctx) return t.skip(NO_GPU);
    const init = setup(lat6(), "packed", 2, [couplings({ nn: 0.4 }), couplings({ nn: 0.5 })]);
    await expect(createWebGpuBackend(init, ctx)).rejects.toBeInstanceOf(PhysmlInputError);
  });

  test("a pipeline validation failure is a GpuError naming the kernel", async (t) => {
    if (!ctx) return t.skip(NO_GPU);
    // COLOURS = 0 makes the override expression N_SITES / COLOURS divide by zero, which the
    // device rejects when it builds the pipeline.
    const c = ctx;
    await expect(
      compileShaderFiles(c, {
        ...INT_GPU_KERNEL.sweepShader({ LX: 6, LY: 6, COLOURS: 0 }),
        entryPoint: "sweep",
      }),
    ).rejects.toSatisfy(
      (e: unknown) => e instanceof GpuError && e.kind === "validation" && e.kernel === KERNEL_NAMES.int,
    );
  });
});

function lat6(): SquareLattice {
  return squareLattice(6, 6);
}
