// Energy per site of the 16×16 Ising model from both CPU kernels against the exact finite-torus
// value of Kaufman / Ferdinand–Fisher, within 4 standard errors (autocorrelation-aware errors
// pooled over independent chains). Cold starts: above β_c a hot start can freeze into stripes.
import { estimateChains, kaufman, squareLattice } from "@physml/lattice-core";
import { createSampler } from "@physml/mcmc-gpu";
import { describe, expect, test } from "vitest";

const L = 16;

describe("energy per site vs Kaufman at L = 16", () => {
  for (const kernel of ["int", "packed"] as const) {
    for (const beta of [0.3, 0.44, 0.6]) {
      test(`${kernel} kernel, β = ${beta}`, async () => {
        const s = await createSampler({
          lattice: squareLattice(L),
          couplings: { nn: beta },
          chains: 32,
          seed: 1000 + Math.round(beta * 100),
          backend: "cpu",
          kernel,
          init: "cold",
        });
        expect(s.kernel).toBe(kernel);
        await s.sweep(300);
        const m = await s.measure({ sweeps: 2000, every: 2 });
        await s.dispose();
        const est = estimateChains(Array.from({ length: m.chains }, (_, c) => m.nnEnergyPerSite(c)));
        const exact = kaufman(L, L, beta).energyPerSite;
        expect(est.error).toBeGreaterThan(0);
        expect(est.error).toBeLessThan(0.01); // the run is long enough to mean something
        expect(Math.abs(est.mean - exact)).toBeLessThan(4 * est.error);
      });
    }
  }
});
