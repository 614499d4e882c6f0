// The replica-packed rule for any Ising description against independent truths: exact
// enumeration, the transfer matrix, an exact state histogram, the square packed kernel (same
// stream, bit for bit) and per-class Bernoulli masks; plus its memory and kernel selection.
import {
  defineModel,
  enumerateModel,
  type Model,
  type ModelInput,
  nearestNeighbourShapes,
  squareLattice,
  standardSquareModel,
  transferMatrixChain,
} from "@physml/lattice-core";
import { seededUint32, TRIANGLE_SITES, triangleModel } from "@physml/lattice-core/testing";
import { describe, expect, test } from "vitest";
import { expectBoltzmannHistogram, pooled, within4 } from "../../../test/exact-checks.js";
import { createSampler } from "../../create-sampler.js";
import { packedAcceptMask } from "../../rng/packed-hash.js";
import { acceptClasses } from "../packed/accept.js";
import { PackedCpuBackend } from "../packed/backend.js";
import { packedCircuit } from "../packed/circuit.js";
import { createModelSampler } from "../sampler.js";
import { IsingPacked } from "./ising-packed.js";

const NN2 = nearestNeighbourShapes(2);
const PLAQUETTE = [
  [0, 0],
  [1, 0],
  [1, 1],
  [0, 1],
];
const NNN = [
  [
    [0, 0],
    [1, 1],
  ],
  [
    [0, 0],
    [1, -1],
  ],
];

async function vsExact(model: Model, exact: { reducedEnergyPerSite: number; termMeans: ArrayLike<number> }) {
  const s = await createModelSampler({ model, chains: 64, seed: 21, init: "hot", kernel: "packed" });
  expect(s.rules).toEqual(["ising-packed"]);
  await s.sweep(200);
  const m = await s.measure({ sweeps: 1500 });
  within4(
    pooled(m, (x, c) => x.reducedEnergyPerSite(c)),
    exact.reducedEnergyPerSite,
  );
  model.terms.forEach((_, t) => {
    within4(
      pooled(m, (x, c) => x.term(t, c)),
      exact.termMeans[t],
    );
  });
  await s.dispose();
}

describe("replica-packed rule for Ising descriptions (CPU)", () => {
  test("standard square nn model: the square packed kernel bit for bit (same stream), J > 0 and J < 0", async () => {
    for (const nn of [0.35, -0.5]) {
      const c = { nn, plaquette: 0, nnn: 0, field: 0 };
      // 40 chains: one full group and a partial one.
      const opts = { chains: 40, seed: 2 ** 34 + 3, init: "hot" as const };
      const a = await createSampler({
        ...opts,
        lattice: squareLattice(8, 6),
        couplings: c,
        backend: "cpu",
        kernel: "packed",
        workers: 1,
      });
      const b = await createModelSampler({ ...opts, model: standardSquareModel(8, 6, c) });
      expect(b.rules).toEqual(["ising-packed"]);
      await a.sweep(30);
      await b.sweep(30);
      expect(await b.snapshot()).toEqual(await a.snapshot());
      await a.dispose();
    }
  });

  test("acceptClasses: each lane decides against its own class's threshold (vs the 1-class mask)", () => {
    const masks = Int32Array.from([0x000000ff, 0x0000ff00, 0x00ff0000, 0x7f000000 | 0]);
    const th = Uint32Array.from([0x80000000, 0x12345678, 0xfffffff0, 0x00000fff]);
    const word = seededUint32(7);
    for (let block = 0; block < 200; block++) {
      const [r0, r1, r2] = [word(), word(), word()];
      const jj = block & 3;
      const acc = acceptClasses(r0, r1, r2, jj, masks, th, 4);
      for (let q = 0; q < 4; q++)
        expect(acc & masks[q]).toBe(packedAcceptMask(r0, r1, r2, jj, masks[q], 0, th[q], 0));
    }
  });

  test("4×4 nn + nnn + plaquette + field: energy and every term sum vs enumeration (4σ)", async () => {
    const model = defineModel({
      spin: "ising",
      lattice: { square: [4, 4] },
      terms: [
        { name: "nn", coupling: 0.3, shapes: NN2 },
        { name: "nnn", coupling: -0.12, shapes: NNN },
        { name: "plaq", coupling: 0.2, sites: PLAQUETTE },
        { name: "h", coupling: 0.08, sites: [[0, 0]] },
      ],
    });
    // 4 Bernoulli classes or more at some sites: the general bit-serial path runs.
    expect(packedCircuit(model).thresholds.length).toBeGreaterThan(2);
    await vsExact(model, enumerateModel(model));
  });

  test("4×4 3-spin triangle + field: energy and term sums vs enumeration (4σ)", async () => {
    const model = defineModel({
      spin: "ising",
      lattice: { square: [4, 4] },
      terms: [
        { name: "tri", coupling: 0.4, sites: TRIANGLE_SITES },
        { name: "h", coupling: 0.15, sites: [[0, 0]] },
      ],
    });
    await vsExact(model, enumerateModel(model));
  });

  test("twisted 4×4 torus with nn + plaquette: term sums vs enumeration (4σ)", async () => {
    const model = defineModel({
      spin: "ising",
      lattice: { square: [4, 4], twist: [true, false] },
      terms: [
        { name: "nn", coupling: 0.45, shapes: NN2 },
        { name: "plaq", coupling: 0.2, sites: PLAQUETTE },
      ],
    });
    await vsExact(model, enumerateModel(model));
  });

  test("1D chains with 3-, 5- and 8-spin terms + nn: vs the transfer matrix (4σ)", async () => {
    for (const n of [3, 5, 8]) {
      const input: ModelInput = {
        spin: "ising",
        lattice: { chain: 24 },
        terms: [
          // (At 0.5 the 8-spin chain decorrelates slowly, τ_int ≈ 100 sweeps: a slow test.)
          { name: `s${n}`, coupling: 0.3, sites: Array.from({ length: n }, (_, k) => [k]) },
          { name: "nn", coupling: 0.2, sites: [[0], [1]] },
          { name: "h", coupling: -0.1, sites: [[0]] },
        ],
      };
      const model = defineModel(input);
      await vsExact(model, transferMatrixChain(model));
    }
  });

  test("3×3 with a 3-spin term: χ² of the state histogram of independent chains", async () => {
    const model = defineModel(triangleModel([3, 3], { tri: 0.35, nn: -0.15, h: 0.1 }));
    const chains = 6000;
    const s = await createModelSampler({ model, chains, seed: 78, init: "hot", kernel: "packed" });
    await s.sweep(40);
    const spins = (await s.snapshot()) as Int8Array;
    expectBoltzmannHistogram(model, spins, chains);
  });

  test("the compiled circuit equals the interpreted one bit for bit (twisted, 8-spin chain, 4 terms)", async () => {
    const inputs: ModelInput[] = [
      {
        spin: "ising",
        lattice: { square: [6, 4], twist: [true, false] },
        terms: [
          { name: "nn", coupling: 0.4, shapes: NN2 },
          { name: "plaq", coupling: -0.3, sites: PLAQUETTE },
        ],
      },
      {
        spin: "ising",
        lattice: { chain: 32 },
        terms: [
          { name: "s8", coupling: 0.3, sites: Array.from({ length: 8 }, (_, k) => [k]) },
          { name: "h", coupling: 0.2, sites: [[0]] },
        ],
      },
      {
        spin: "ising",
        lattice: { square: [4, 6] },
        terms: [
          { name: "nn", coupling: 0.3, shapes: NN2 },
          { name: "nnn", coupling: -0.12, shapes: NNN },
          { name: "plaq", coupling: 0.2, sites: PLAQUETTE },
          { name: "h", coupling: 0.08, sites: [[0, 0]] },
        ],
      },
    ];
    for (const input of inputs) {
      const model = defineModel(input);
      const run = async (compile: boolean) => {
        const be = new PackedCpuBackend(model, 40, 3, "hot", [5, 6], new IsingPacked(model, compile));
        await be.sweep(0, 25);
        return be.state.words;
      };
      expect(await run(true)).toEqual(await run(false));
    }
  });

  test("memory: the spins are 1 bit per spin per chain (u32 words, 32 chains each)", () => {
    const model = defineModel({
      spin: "ising",
      lattice: { square: [16, 12] },
      terms: [
        { name: "nn", coupling: 0.3, shapes: NN2 },
        { name: "plaq", coupling: 0.1, sites: PLAQUETTE },
      ],
    });
    const chains = 96;
    const be = new PackedCpuBackend(model, chains, 1, "hot", [1, 0], new IsingPacked(model));
    expect(be.state.words.byteLength * 8).toBe(chains * 16 * 12);
  });

  test("kernel selection: auto picks packed from 32 chains; packed refused where it cannot run", async () => {
    const model = standardSquareModel(4, 4, { nn: 0.3, plaquette: 0.1, nnn: 0, field: 0 });
    const rulesOf = async (chains: number, kernel?: "auto" | "int" | "packed") => {
      const s = await createModelSampler({ model, chains, seed: 1, ...(kernel ? { kernel } : {}) });
      await s.dispose();
      return s.rules;
    };
    expect(await rulesOf(32)).toEqual(["ising-packed"]);
    expect(await rulesOf(31)).toEqual(["ising-metropolis"]);
    expect(await rulesOf(64, "int")).toEqual(["ising-metropolis"]);
    expect(await rulesOf(2, "packed")).toEqual(["ising-packed"]);
    const xy = {
      spin: "xy" as const,
      lattice: { chain: 8 },
      terms: [{ name: "nn", coupling: 1, sites: [[0], [1]] }],
    };
    await expect(createModelSampler({ model: xy, chains: 32, seed: 1, kernel: "packed" })).rejects.toThrow(
      /^kernel:/,
    );
    // A 3-site chain with a 3-spin term visits... nothing twice, but a 4-spin term on 3 sites does.
    const tiny = {
      spin: "ising" as const,
      lattice: { chain: 3 },
      terms: [{ name: "s4", coupling: 1, sites: [[0], [1], [2], [3]] }],
    };
    await expect(createModelSampler({ model: tiny, chains: 32, seed: 1, kernel: "packed" })).rejects.toThrow(
      /model.lattice|kernel/,
    );
    await expect(createModelSampler({ model, chains: 32, seed: 1, kernel: "fast" as "int" })).rejects.toThrow(
      /^kernel:/,
    );
  });

  test("setCouplings re-derives the circuit: a field switched off and on keeps matching enumeration", async () => {
    const model = defineModel({
      spin: "ising",
      lattice: { square: [4, 4] },
      terms: [
        { name: "nn", coupling: 0.3, shapes: NN2 },
        { name: "h", coupling: 0, sites: [[0, 0]] },
      ],
    });
    const s = await createModelSampler({ model, chains: 64, seed: 4, init: "hot", kernel: "packed" });
    s.setCouplings([0.25, 0.2]);
    const exact = enumerateModel(s.model);
    await s.sweep(200);
    const m = await s.measure({ sweeps: 1500 });
    for (let t = 0; t < 2; t++)
      within4(
        pooled(m, (x, c) => x.term(t, c)),
        exact.termMeans[t],
      );
  });
});
