// The memory estimate against the arrays it counts: allocate each one at the configured sizes
// (a small lattice, so this is cheap) and compare byte lengths with the estimate's terms.
import { formatBytes, squareLattice } from "@physml/lattice-core";
import { estimateMemory } from "@physml/mcmc-gpu";
import { expect, test } from "vitest";
import { type DualityConfig, resolveConfig } from "../config.js";
import { linkVariablesBatch } from "../model/features.js";
import { cacheSlotImages, slotMomentPlan } from "../model/moment-plan.js";
import { momentLayout } from "../model/moments.js";
import { resolveShapes } from "../model/shapes.js";
import { candidateSlots, windowTable } from "../model/window.js";
import { checkDualityMemory, estimateDualityMemory } from "./memory-estimate.js";

const configFor = (window: 1 | 2, shapes: "standard" | "extended", memory: number): DualityConfig =>
  resolveConfig({
    beta: 0.3,
    L: 6,
    Ly: 8,
    shapes,
    observable: { window },
    // 7 sweeps measured every 2: ⌊7/2⌋ = 3 samples per chain and step
    candidate: { chains: 16, sweepsPerStep: 7, every: 2 },
    optimizer: { memory },
  });

test.each([
  [1, "standard"],
  [2, "extended"],
] as const)(
  "window %i, %s shapes: sampler, step and sample memory are the arrays' byte lengths",
  (window, shapes) => {
    const c = configFor(window, shapes, 1);
    const lat = squareLattice(6, 8);
    const N = lat.nSites;
    const perChain = 3;
    const S = 16 * perChain;
    const e1 = estimateDualityMemory(c);
    const e3 = estimateDualityMemory(configFor(window, shapes, 3));

    // The chains' spins and their per-step configurations, one byte per spin.
    expect(e1.parts.spins).toBe(new Int8Array(16 * N).byteLength);
    expect(e1.parts.configurations).toBe(new Int8Array(S * N).byteLength);

    // One kept step: its link variables as ±1 bytes, the sums of every image the slots read, its
    // term sums [S][4].
    const slots = candidateSlots(window);
    const K = slots.length;
    const win = windowTable(lat, slots);
    const layout = momentLayout(lat, resolveShapes(shapes));
    const x = linkVariablesBatch(lat, new Int8Array(S * N).fill(1), S);
    let moments = 0;
    const images: (Float64Array | null)[] = [];
    const plan = slotMomentPlan(lat, layout, slots, win);
    for (let k = 0; k < K; k++) cacheSlotImages(plan, x, S, k, images);
    for (const sums of images) moments += (sums as Float64Array).byteLength;
    const kept = new Int8Array(S * 2 * N).byteLength + moments + new Float64Array(S * 4).byteLength;
    expect(e3.total - e1.total).toBe(2 * kept);
    expect(e3.parts.measurements - e1.parts.measurements).toBe(2 * kept);

    // On two threads the worker keeps its own copy of the memory (the exact mode only).
    expect(estimateDualityMemory(c, 2).total - e1.total).toBe(kept);
    const gumbel = resolveConfig({ ...c, observable: { ...c.observable, mode: "gumbel" } });
    expect(estimateDualityMemory(gumbel, 2).total).toBe(estimateDualityMemory(gumbel, 1).total);

    // The rest: the sampler's own estimate plus one step's link variables as Float64.
    const sampler = estimateMemory({
      sites: N,
      chains: 16,
      kernel: "int",
      samples: perChain,
      configurations: true,
    });
    expect(e1.total).toBe(sampler.total + x.byteLength + kept);
    expect(e1.parts.measurements).toBe(sampler.parts.measurements + x.byteLength + kept);
    expect(e1.parts.lattice).toBe(sampler.parts.lattice);
  },
);

test("a refused run names the two parts of its estimate", () => {
  const c = resolveConfig({ beta: 0.3, L: 64, candidate: { chains: 256 }, maxMemory: "1M" });
  const e = estimateDualityMemory(c);
  expect(() => checkDualityMemory(c)).toThrow(
    `spins and configurations ${formatBytes(e.parts.spins + e.parts.configurations)}, ` +
      `link variables and sample memory ${formatBytes(e.parts.measurements)}`,
  );
});
