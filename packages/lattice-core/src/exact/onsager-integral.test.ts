// Onsager's results and the Kramers–Wannier dual coupling against truths computed here: the
// double-integral form of the free energy and its β-derivative (midpoint rule on a periodic
// analytic integrand, exponentially accurate away from β_c), the high- and low-temperature
// series, and the closed forms of β̃ at both ends of its range.
import { describe, expect, it } from "vitest";
import { DUAL_BETA_MAX, DUAL_BETA_MIN, dualCoupling } from "./duality.js";
import { BETA_C, onsagerEnergyPerSite, onsagerMagnetization, onsagerReducedFreeEnergy } from "./onsager.js";

/**
 * −βf = ln 2 + (1/8π²) ∫∫ ln[cosh² 2β − sinh 2β (cos a + cos b)] da db and the energy
 * u = −∂(−βf)/∂β, both by the n×n midpoint rule over [0, 2π)².
 */
function doubleIntegral(beta: number, n = 256): { lnZPerSite: number; energy: number } {
  const c = Math.cosh(2 * beta);
  const s = Math.sinh(2 * beta);
  // Row sums first, then their sum: keeps the rounding of 65536 terms near 1e−15.
  let f = 0;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const ca = Math.cos((2 * Math.PI * (i + 0.5)) / n);
    let fr = 0;
    let dr = 0;
    for (let j = 0; j < n; j++) {
      const sum = ca + Math.cos((2 * Math.PI * (j + 0.5)) / n);
      const arg = c * c - s * sum;
      fr += Math.log(arg);
      dr += (4 * c * s - 2 * c * sum) / arg;
    }
    f += fr;
    d += dr;
  }
  // (1/8π²) ∫∫ g = (1/8π²)(2π/n)² Σ g = Σ g / (2n²).
  return { lnZPerSite: Math.LN2 + f / (2 * n * n), energy: -d / (2 * n * n) };
}

describe("Onsager against the double-integral form", () => {
  it("free energy and energy agree to 4e-15 at β on both sides of β_c", () => {
    for (const beta of [0.05, 0.2, 0.3, 0.36, 0.55, 0.7, 1, 1.6]) {
      const di = doubleIntegral(beta);
      expect(Math.abs(-onsagerReducedFreeEnergy(beta) - di.lnZPerSite)).toBeLessThan(4e-15);
      expect(Math.abs(onsagerEnergyPerSite(beta) - di.energy)).toBeLessThan(4e-15);
    }
  });

  it("the energy is continuous through β_c, where it is −√2, and tends to −2 at low temperature", () => {
    const e = 1e-9;
    // u(β) = −√2 + O(ε ln ε) on either side.
    expect(Math.abs(onsagerEnergyPerSite(BETA_C - e) + Math.SQRT2)).toBeLessThan(1e-6);
    expect(Math.abs(onsagerEnergyPerSite(BETA_C + e) + Math.SQRT2)).toBeLessThan(1e-6);
    // Low temperature: u = −2 + 8 e^{−8β} + O(e^{−12β}) (one flipped spin breaks 4 bonds).
    const beta = 3;
    expect(Math.abs(onsagerEnergyPerSite(beta) + 2 - 8 * Math.exp(-8 * beta))).toBeLessThan(
      40 * Math.exp(-12 * beta),
    );
    expect(onsagerEnergyPerSite(20)).toBeCloseTo(-2, 15);
  });

  it("high-temperature series of the energy u = −2t − (4t³ + 12t⁵ + 36t⁷)(1 − t²), t = tanh β", () => {
    for (const beta of [1e-12, 1e-8, 1e-6, 1e-4, 0.01, 0.03, 0.06]) {
      const t = Math.tanh(beta);
      const series = -2 * t - (4 * t ** 3 + 12 * t ** 5 + 36 * t ** 7) * (1 - t * t);
      // The next term is −120 t⁹ (1 − t²); the rest is rounding, relative to u ≈ −2β.
      const bound = 240 * t ** 9 + 8 * Number.EPSILON * Math.abs(series);
      expect(Math.abs(onsagerEnergyPerSite(beta) - series)).toBeLessThan(bound);
    }
  });

  it("free energy at β = 0 and far below T_c: ln 2 and 2β + e^{−8β}", () => {
    expect(-onsagerReducedFreeEnergy(1e-12)).toBeCloseTo(Math.LN2, 15);
    for (const beta of [2.5, 5, 40]) {
      const series = 2 * beta + Math.exp(-8 * beta) + 2 * Math.exp(-12 * beta);
      expect(Math.abs(-onsagerReducedFreeEnergy(beta) - series)).toBeLessThan(1e-15 * series + 1e-16);
    }
  });

  it("spontaneous magnetisation matches the low-temperature series 1 − 2u² − 8u³ − 34u⁴ − 152u⁵ − 714u⁶", () => {
    for (const beta of [0.7, 0.9, 1.2, 2]) {
      const u = Math.exp(-4 * beta);
      const series = 1 - 2 * u ** 2 - 8 * u ** 3 - 34 * u ** 4 - 152 * u ** 5 - 714 * u ** 6;
      // The next term is −3472 u⁷.
      expect(Math.abs(onsagerMagnetization(beta) - series)).toBeLessThan(7000 * u ** 7 + 1e-15);
    }
    expect(onsagerMagnetization(0)).toBe(0);
    expect(onsagerMagnetization(BETA_C - 1e-3)).toBe(0);
    // m(β_c + ε) ≈ (8√2 ε)^{1/8} (sinh⁴ 2β ≈ 1 + 8√2 ε... to first order, with cosh 2β_c = √2).
    const eps = 1e-9;
    expect(onsagerMagnetization(BETA_C + eps) / (8 * Math.SQRT2 * eps) ** 0.125).toBeCloseTo(1, 5);
    // The first doubles above β_c, where 1 − sinh^{−4} 2β rounds to 0 or below, give 0, not NaN.
    let b = BETA_C;
    for (let k = 0; k < 4; k++) {
      b += Number.EPSILON * b;
      const m = onsagerMagnetization(b);
      expect(m >= 0 && m < 0.02).toBe(true);
    }
  });
});

describe("Onsager input checks", () => {
  it("every function names β and its range in the error", () => {
    for (const f of [onsagerReducedFreeEnergy, onsagerEnergyPerSite, onsagerMagnetization]) {
      expect(() => f(-0.5)).toThrow(/^beta: expected a finite number >= 0, got -0.5$/);
      expect(() => f(Number.NaN)).toThrow(/^beta: expected a finite number, got NaN$/);
    }
  });
});

describe("Kramers–Wannier dual coupling at the ends of its range", () => {
  it("β → 0: β̃ = −½ ln tanh β = −½ ln β + β²/6 + …", () => {
    for (const beta of [DUAL_BETA_MIN, 1e-100, 1e-10, 1e-4]) {
      const expected = -0.5 * Math.log(beta) + beta ** 2 / 6;
      expect(Math.abs(dualCoupling(beta) / expected - 1)).toBeLessThan(2e-15);
    }
  });

  it("β → ∞: β̃ = atanh(e^{−2β}) = y + y³/3 + y⁵/5 + y⁷/7 + … with y = e^{−2β}", () => {
    for (const beta of [3, 10, 20, 100, DUAL_BETA_MAX]) {
      const y = Math.exp(-2 * beta);
      const series = y + y ** 3 / 3 + y ** 5 / 5 + y ** 7 / 7;
      expect(Math.abs(dualCoupling(beta) / series - 1)).toBeLessThan(2e-15);
    }
    // sinh 2β · sinh 2β̃ = 1 still holds at both documented limits.
    for (const beta of [DUAL_BETA_MIN, DUAL_BETA_MAX]) {
      expect(Math.sinh(2 * beta) * Math.sinh(2 * dualCoupling(beta))).toBeCloseTo(1, 12);
    }
  });

  it("on both sides of the branch point y = ½ (β = ln 2 / 2) it is atanh(e^{−2β}) to rounding", () => {
    for (const beta of [0.3, 0.34, Math.LN2 / 2, 0.35, 0.4, 0.8]) {
      const y = Math.exp(-2 * beta);
      expect(Math.abs(dualCoupling(beta) - 0.5 * Math.log((1 + y) / (1 - y)))).toBeLessThan(1e-15);
    }
    expect(() => dualCoupling(-1e-9)).toThrow(/beta: expected a finite number > 0, got -1e-9/);
    expect(() => dualCoupling(Number.POSITIVE_INFINITY)).toThrow(/beta: expected a finite number/);
  });
});
