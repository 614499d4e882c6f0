import { describe, expect, it } from "vitest";
import { energyDrift } from "./energy-drift.js";
import { energies, vectorField } from "./hamiltonian.js";
import { INTEGRATOR_ORDER, type IntegratorName, simulate } from "./integrators.js";
import { harmonicOscillator, henonHeiles, nonlinearRotor, perturbedOscillator, twoBody } from "./systems.js";

const last = (states: Float64Array, batch: number, d: number): Float64Array[] => {
  const T = states.length / (batch * d);
  return Array.from({ length: batch }, (_, b) => states.slice((b * T + T - 1) * d, (b * T + T) * d));
};
const maxErr = (a: Float64Array[], b: number[][]): number =>
  Math.max(...a.flatMap((row, i) => Array.from(row, (v, j) => Math.abs(v - b[i][j]))));

describe("harmonic oscillator against q(t) = q₀ cos t + p₀ sin t", () => {
  const z0 = new Float64Array([1, 0, 0.3, -0.7, -0.5, 0.2]);
  const exact = (t: number): number[][] =>
    [0, 1, 2].map((b) => {
      const [q, p] = [z0[2 * b], z0[2 * b + 1]];
      return [q * Math.cos(t) + p * Math.sin(t), -q * Math.sin(t) + p * Math.cos(t)];
    });
  const T = 5;
  for (const integrator of ["leapfrog", "yoshida4", "midpoint"] as IntegratorName[]) {
    it(`${integrator}: error falls as h^${INTEGRATOR_ORDER[integrator]} when h is halved`, () => {
      const sys = harmonicOscillator(1);
      const err = (h: number) =>
        maxErr(
          last(simulate(sys, z0, 3, { integrator, h, steps: Math.round(T / h) }).states, 3, 2),
          exact(T),
        );
      const e1 = err(0.1);
      const e2 = err(0.05);
      // the observed order log₂(e(h)/e(h/2)) must match the nominal order to ±0.2
      expect(Math.abs(Math.log2(e1 / e2) - INTEGRATOR_ORDER[integrator])).toBeLessThan(0.2);
      expect(e2).toBeLessThan(integrator === "yoshida4" ? 1e-4 : 1e-2);
    });
  }
});

describe("2D oscillator with H₂ = ε q_x q_y against its normal modes", () => {
  it("Yoshida at h = 0.02 matches the exact flow to 1e-7", () => {
    const eps = 0.3;
    const sys = perturbedOscillator("h2", eps);
    const z0 = new Float64Array([0.8, -0.1, 0.2, 0.5]);
    const T = 4;
    const traj = simulate(sys, z0, 1, { integrator: "yoshida4", h: 0.02, steps: T / 0.02 });
    // modes u = (q_x + q_y)/√2 with ω² = 1 + ε, v = (q_x − q_y)/√2 with ω² = 1 − ε
    const mode = (q: number, p: number, w: number) => [
      q * Math.cos(w * T) + (p / w) * Math.sin(w * T),
      -q * w * Math.sin(w * T) + p * Math.cos(w * T),
    ];
    const s = Math.SQRT1_2;
    const [u, pu] = mode(s * (z0[0] + z0[1]), s * (z0[2] + z0[3]), Math.sqrt(1 + eps));
    const [v, pv] = mode(s * (z0[0] - z0[1]), s * (z0[2] - z0[3]), Math.sqrt(1 - eps));
    const exact = [[s * (u + v), s * (u - v), s * (pu + pv), s * (pu - pv)]];
    expect(maxErr(last(traj.states, 1, 4), exact)).toBeLessThan(1e-7);
  });
});

describe("implicit midpoint on the non-separable rotor H = (q² + p²)²/4", () => {
  it("turns at ω = q² + p² (error O(h²)) and keeps H to the iteration tolerance", () => {
    const sys = nonlinearRotor();
    const z0 = new Float64Array([1, 0.5]);
    const w = 1.25;
    const T = 3;
    const exact = [[Math.cos(w * T) + 0.5 * Math.sin(w * T), -Math.sin(w * T) + 0.5 * Math.cos(w * T)]];
    const run = (h: number) => simulate(sys, z0, 1, { integrator: "midpoint", h, steps: Math.round(T / h) });
    const e1 = maxErr(last(run(0.02).states, 1, 2), exact);
    const traj = run(0.01);
    const e2 = maxErr(last(traj.states, 1, 2), exact);
    expect(Math.abs(Math.log2(e1 / e2) - 2)).toBeLessThan(0.2);
    // the midpoint rule conserves quadratic invariants exactly, so q² + p² (and H) stay put
    expect(energyDrift(sys, traj)).toBeLessThan(1e-12);
  });
  it("refuses leapfrog for a non-separable H", () => {
    expect(() =>
      simulate(nonlinearRotor(), new Float64Array([1, 0]), 1, { integrator: "leapfrog", h: 0.1, steps: 1 }),
    ).toThrow(/integrator/);
  });
});

describe("energy drift on Hénon–Heiles (not integrable, no exact solution)", () => {
  it("stays bounded and falls as h² (leapfrog) and h⁴ (Yoshida) when h is halved", () => {
    const sys = henonHeiles();
    const z0 = new Float64Array([0.1, -0.2, 0.3, 0.25, 0, 0.2, -0.1, 0.1]); // E ≈ 0.06–0.1, bounded orbits
    for (const integrator of ["leapfrog", "yoshida4"] as IntegratorName[]) {
      const drift = (h: number) =>
        energyDrift(sys, simulate(sys, z0, 2, { integrator, h, steps: Math.round(10 / h) }));
      const d1 = drift(0.1);
      const d2 = drift(0.05);
      expect(Math.abs(Math.log2(d1 / d2) - INTEGRATOR_ORDER[integrator])).toBeLessThan(0.5);
    }
  });
});

describe("two-body problem", () => {
  it("a circular orbit (m₁ = m₂ = G = 1, r = 1) returns after T = 2π/√2, conserving P and L", () => {
    const sys = twoBody();
    const v = Math.SQRT1_2;
    const z0 = new Float64Array([0.5, 0, -0.5, 0, 0, v, 0, -v]);
    const T = (2 * Math.PI) / Math.SQRT2;
    const steps = 400;
    const traj = simulate(sys, z0, 1, { integrator: "yoshida4", h: T / steps, steps });
    expect(maxErr(last(traj.states, 1, 8), [Array.from(z0)])).toBeLessThan(1e-6); // observed 2.5e-7 = O(h⁴)
    expect(energyDrift(sys, traj)).toBeLessThan(1e-9);
  });
  it("an eccentric orbit conserves total momentum and angular momentum to rounding", () => {
    const sys = twoBody(1, 2);
    const z0 = new Float64Array([1, 0, -0.5, 0.1, 0.1, 0.6, 0.05, -0.2]);
    const traj = simulate(sys, z0, 1, { integrator: "yoshida4", h: 0.01, steps: 300, every: 300 });
    const inv = (z: ArrayLike<number>) => [
      z[4] + z[6],
      z[5] + z[7],
      z[0] * z[5] - z[1] * z[4] + z[2] * z[7] - z[3] * z[6],
    ];
    const [a, b] = [inv(traj.states.subarray(0, 8)), inv(traj.states.subarray(8, 16))];
    for (let i = 0; i < 3; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-12);
  });
});

describe("derived vector field", () => {
  it("matches central differences of H", () => {
    const sys = henonHeiles();
    const z = new Float64Array([0.3, -0.2, 0.1, 0.4]);
    const f = vectorField(sys, z, 1);
    const e = 1e-5;
    for (let i = 0; i < 4; i++) {
      const zp = z.slice();
      const zm = z.slice();
      zp[i] += e;
      zm[i] -= e;
      const d = (energies(sys, zp, 1)[0] - energies(sys, zm, 1)[0]) / (2 * e);
      // ż = J∇H: q̇ = ∂H/∂p, ṗ = −∂H/∂q
      const expected = i < 2 ? -f[i + 2] : f[i - 2];
      expect(d).toBeCloseTo(expected, 8);
    }
  });
});
