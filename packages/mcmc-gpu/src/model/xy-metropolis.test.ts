// The XY rule (uniform-angle rotations) against independent truths: the exact finite XY ring,
// the exact single-spin (von Mises) distribution in a field, and the rotation's symmetry.
import { defineModel, estimateChains, type ModelInput, xyChainExact } from "@physml/lattice-core";
import { describe, expect, test } from "vitest";
import { XyMetropolis, xyRotation } from "./rules/xy-metropolis.js";
import { createModelSampler } from "./sampler.js";

const ring = (L: number, K: number): ModelInput => ({
  spin: "xy",
  lattice: { chain: L },
  terms: [{ name: "nn", coupling: K, sites: [[0], [1]] }],
});

describe("XY Metropolis rule (uniform-angle rotations)", () => {
  test("rotation: cos/sin to 1e-10, computed rotation by −δ is exactly the transpose", () => {
    const a = new Float64Array(2);
    const b = new Float64Array(2);
    for (let k = 0; k <= 1000; k++) {
      const d = -Math.PI + (2 * Math.PI * k) / 1000;
      xyRotation(d, a);
      xyRotation(-d, b);
      expect(Math.abs(a[0] - Math.cos(d))).toBeLessThan(1e-10);
      expect(Math.abs(a[1] - Math.sin(d))).toBeLessThan(1e-10);
      expect(b[0]).toBe(a[0]);
      expect(b[1]).toBe(-a[1]);
    }
  });

  test("is the rule the CPU sampler runs for XY models", async () => {
    const s = await createModelSampler({ model: ring(8, 1), chains: 1, seed: 1 });
    expect(s.rules).toEqual(["xy-metropolis", "on-overrelaxation"]);
    const h = await createModelSampler({ model: { ...ring(8, 1), spin: "heisenberg" }, chains: 1, seed: 1 });
    expect(h.rules[0]).toBe("on-metropolis");
  });

  for (const [L, K, overrelaxation] of [
    [12, 0.25, 1],
    [12, 1, 0],
    [10, 3, 1],
  ] as const) {
    test(`ring L = ${L}, K = ${K}${overrelaxation ? "" : ", Metropolis only"}: energy vs the exact finite ring (4σ)`, async () => {
      const s = await createModelSampler({
        model: ring(L, K),
        chains: 8,
        seed: 11,
        init: "hot",
        overrelaxation,
      });
      await s.sweep(300);
      const m = await s.measure({ sweeps: 3000 });
      const e = estimateChains(Array.from({ length: m.chains }, (_, c) => m.reducedEnergyPerSite(c)));
      expect(e.error).toBeGreaterThan(0);
      expect(Math.abs(e.mean - xyChainExact(K, L).reducedEnergyPerSite)).toBeLessThan(4 * e.error);
      // Unit vectors to rounding after thousands of accepted rotations.
      const sp = (await s.snapshot()) as Float64Array;
      for (let i = 0; i < sp.length; i += 2)
        expect(Math.abs(sp[i] ** 2 + sp[i + 1] ** 2 - 1)).toBeLessThan(1e-14);
    });
  }

  test("detailed balance: one spin in a field h follows exp(h cos θ) exactly (χ², with a power check)", async () => {
    // Spins in a field only do not interact: every spin of every chain is an independent sample
    // of the von Mises density exp(h cos θ)/(2π I₀(h)), which the chain reaches only if the rule
    // keeps detailed balance (its width adapts during `sweep`, then is frozen for `measure`).
    const h = 1.3;
    const chains = 1000;
    const L = 16;
    const model = defineModel({
      spin: "xy",
      lattice: { chain: L },
      terms: [{ name: "h", coupling: h, sites: [[0]] }],
    });
    const s = await createModelSampler({ model, chains, seed: 5, init: "hot", overrelaxation: 0 });
    await s.sweep(20);
    await s.measure({ sweeps: 20 });
    const sp = (await s.snapshot()) as Float64Array;
    const B = 24;
    const counts = new Float64Array(B);
    for (let i = 0; i < sp.length; i += 2) {
      const th = Math.atan2(sp[i + 1], sp[i]);
      counts[Math.min(B - 1, Math.floor(((th + Math.PI) / (2 * Math.PI)) * B))]++;
    }
    // Bin probabilities by Simpson's rule (independent of the sampler and of Bessel functions).
    const probs = (hh: number) => {
      const f = (t: number) => Math.exp(hh * Math.cos(t));
      const bin = (a: number, b: number) => {
        const m = 64;
        let acc = f(a) + f(b);
        for (let k = 1; k < m; k++) acc += (k % 2 ? 4 : 2) * f(a + ((b - a) * k) / m);
        return (acc * (b - a)) / (3 * m);
      };
      const p = Array.from({ length: B }, (_, k) =>
        bin(-Math.PI + (2 * Math.PI * k) / B, -Math.PI + (2 * Math.PI * (k + 1)) / B),
      );
      const z = p.reduce((a, b) => a + b, 0);
      return p.map((v) => v / z);
    };
    const n = chains * L;
    const chi2 = (p: number[]) => p.reduce((a, pk, k) => a + (counts[k] - n * pk) ** 2 / (n * pk), 0);
    const df = B - 1;
    const a = 2 / (9 * df);
    const limit = df * (1 - a + 4 * Math.sqrt(a)) ** 3; // Wilson–Hilferty, ≈ 4σ
    expect(chi2(probs(h))).toBeLessThan(limit);
    // Power: a field 10% off is rejected by the same test.
    expect(chi2(probs(1.1 * h))).toBeGreaterThan(limit);
  });

  test("rejects non-XY spins, naming the field", () => {
    const m = defineModel({ ...ring(8, 1), spin: "heisenberg" });
    expect(() => new XyMetropolis(m, 1)).toThrow(/^model\.spin:/);
  });
});
