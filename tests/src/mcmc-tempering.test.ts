// Replica exchange keeps every slot at its own Boltzmann distribution: on 4×4, the histogram
// of term-sum vectors recorded per slot matches exact enumeration at that slot's couplings.
import { estimateChains, couplings as full, squareLattice } from "@physml/lattice-core";
import { createSampler } from "@physml/mcmc-gpu";
import { describe, expect, test } from "vitest";
import { chiSquare, exactTermDistribution } from "./mcmc-chi2.js";

const lattice = squareLattice(4);

describe("replica exchange on 4×4", () => {
  test("each slot samples its own couplings", async () => {
    // A ladder through the ordering transition, with a plaquette term so the 4-colouring runs.
    const slots = [0.15, 0.25, 0.35, 0.45, 0.55, 0.65].map((nn) => ({ nn, plaquette: 0.05 }));
    const s = await createSampler({
      lattice,
      couplings: slots,
      chains: slots.length,
      seed: 77,
      backend: "cpu",
      tempering: { every: 2 },
    });
    await s.sweep(200);
    const m = await s.measure({ sweeps: 24000, every: 2 });
    const stats = s.exchangeStats;
    await s.dispose();
    // Each pair's exchange rate is the exact equilibrium expectation of min(1, e^{Δβ ΔS_nn}) over
    // two independent replicas (the shared plaquette coupling cancels), within 4σ of a binomial
    // whose sample count is reduced by the slots' autocorrelation.
    const nnDistribution = (c: (typeof slots)[number]) => {
      const out = new Map<number, number>();
      for (const [key, p] of exactTermDistribution(lattice, full(c))) {
        const S = Number(key.split(",")[0]);
        out.set(S, (out.get(S) ?? 0) + p);
      }
      return out;
    };
    for (let p = 0; p < slots.length - 1; p++) {
      const a = nnDistribution(slots[p]);
      const b = nnDistribution(slots[p + 1]);
      const dBeta = slots[p].nn - slots[p + 1].nn;
      let expected = 0;
      for (const [Sa, pa] of a)
        for (const [Sb, pb] of b) expected += pa * pb * Math.min(1, Math.exp(dBeta * (Sb - Sa)));
      const n = stats?.proposed[p] ?? 0;
      const rate = (stats?.accepted[p] ?? 0) / n;
      const tau = Math.max(estimateChains([m.term(0, p)]).tauInt, estimateChains([m.term(0, p + 1)]).tauInt);
      const sigma = Math.sqrt((expected * (1 - expected) * Math.max(1, 2 * tau)) / n);
      expect(
        Math.abs(rate - expected),
        `pair ${p}: rate ${rate} vs exact ${expected} ± ${sigma}`,
      ).toBeLessThan(4 * sigma);
      expect(expected).toBeLessThan(0.95);
    }
    for (let slot = 0; slot < slots.length; slot++) {
      const rows = m.samples;
      const terms = m.terms.subarray(slot * rows * 4, (slot + 1) * rows * 4);
      const tau = Math.max(
        estimateChains([m.term(0, slot)]).tauInt,
        estimateChains([m.term(3, slot)]).tauInt,
        estimateChains([m.term(1, slot)]).tauInt,
      );
      const r = chiSquare(terms, rows, exactTermDistribution(lattice, full(slots[slot])), tau);
      expect(r.df).toBeGreaterThan(3);
      expect(r.chi2).toBeLessThan(r.critical);
      // Power: the neighbouring slot's distribution is rejected.
      const other = slots[slot === 0 ? 1 : slot - 1];
      const off = chiSquare(terms, rows, exactTermDistribution(lattice, full(other)), tau);
      expect(off.chi2).toBeGreaterThan(off.critical);
    }
  });
});
