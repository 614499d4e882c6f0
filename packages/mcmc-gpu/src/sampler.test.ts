import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PhysmlInputError, readNpy, squareLattice, termSums } from "@physml/lattice-core";
import { describe, expect, test } from "vitest";
import { createSampler } from "./create-sampler.js";
import type { SamplerOptions } from "./options.js";

const base = (): SamplerOptions => ({
  lattice: squareLattice(8),
  couplings: { nn: 0.4 },
  chains: 4,
  seed: 1,
  backend: "cpu",
  workers: 1,
});

describe("createSampler validation", () => {
  const bad: [string, Partial<SamplerOptions> | (() => SamplerOptions), string][] = [
    ["odd L", { lattice: squareLattice(5, 4) }, "lattice.Lx"],
    ["odd Ly", { lattice: squareLattice(4, 3) }, "lattice.Ly"],
    ["not a lattice", { lattice: {} as never }, "lattice"],
    ["zero chains", { chains: 0 }, "chains"],
    ["fractional chains", { chains: 2.5 }, "chains"],
    ["negative seed", { seed: -1 }, "seed"],
    ["seed 2^53", { seed: 2 ** 53 }, "seed"],
    ["NaN coupling", { couplings: { nn: Number.NaN } }, "couplings.nn"],
    [
      "infinite coupling in an array",
      { couplings: [{ nn: 1 }, { nn: 1 }, { field: Infinity }, {}] },
      "couplings[2].field",
    ],
    ["wrong couplings length", { couplings: [{ nn: 1 }] }, "couplings.length"],
    ["unknown backend", { backend: "cuda" as never }, "backend"],
    ["unknown kernel", { kernel: "fast" as never }, "kernel"],
    ["packed with plaquette", { kernel: "packed", couplings: { nn: 0.4, plaquette: 0.1 } }, "kernel"],
    [
      "packed with unequal chains",
      { kernel: "packed", couplings: [{ nn: 0.4 }, { nn: 0.4 }, { nn: 0.4 }, { nn: 0.3 }] },
      "kernel",
    ],
    ["2 colours with nnn", { colouring: 2, couplings: { nn: 0.4, nnn: 0.1 } }, "couplings"],
    ["colouring 3", { colouring: 3 as never }, "colouring"],
    ["bad init", { init: "warm" as never }, "init"],
    ["zero workers", { workers: 0 }, "workers"],
    ["tempering every 0", { tempering: { every: 0 } }, "tempering.every"],
    ["tempering with one chain", { tempering: { every: 1 }, chains: 1 }, "chains"],
  ];
  for (const [name, patch, field] of bad) {
    test(`${name} → PhysmlInputError naming ${field}`, async () => {
      const opts = typeof patch === "function" ? patch() : { ...base(), ...patch };
      const err = await createSampler(opts).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PhysmlInputError);
      expect((err as PhysmlInputError).field).toBe(field);
    });
  }

  test("bad calls on a live sampler and use after dispose", async () => {
    const s = await createSampler(base());
    expect(s.kernel).toBe("packed");
    await expect(s.sweep(-1)).rejects.toBeInstanceOf(PhysmlInputError);
    await expect(s.measure({ sweeps: 3, every: 4 })).rejects.toThrow(/every/);
    await expect(s.measure({ sweeps: 0 })).rejects.toThrow(/sweeps/);
    await expect(s.setCouplings({ nn: 0.4, field: 0.1 })).rejects.toBeInstanceOf(PhysmlInputError);
    await expect(s.restore(new Int8Array(3))).rejects.toThrow(/spins/);
    await expect(s.restore(new Int8Array(4 * 64))).rejects.toThrow(/spins\[0\]/);
    await s.dispose();
    await expect(s.sweep(1)).rejects.toThrow(/disposed/);
  });
});

describe("sampler behaviour", () => {
  test("kernel and colouring choice", async () => {
    const pick = async (o: Partial<SamplerOptions>) => {
      const s = await createSampler({ ...base(), ...o });
      await s.dispose();
      return `${s.kernel}/${s.colours}`;
    };
    expect(await pick({})).toBe("packed/2");
    expect(await pick({ couplings: { nn: 0.4, field: 0.1 } })).toBe("int/2");
    expect(await pick({ couplings: { nn: 0.4, plaquette: 0.1 } })).toBe("int/4");
    expect(await pick({ colouring: 4 })).toBe("int/4");
    expect(await pick({ kernel: "int" })).toBe("int/2");
  });

  test("same seed → same chains; another seed → other chains", async () => {
    const run = async (seed: number) => {
      const s = await createSampler({ ...base(), seed, init: "hot", kernel: "int" });
      await s.sweep(3);
      const snap = await s.snapshot();
      await s.dispose();
      return Array.from(snap);
    };
    const a = await run(3);
    expect(await run(3)).toEqual(a);
    expect(await run(4)).not.toEqual(a);
  });

  for (const kernel of ["int", "packed"] as const) {
    test(`setCouplings keeps spins; equals restore into a fresh sampler (${kernel})`, async () => {
      const a = await createSampler({ ...base(), kernel, couplings: { nn: 0.2 } });
      await a.sweep(5);
      const mid = await a.snapshot();
      await a.setCouplings({ nn: 0.6 });
      expect(Array.from(await a.snapshot())).toEqual(Array.from(mid));
      await a.sweep(5);
      const b = await createSampler({ ...base(), kernel, couplings: { nn: 0.6 } });
      await b.restore(mid, 5);
      await b.sweep(5);
      expect(Array.from(await b.snapshot())).toEqual(Array.from(await a.snapshot()));
      expect(a.sweepCount).toBe(10);
      await a.dispose();
      await b.dispose();
    });
  }

  test("measurement helpers", async () => {
    const s = await createSampler({ ...base(), couplings: { nn: 0.3, field: 0.2 } });
    const m = await s.measure({ sweeps: 6, every: 2, configurations: true });
    expect(m.samples).toBe(3);
    const conf = m.configuration(1, 2);
    const t = termSums(s.lattice, conf);
    expect(m.reducedEnergyPerSite(1)[2]).toBeCloseTo(-(0.3 * t[0] + 0.2 * t[3]) / 64, 12);
    expect(m.absMagnetizationPerSite(1)[2]).toBe(Math.abs(t[3]) / 64);
    expect(m.nnEnergyPerSite(1)[2]).toBe(-t[0] / 64);
    expect(() => m.term(0, 4)).toThrow(PhysmlInputError);
    await s.dispose();
  });

  test("snapshot written as .npy reads back", async () => {
    const s = await createSampler({ ...base(), init: "hot" });
    const dir = await mkdtemp(join(tmpdir(), "mcmc-npy-"));
    try {
      const path = join(dir, "snap.npy");
      await s.writeSnapshotNpy(path);
      const back = await readNpy(path);
      expect(back.shape).toEqual([4, 8, 8]);
      expect(Array.from(back.data as Int8Array)).toEqual(Array.from(await s.snapshot()));
    } finally {
      await rm(dir, { recursive: true, force: true });
      await s.dispose();
    }
  });

  test("tempering files measurements under slots and keeps them consistent", async () => {
    const couplings = [0.2, 0.3, 0.4, 0.5].map((nn) => ({ nn }));
    const s = await createSampler({ ...base(), couplings, tempering: { every: 1 } });
    expect(s.kernel).toBe("int");
    const m = await s.measure({ sweeps: 40, every: 4, configurations: true });
    for (let slot = 0; slot < 4; slot++) {
      for (let t = 0; t < m.samples; t++) {
        const terms = termSums(s.lattice, m.configuration(slot, t));
        expect(
          Array.from(m.terms.subarray((slot * m.samples + t) * 4, (slot * m.samples + t) * 4 + 4)),
        ).toEqual(Array.from(terms));
      }
    }
    const stats = s.exchangeStats;
    expect(stats?.events).toBe(40);
    expect(stats?.proposed.reduce((a, b) => a + b, 0)).toBe(60); // 2 pairs on even events, 1 on odd
    expect(stats?.accepted.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    // The snapshot follows the slots too: its term sums are those a measurement would report.
    const snap = await s.snapshot();
    const again = await createSampler({ ...base(), couplings, tempering: { every: 1 } });
    await again.restore(snap, s.sweepCount);
    expect(Array.from(await again.snapshot())).toEqual(Array.from(snap));
    await s.dispose();
    await again.dispose();
  });
});
