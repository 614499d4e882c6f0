import { describe, expect, it } from "vitest";
import {
  heisenbergAdvance,
  heisenbergEnergy,
  heisenbergStepConverges,
  type SpinField,
  spinNormError,
  spinWave,
} from "./heisenberg.js";
import { heisenbergDefaultStep, heisenbergTrajectories } from "./heisenberg-samples.js";
import { KdvEtdrk4, kdvInvariants, kdvSoliton } from "./kdv.js";
import { sineGordonAdvance, sineGordonBreather, sineGordonEnergy } from "./sine-gordon.js";
import { PeriodicGrid } from "./spectral.js";

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe("spectral derivatives", () => {
  it("differentiate sin(3·2πx/ℓ) exactly to rounding", () => {
    const g = new PeriodicGrid(64, 5);
    const w = (3 * 2 * Math.PI) / 5;
    const u = g.points().map((x) => Math.sin(w * x));
    expect(
      maxDiff(
        g.derivative(u, 1),
        g.points().map((x) => w * Math.cos(w * x)),
      ),
    ).toBeLessThan(1e-11);
    expect(
      maxDiff(
        g.derivative(u, 3),
        g.points().map((x) => -(w ** 3) * Math.cos(w * x)),
      ),
    ).toBeLessThan(1e-9);
  });
});

describe("KdV by ETDRK4", () => {
  const g = new PeriodicGrid(256, 40);
  const c = 2;
  const T = 2;
  const run = (h: number) => {
    const phi = kdvSoliton(g, c, 10, 0);
    new KdvEtdrk4(g, h).advance(phi, Math.round(T / h));
    return phi;
  };
  it("moves a soliton at speed c, matching (c/2)sech²(√c(x − ct)/2) with 4th-order error", () => {
    const exact = kdvSoliton(g, c, 10, T);
    const e1 = maxDiff(run(0.02), exact);
    const e2 = maxDiff(run(0.01), exact);
    expect(e2).toBeLessThan(1e-6);
    expect(Math.abs(Math.log2(e1 / e2) - 4)).toBeLessThan(0.5);
  });
  it("conserves ∫φ, ∫φ², ∫(φ³ − φ_x²/2) for two colliding solitons", () => {
    const phi = kdvSoliton(g, 4, 8, 0).map((v, j) => v + kdvSoliton(g, 1, 16, 0)[j]);
    const before = kdvInvariants(g, phi);
    new KdvEtdrk4(g, 0.0025).advance(phi, 1200); // relative change observed ≤ 7e-8 (1e-6 at h = 0.005)
    const after = kdvInvariants(g, phi);
    for (let i = 0; i < 3; i++)
      expect(Math.abs(after[i] - before[i]) / Math.abs(before[i])).toBeLessThan(1e-6);
  });
});

describe("sine-Gordon by Störmer–Verlet", () => {
  it("follows the breather (ω = 0.6) with 2nd-order error and bounded energy error", () => {
    const g = new PeriodicGrid(128, 40);
    const T = 3;
    const exact = sineGordonBreather(g, 0.6, 20, T);
    const run = (h: number) => {
      const s = sineGordonBreather(g, 0.6, 20, 0);
      sineGordonAdvance(g, s, h, Math.round(T / h));
      return s;
    };
    const e1 = maxDiff(run(0.02).phi, exact.phi);
    const s2 = run(0.01);
    const e2 = maxDiff(s2.phi, exact.phi);
    expect(Math.abs(Math.log2(e1 / e2) - 2)).toBeLessThan(0.3);
    expect(e2).toBeLessThan(1e-3);
    const E0 = sineGordonEnergy(g, sineGordonBreather(g, 0.6, 20, 0));
    expect(Math.abs(sineGordonEnergy(g, s2) - E0) / E0).toBeLessThan(1e-4);
  });
});

describe("Heisenberg ferromagnet by implicit midpoint", () => {
  const g = new PeriodicGrid(32, 2 * Math.PI);
  it("rotates a spin wave at ω = c k² and keeps |S| = 1", () => {
    const s = spinWave(g, 2, 0.4, 0);
    heisenbergAdvance(g, s, 0.002, 250);
    const exact = spinWave(g, 2, 0.4, 0.5);
    for (let a = 0; a < 3; a++) expect(maxDiff(s[a], exact[a])).toBeLessThan(1e-5);
    expect(spinNormError(s)).toBeLessThan(1e-12);
  });
  it("keeps |S| = 1 and the exchange energy for a generic texture", () => {
    const x = g.points();
    const raw: SpinField = [x.map((v) => Math.cos(v) + 0.3), x.map((v) => Math.sin(2 * v)), x.map(() => 0.8)];
    const norm = raw[0].map((_, j) => Math.hypot(raw[0][j], raw[1][j], raw[2][j]));
    const s = raw.map((c) => c.map((v, j) => v / norm[j])) as SpinField;
    const E0 = heisenbergEnergy(g, s);
    heisenbergAdvance(g, s, 0.001, 200);
    expect(spinNormError(s)).toBeLessThan(1e-12);
    expect(Math.abs(heisenbergEnergy(g, s) - E0) / E0).toBeLessThan(1e-6);
  });
  it("says whether the midpoint iteration converges as the iteration itself finds", () => {
    // ℓ = 16, h = 0.001 (the data's step): h·k_max² = 0.63 at N = 128, 2.5 at N = 256
    for (const n of [64, 128, 256, 512]) {
      const grid = new PeriodicGrid(n, 16);
      // a smooth periodic texture: round-off seeds the top modes, which a diverging iteration grows
      const x = grid.points().map((v) => (2 * Math.PI * v) / 16);
      const raw: SpinField = [
        x.map((v) => Math.cos(v) + 0.3),
        x.map((v) => Math.sin(2 * v)),
        x.map(() => 0.8),
      ];
      const norm = raw[0].map((_, j) => Math.hypot(raw[0][j], raw[1][j], raw[2][j]));
      const s = raw.map((c) => c.map((v, j) => v / norm[j])) as SpinField;
      const step = () => heisenbergAdvance(grid, s, 0.001, 3);
      if (heisenbergStepConverges(grid, 0.001)) expect(step, String(n)).not.toThrow();
      else expect(step, String(n)).toThrow(/midpoint iteration converges/);
    }
    expect([64, 128, 256, 512].map((n) => heisenbergStepConverges({ n, length: 16 }, 0.001))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
  it("the data's default step shrinks with the grid until the iteration converges, at the same snapshot times", () => {
    // h·k_max² < 1 with k_max = πN/ℓ, ℓ = 16: 0.001 up to N = 128, then halved (0.62 each time)
    expect([64, 128, 256, 512, 1024].map((n) => heisenbergDefaultStep({ n, length: 16 }))).toEqual([
      0.001,
      0.001,
      0.001 / 4,
      0.001 / 16,
      0.001 / 64,
    ]);
    const at = (n: number) =>
      heisenbergTrajectories({ trajectories: 1, seed: 3, n, time: 0.02, snapshots: 3 });
    const [coarse, fine] = [at(128), at(256)];
    expect(fine.times).toEqual(coarse.times);
    // the same smooth texture on both grids: |S| = 1 kept, and the fields agree where the grids meet
    const last = fine.states[0][2] as Float64Array[];
    expect(spinNormError(last as SpinField)).toBeLessThan(1e-12);
    const c = coarse.states[0][2] as Float64Array[];
    let diff = 0;
    for (let a = 0; a < 3; a++)
      for (let j = 0; j < 128; j++) diff = Math.max(diff, Math.abs(last[a][2 * j] - c[a][j]));
    expect(diff).toBeLessThan(1e-6);
  });
});
