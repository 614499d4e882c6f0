// The threaded CPU backend of the model samplers against one thread, bit for bit: the chains
// split across threads and the sites of every colour class split across threads, for XY,
// Heisenberg with a field and an Ising 3-spin chain (adaptation and setCouplings included).
import { type ModelInput, nearestNeighbourShapes } from "@physml/lattice-core";
import { describe, expect, test } from "vitest";
import { createModelSampler } from "./sampler.js";

describe("CPU worker threads: same seed, same numbers for any number of threads", () => {
  const models: [string, ModelInput][] = [
    [
      "xy 16×16",
      {
        spin: "xy",
        lattice: { square: [16, 16] },
        terms: [{ name: "nn", coupling: 1.1, shapes: nearestNeighbourShapes(2) }],
      },
    ],
    [
      "heisenberg 6×6 + field",
      {
        spin: "heisenberg",
        lattice: { square: [6, 6] },
        terms: [
          { name: "nn", coupling: 0.7, shapes: nearestNeighbourShapes(2) },
          { name: "h", coupling: 0.2, sites: [[0, 0]], axis: 2 },
        ],
      },
    ],
    [
      "ising 3-spin chain",
      {
        spin: "ising",
        lattice: { chain: 40 },
        terms: [
          { name: "s3", coupling: 0.4, sites: [[0], [1], [2]] },
          { name: "nn", coupling: 0.2, sites: [[0], [1]] },
        ],
      },
    ],
  ];
  for (const [name, model] of models) {
    test(`${name}: split by chains and by sites ≡ one thread (spins and widths)`, async () => {
      const run = async (chains: number, workers: number) => {
        const s = await createModelSampler({
          model,
          chains,
          seed: 2 ** 40 + 3,
          init: "hot",
          workers,
          cpu: { parallelThresholdNs: 0, siteSplitMinSites: 0 },
        });
        await s.sweep(7);
        const m = await s.measure({ sweeps: 4, every: 2 });
        s.setCouplings(model.terms.map((t) => 0.9 * t.coupling));
        await s.sweep(5);
        const out = {
          spins: await s.snapshot(),
          widths: s.onRule ? s.onRule.widths.slice() : null,
          accepted: s.onRule ? s.onRule.accepted.slice() : null,
          energy: m.reducedEnergyPerSite(0),
          adapter: s.adapter,
        };
        await s.dispose();
        return out;
      };
      for (const chains of [3, 1]) {
        const one = await run(chains, 1);
        const two = await run(chains, 2);
        expect(two.adapter).toMatch(/2 threads/);
        expect(two.spins).toEqual(one.spins);
        expect(two.widths).toEqual(one.widths);
        expect(two.accepted).toEqual(one.accepted);
        expect(two.energy).toEqual(one.energy);
      }
    });
  }
});
