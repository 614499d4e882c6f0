// Replica exchange over model samplers against independent truths: the transfer matrix and the
// exact XY ring per slot, and the exact mean swap acceptance from brute-force enumeration.
import {
  defineModel,
  estimate,
  estimateChains,
  type ModelInput,
  transferMatrixChain,
  withCouplings,
  xyChainExact,
} from "@physml/lattice-core";
import { describe, expect, test } from "vitest";
import { within4 } from "../../test/exact-checks.js";
import { betaLadder } from "./ladder.js";
import type { ModelMeasurements } from "./measurements.js";
import { createModelTempering } from "./tempering.js";

const pooled = (m: ModelMeasurements) =>
  estimateChains(Array.from({ length: m.chains }, (_, c) => m.reducedEnergyPerSite(c)));

const L = 8;
const isingRing: ModelInput = {
  spin: "ising",
  lattice: { chain: L },
  terms: [{ name: "nn", coupling: 1, sites: [[0], [1]] }],
};
const BETAS = [0.2, 0.5, 0.9, 1.4];

/** P_β(S) of S = Σ s_i s_{i+1} on the L-ring, by enumerating all 2^L states. */
function bondSumDistribution(beta: number): Map<number, number> {
  const weights = new Map<number, number>();
  let z = 0;
  for (let x = 0; x < 1 << L; x++) {
    let S = 0;
    for (let i = 0; i < L; i++) S += ((x >> i) & 1) === ((x >> ((i + 1) % L)) & 1) ? 1 : -1;
    const w = Math.exp(beta * S);
    weights.set(S, (weights.get(S) ?? 0) + w);
    z += w;
  }
  for (const [S, w] of weights) weights.set(S, w / z);
  return weights;
}

describe("replica exchange over model samplers", () => {
  test("Ising ring: every slot's energy vs the transfer matrix, swap acceptance vs enumeration", async () => {
    const pt = await createModelTempering({
      model: isingRing,
      slots: betaLadder(isingRing, BETAS),
      seed: 7,
      init: "hot",
    });
    await pt.thermalize(200);
    const r = await pt.run({ samples: 6000 });
    expect(r.accepted.every((a) => a > 0)).toBe(true);
    const defined = defineModel(isingRing);
    BETAS.forEach((beta, s) => {
      const exact = transferMatrixChain(withCouplings(defined, [beta])).reducedEnergyPerSite;
      within4(pooled(r.slots[s]), exact);
    });
    await pt.dispose();
  });

  test("mean swap acceptance of each pair equals its exact value min(1, e^{Δβ ΔS}) over P_a × P_b", async () => {
    const pt = await createModelTempering({
      model: isingRing,
      slots: betaLadder(isingRing, BETAS),
      seed: 11,
    });
    await pt.thermalize(200);
    const rounds = 4000;
    // Per pair and round: accepted (1) or not (0); a pair is proposed every other round.
    const series = BETAS.slice(1).map(() => [] as number[]);
    for (let t = 0; t < rounds; t++) {
      const r = await pt.run({ samples: 1 });
      r.proposed.forEach((p, s) => {
        if (p > 0) series[s].push(r.accepted[s]);
      });
    }
    const dist = BETAS.map(bondSumDistribution);
    for (let s = 0; s + 1 < BETAS.length; s++) {
      let exact = 0;
      for (const [Sa, pa] of dist[s])
        for (const [Sb, pb] of dist[s + 1])
          exact += pa * pb * Math.min(1, Math.exp((BETAS[s] - BETAS[s + 1]) * (Sb - Sa)));
      const est = estimate(series[s]);
      expect(exact).toBeGreaterThan(0.05);
      expect(exact).toBeLessThan(0.95);
      within4(est, exact);
    }
    await pt.dispose();
  });

  test("XY ring: every slot vs the exact finite ring; same seed, same numbers", async () => {
    const model: ModelInput = {
      spin: "xy",
      lattice: { chain: 16 },
      terms: [{ name: "nn", coupling: 1, sites: [[0], [1]] }],
    };
    const betas = [0.4, 0.9, 1.5];
    const runOnce = async () => {
      const pt = await createModelTempering({
        model,
        slots: betaLadder(model, betas),
        chains: 2,
        seed: 3,
        init: "hot",
      });
      await pt.thermalize(300);
      const r = await pt.run({ samples: 3000 });
      await pt.dispose();
      return r;
    };
    const r = await runOnce();
    for (const [s, b] of betas.entries())
      within4(pooled(r.slots[s]), xyChainExact(b, 16).reducedEnergyPerSite);
    expect(r.accepted.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    const again = await runOnce();
    expect(again.slots[2].rows).toEqual(r.slots[2].rows);
    expect(again.accepted).toEqual(r.accepted);
  });

  test("bad ladders are refused naming the field", async () => {
    const m = defineModel({
      spin: "ising",
      lattice: { chain: 6 },
      terms: [
        { name: "nn", coupling: 1, sites: [[0], [1]] },
        { name: "h", coupling: 0, sites: [[0]] },
      ],
    });
    await expect(createModelTempering({ model: m, slots: [[1, 0]], seed: 1 })).rejects.toThrow(/slots/);
    await expect(createModelTempering({ model: m, slots: [[1, 0], [2]], seed: 1 })).rejects.toThrow(
      /slots\[1\]/,
    );
    await expect(
      createModelTempering({
        model: m,
        slots: [
          [1, 0],
          [2, 0.1],
        ],
        seed: 1,
      }),
    ).rejects.toThrow(/slots\[1\]\[1\].*0 \(the term is off/);
  });
});
