// The CPU backend through every way it spreads a call over threads (one thread, chain or group
// ranges on worker threads, the sites of each colour split across threads with a barrier), each
// against SPEC.md directly rather than against another path: the initial state from Philox, the
// per-site int reference and the per-lane packed reference of test/cpu-reference.ts, and
// lattice-core's termSums of every recorded configuration. Also the sweep counter modulo 2^32,
// use after dispose, and when worker threads are used (the documented thresholds).
import { type Couplings, linkVariables, shapeFeatures, squareLattice, termSums } from "@physml/lattice-core";
import { afterEach, describe, expect, test, vi } from "vitest";
import { referenceInitialChain, referenceIntSweep, referencePackedSweep } from "../../test/cpu-reference.js";
import type { BackendInit, SamplerBackend } from "../backend.js";
import { type CpuBackendOptions, createCpuBackend } from "./backend.js";
import { WorkerPool } from "./pool.js";

afterEach(() => {
  vi.restoreAllMocks();
});

type Lattice = ReturnType<typeof squareLattice>;

/** The per-chain reference of one backend: its state, advanced sweep by sweep from SPEC.md. */
class Reference {
  readonly conf: Int8Array[];
  constructor(
    readonly init: BackendInit,
    public couplings: Couplings[] = init.couplings,
  ) {
    const n = init.lattice.nSites;
    this.conf = Array.from({ length: init.chains }, (_, c) =>
      referenceInitialChain(init.seed, c, n, init.init === "hot"),
    );
  }

  sweep(sweepIndex: number): void {
    const { lattice, seed, colours } = this.init;
    if (this.init.kernel === "int") {
      this.conf.forEach((s, c) => {
        referenceIntSweep(lattice, this.couplings[c], s, c, sweepIndex >>> 0, colours, seed);
      });
    } else referencePackedSweep(lattice, this.couplings[0].nn, this.conf, sweepIndex >>> 0, seed);
  }

  flat(): number[] {
    return this.conf.flatMap((s) => Array.from(s));
  }
}

/**
 * `measure(sweeps, every)` from sweep n0 against the reference: samples = ⌊sweeps/every⌋, row
 * (chain, t) is the configuration after sweep n0 + (t+1)·every − 1 with its termSums, and the
 * state afterwards is the one after all `sweeps` sweeps.
 */
async function checkMeasure(
  b: SamplerBackend,
  ref: Reference,
  lattice: Lattice,
  n0: number,
  sweeps: number,
  every: number,
): Promise<void> {
  const m = await b.measure(sweeps, every, true);
  const samples = Math.floor(sweeps / every);
  const n = lattice.nSites;
  const chains = ref.conf.length;
  expect(m.chains).toBe(chains);
  expect(m.samples).toBe(samples);
  expect(m.terms.length).toBe(chains * samples * 4);
  expect(m.features.length).toBe(chains * samples * 13);
  const conf = m.configurations as Int8Array;
  expect(conf.length).toBe(chains * samples * n);
  let s = n0;
  for (let t = 0; t < samples; t++) {
    for (let k = 0; k < every; k++) ref.sweep(s++);
    for (let c = 0; c < chains; c++) {
      const row = c * samples + t;
      expect(Array.from(conf.subarray(row * n, (row + 1) * n)), `chain ${c} sample ${t}`).toEqual(
        Array.from(ref.conf[c]),
      );
      expect(Array.from(m.terms.subarray(row * 4, row * 4 + 4))).toEqual(
        Array.from(termSums(lattice, ref.conf[c])),
      );
      const f = shapeFeatures(lattice, linkVariables(lattice, ref.conf[c]));
      const got = m.features.subarray(row * 13, row * 13 + 13);
      for (let a = 0; a < 13; a++) expect(got[a]).toBeCloseTo(f[a], 12);
    }
  }
  while (s < n0 + sweeps) ref.sweep(s++);
  expect(Array.from(await b.snapshot())).toEqual(ref.flat());
}

/** Sweeps, a measurement run with a trailing unmeasured sweep, and sweeps again, all against the reference. */
async function checkRun(init: BackendInit, opts: CpuBackendOptions): Promise<void> {
  const b = await createCpuBackend(init, opts);
  const ref = new Reference(init);
  try {
    expect(Array.from(await b.snapshot())).toEqual(ref.flat());
    await b.sweep(2);
    ref.sweep(0);
    ref.sweep(1);
    expect(Array.from(await b.snapshot())).toEqual(ref.flat());
    await checkMeasure(b, ref, init.lattice, 2, 5, 2);
    expect(b.sweepCount).toBe(7);
    await b.sweep(1);
    ref.sweep(7);
    expect(Array.from(await b.snapshot())).toEqual(ref.flat());
    expect(b.sweepCount).toBe(8);
  } finally {
    await b.dispose();
  }
}

// nnn and plaquette terms couple sites of one colour class unless there are 4 colours.
const nnField = (c: Couplings): Couplings => ({ nn: c.nn, plaquette: 0, nnn: 0, field: c.field });
const intCouplings: Couplings[] = [
  { nn: 0.375, plaquette: 0.25, nnn: -0.125, field: 0.0625 },
  { nn: -0.5, plaquette: 0, nnn: 0.25, field: -0.25 },
  { nn: 0.25, plaquette: -0.5, nnn: 0, field: 0 },
  { nn: 0.6, plaquette: 0.1, nnn: 0.1, field: 0.3 },
  { nn: -0.2, plaquette: 0.3, nnn: -0.2, field: 0.1 },
];

describe("initial state", () => {
  test("hot spins are SPEC.md's Philox words, cold spins +1, for both kernels", async () => {
    const lattice = squareLattice(4, 6);
    for (const [kernel, chains] of [
      ["int", 3],
      ["packed", 35],
    ] as const) {
      for (const init of ["hot", "cold"] as const) {
        const bi: BackendInit = {
          lattice,
          chains,
          seed: 2 ** 33 + 9,
          kernel,
          colours: 2,
          couplings: Array(chains).fill({ nn: 0.4, plaquette: 0, nnn: 0, field: 0 }),
          init,
        };
        const b = await createCpuBackend(bi, { threads: 1, simd: false });
        expect(Array.from(await b.snapshot()), `${kernel} ${init}`).toEqual(new Reference(bi).flat());
        expect(b.sweepCount).toBe(0);
      }
    }
  });
});

describe("every thread plan against the reference", () => {
  // 10×8: a 2-colour class has 40 sites (10 Philox blocks), so a site split lands on an odd block.
  const lattice = squareLattice(10, 8);
  const intInit = (chains: number, colours: 2 | 4): BackendInit => ({
    lattice,
    chains,
    seed: 77,
    kernel: "int",
    colours,
    couplings: intCouplings.slice(0, chains).map((c) => (colours === 4 ? c : nnField(c))),
    init: "hot",
  });
  const packedInit = (chains: number, nn: number, L = 6): BackendInit => ({
    lattice: squareLattice(L, L),
    chains,
    seed: 2 ** 40 + 3,
    kernel: "packed",
    colours: 2,
    couplings: Array(chains).fill({ nn, plaquette: 0, nnn: 0, field: 0 }),
    init: "hot",
  });
  const workers = { parallelThresholdNs: 0 };
  const sites = { parallelThresholdNs: 0, siteSplitMinSites: 0 };

  test("int, one thread, 2 and 4 colours", async () => {
    await checkRun(intInit(3, 2), { threads: 1 });
    await checkRun(intInit(3, 4), { threads: 1 });
  });
  test("int, chains split over 3 threads (5 chains: ranges of 1, 2, 2)", async () => {
    await checkRun(intInit(5, 4), { threads: 3, ...workers });
  });
  test("int, 2 chains on 3 threads: one chain per thread, 2 threads used", async () => {
    await checkRun(intInit(2, 2), { threads: 3, ...workers });
  });
  test("int, one chain: sites of each colour split over 2 threads (4 colours: 5 blocks, split at 2)", async () => {
    await checkRun(intInit(1, 4), { threads: 2, ...sites });
  });
  test("packed JavaScript kernel: one thread, groups over 2 threads, sites over 2 threads", async () => {
    await checkRun(packedInit(40, 0.44), { threads: 1, simd: false });
    await checkRun(packedInit(70, -0.3125), { threads: 2, simd: false, ...workers });
    await checkRun(packedInit(20, 0.44, 8), { threads: 2, simd: false, ...sites }); // one group
  });
  test("packed SIMD kernel: one thread, vector groups over 2 threads, sites over 2 threads, nn = 0", async () => {
    await checkRun(packedInit(40, 0.44), { threads: 1 });
    await checkRun(packedInit(140, 0.44, 4), { threads: 2, ...workers }); // 5 groups: vectors [0, 4) and [4, 5)
    await checkRun(packedInit(40, -0.44, 8), { threads: 2, ...sites });
    await checkRun(packedInit(33, 0), { threads: 1 });
  });
});

describe("counter, couplings, restore and dispose", () => {
  test("the sweep counter runs modulo 2^32 and restore sets it", async () => {
    const lattice = squareLattice(4, 4);
    for (const [kernel, chains] of [
      ["int", 2],
      ["packed", 33],
    ] as const) {
      const init: BackendInit = {
        lattice,
        chains,
        seed: 5,
        kernel,
        colours: 2,
        couplings:
          kernel === "int"
            ? intCouplings.slice(0, 2).map(nnField)
            : Array(chains).fill({ nn: 0.375, plaquette: 0, nnn: 0, field: 0 }),
        init: "hot",
      };
      const b = await createCpuBackend(init, { threads: 1 });
      const ref = new Reference(init);
      // Chain c of the restored state is the initial state of chain (c + 1) mod chains.
      ref.conf.push(ref.conf.shift() as Int8Array);
      await b.restore(Int8Array.from(ref.flat()), 2 ** 32 + 2 ** 32 - 2);
      expect(b.sweepCount).toBe(2 ** 32 - 2);
      expect(Array.from(await b.snapshot())).toEqual(ref.flat());
      await b.sweep(3);
      for (const n of [2 ** 32 - 2, 2 ** 32 - 1, 0]) ref.sweep(n);
      expect(b.sweepCount).toBe(1);
      expect(Array.from(await b.snapshot())).toEqual(ref.flat());
      await b.restore(Int8Array.from(ref.flat()), 2 ** 32 - 1);
      await checkMeasure(b, ref, lattice, 2 ** 32 - 1, 3, 3);
      expect(b.sweepCount).toBe(2);
      await b.dispose();
    }
  });

  test("setCouplings: new thresholds from the next sweep on, spins kept (int per chain, packed nn of each sign)", async () => {
    const lattice = squareLattice(6, 4);
    const intInit: BackendInit = {
      lattice,
      chains: 2,
      seed: 12,
      kernel: "int",
      colours: 4,
      couplings: intCouplings.slice(0, 2),
      init: "hot",
    };
    const bi = await createCpuBackend(intInit, { threads: 1 });
    const ri = new Reference(intInit);
    await bi.sweep(2);
    ri.sweep(0);
    ri.sweep(1);
    ri.couplings = intCouplings.slice(2, 4);
    bi.setCouplings(ri.couplings);
    await bi.sweep(2);
    ri.sweep(2);
    ri.sweep(3);
    expect(Array.from(await bi.snapshot())).toEqual(ri.flat());
    for (const simd of [false, true]) {
      const init: BackendInit = {
        lattice,
        chains: 40,
        seed: 12,
        kernel: "packed",
        colours: 2,
        couplings: Array(40).fill({ nn: 0.3, plaquette: 0, nnn: 0, field: 0 }),
        init: "hot",
      };
      const b = await createCpuBackend(init, { threads: 1, simd });
      const ref = new Reference(init);
      let n = 0;
      for (const nn of [-0.7, 0, 0.9, -0.2]) {
        ref.couplings = Array(40).fill({ nn, plaquette: 0, nnn: 0, field: 0 });
        b.setCouplings(ref.couplings);
        await b.sweep(2);
        ref.sweep(n++);
        ref.sweep(n++);
        expect(Array.from(await b.snapshot()), `nn = ${nn}, simd ${simd}`).toEqual(ref.flat());
      }
    }
  });

  test("after dispose every call fails plainly; disposing twice is fine", async () => {
    const init: BackendInit = {
      lattice: squareLattice(4, 4),
      chains: 2,
      seed: 1,
      kernel: "int",
      colours: 2,
      couplings: intCouplings.slice(0, 2).map(nnField),
      init: "cold",
    };
    const b = await createCpuBackend(init, { threads: 2 });
    await b.dispose();
    await b.dispose();
    const disposed = /CPU backend was disposed/;
    expect(() => b.setCouplings(init.couplings)).toThrow(disposed);
    await expect(b.sweep(1)).rejects.toThrow(disposed);
    await expect(b.measure(2, 1, false)).rejects.toThrow(disposed);
    await expect(b.snapshot()).rejects.toThrow(disposed);
    await expect(b.restore(new Int8Array(32), 0)).rejects.toThrow(disposed);
  });

  test("the adapter names the CPU, the thread count and the code that runs", async () => {
    const init: BackendInit = {
      lattice: squareLattice(4, 4),
      chains: 1,
      seed: 1,
      kernel: "int",
      colours: 2,
      couplings: intCouplings.slice(0, 1).map(nnField),
      init: "cold",
    };
    const one = await createCpuBackend(init, { threads: 1 });
    expect(one.name).toBe("cpu");
    expect(one.adapter).toMatch(/^\S.* \(1 thread, JavaScript\)$/);
    const three = await createCpuBackend(init, { threads: 3.7 });
    expect(three.adapter).toMatch(/ \(3 threads, JavaScript\)$/);
    const zero = await createCpuBackend(init, { threads: 0 });
    expect(zero.adapter).toMatch(/ \(1 thread, JavaScript\)$/);
    await three.dispose();
  });
});

describe("when worker threads are used", () => {
  /**
   * Records the jobs each pool run would hand to workers ("sweeps:from-to", "measure:from-to",
   * "split:part/parts") instead of running anything; the pool counts as started after its first run.
   */
  function recordJobs(): string[][] {
    const runs: string[][] = [];
    vi.spyOn(WorkerPool.prototype, "started", "get").mockImplementation(() => runs.length > 0);
    vi.spyOn(WorkerPool.prototype, "run").mockImplementation(async (jobs) => {
      runs.push(
        jobs.map((j) =>
          j.type === "split" || j.type === "model-split"
            ? `split:${j.part}/${j.parts}`
            : `${j.type}:${j.from}-${j.to}`,
        ),
      );
    });
    return runs;
  }
  const lattice = squareLattice(8, 8);
  const init = (chains: number, kernel: "int" | "packed" = "int", L = lattice): BackendInit => ({
    lattice: L,
    chains,
    seed: 4,
    kernel,
    colours: 2,
    couplings: Array(chains).fill({ nn: 0.4, plaquette: 0, nnn: 0, field: 0 }),
    init: "cold",
  });

  // backend.ts's cost model: 15 ns per int chain-site update, 60 per packed 32-chain word of
  // the JavaScript kernel, 18 per word of the SIMD kernel.
  test("from parallelThresholdNs of estimated work on (cost × sites × units × sweeps)", async () => {
    const runs = recordJobs();
    for (const [kernel, chains, simd, cost, want] of [
      ["int", 4, false, 15 * 4, "sweeps:2-4"],
      ["packed", 64, false, 60 * 2, "sweeps:1-2"],
      ["packed", 160, true, 18 * 5, "sweeps:4-5"], // 5 groups: threads split at a whole vector group
    ] as const) {
      const perSweep = cost * 64;
      const b = await createCpuBackend(init(chains, kernel), {
        threads: 2,
        simd,
        parallelThresholdNs: 3 * perSweep,
        workerStartThresholdNs: 0,
      });
      await b.sweep(2);
      await b.measure(2, 1, false);
      expect(runs, kernel).toEqual([]);
      await b.sweep(3);
      expect(runs, kernel).toEqual([[want]]);
      await b.measure(3, 1, false);
      expect(runs[1], kernel).toEqual([want.replace("sweeps", "measure")]);
      expect(b.sweepCount).toBe(10);
      runs.length = 0;
    }
  });

  test("workers start from workerStartThresholdNs of work, then serve smaller calls", async () => {
    const runs = recordJobs();
    const perSweep = 15 * 64 * 4;
    const b = await createCpuBackend(init(4), {
      threads: 2,
      parallelThresholdNs: 1,
      workerStartThresholdNs: 4 * perSweep,
    });
    await b.sweep(3);
    expect(runs).toEqual([]);
    await b.sweep(4);
    expect(runs).toEqual([["sweeps:2-4"]]);
    await b.sweep(1);
    expect(runs.length).toBe(2);
    runs.length = 0;
    // The default start threshold is 0.1 s of work, or 0 with parallelThresholdNs 0.
    const d = await createCpuBackend(init(4), { threads: 2, parallelThresholdNs: 1 });
    await d.measure(Math.floor(1e8 / perSweep) - 1, 1e9, false);
    expect(runs).toEqual([]);
    await d.measure(Math.ceil(1e8 / perSweep), 1e9, false);
    expect(runs).toEqual([["measure:2-4"]]);
    const z = await createCpuBackend(init(4), { threads: 2, parallelThresholdNs: 0 });
    await z.sweep(1);
    expect(runs.length).toBe(2);
  });

  test("the default threshold is 0.2 ms of work", async () => {
    const runs = recordJobs();
    const perSweep = 15 * 64 * 4;
    const b = await createCpuBackend(init(4), { threads: 2, workerStartThresholdNs: 0 });
    await b.sweep(Math.ceil(2e5 / perSweep) - 1);
    expect(runs).toEqual([]);
    await b.sweep(Math.ceil(2e5 / perSweep));
    expect(runs.length).toBe(1);
  });

  test("units when there are enough, sites of large colour classes, else as many units as there are", async () => {
    const runs = recordJobs();
    const forced = { parallelThresholdNs: 0 };
    // 8×8 has 32 sites per colour class: sites are split from siteSplitMinSites ≤ 32 on.
    for (const [chains, threads, minSites, want] of [
      [3, 3, 0, ["sweeps:1-2", "sweeps:2-3"]],
      [5, 3, 0, ["sweeps:1-3", "sweeps:3-5"]],
      [2, 3, 32, ["split:1/3", "split:2/3"]],
      [2, 3, 33, ["sweeps:1-2"]],
      [1, 2, 33, null],
      [1, 1, 0, null],
    ] as const) {
      const b = await createCpuBackend(init(chains), { threads, siteSplitMinSites: minSites, ...forced });
      await b.sweep(1);
      expect(runs.pop() ?? null, `${chains} chains, ${threads} threads, min sites ${minSites}`).toEqual(want);
      expect(runs).toEqual([]);
      await b.measure(2, 1, false);
      // A measurement run: one pool run over units, or a site-split run per sample.
      const measured = want?.[0].startsWith("split")
        ? [want, want]
        : want
          ? [want.map((j) => j.replace("sweeps", "measure"))]
          : [];
      expect(runs.splice(0)).toEqual(measured);
    }
    // The default minimum is 8192 sites per colour class: 128×128 splits, 128×126 does not.
    for (const [Ly, want] of [
      [128, ["split:1/2"]],
      [126, null],
    ] as const) {
      const b = await createCpuBackend(init(1, "int", squareLattice(128, Ly)), { threads: 2, ...forced });
      await b.sweep(1);
      expect(runs.pop() ?? null, `128×${Ly}`).toEqual(want);
    }
  });
});
