import { describe, expect, it } from "vitest";
import { PhysmlInputError } from "../errors.js";
import { dualCoupling } from "./duality.js";
import { BETA_C, onsagerEnergyPerSite, onsagerMagnetization, onsagerReducedFreeEnergy } from "./onsager.js";

describe("Onsager infinite-lattice results", () => {
  it("β_c solves sinh 2β = 1", () => {
    expect(Math.sinh(2 * BETA_C)).toBeCloseTo(1, 15);
    expect(BETA_C).toBeCloseTo(0.4406868, 7);
  });

  it("free energy agrees with the high-temperature series ln Z/N = ln 2 + 2 ln cosh β + t⁴ + 2t⁶ + 9/2 t⁸ + …", () => {
    for (const K of [0.01, 0.03, 0.05]) {
      const t = Math.tanh(K);
      const series = Math.LN2 + 2 * Math.log(Math.cosh(K)) + t ** 4 + 2 * t ** 6 + 4.5 * t ** 8;
      // The next term is 12 t¹⁰.
      expect(Math.abs(-onsagerReducedFreeEnergy(K) - series)).toBeLessThan(24 * t ** 10 + 1e-15);
    }
    expect(onsagerReducedFreeEnergy(0)).toBe(-Math.LN2);
  });

  it("free energy obeys Kramers–Wannier duality: λ(β) − ln 2 − 2 ln cosh β = λ(β̃) − 2β̃ (λ = −f)", () => {
    for (const K of [0.1, 0.3, 0.42, 0.5, 0.8]) {
      const Kd = dualCoupling(K);
      const lhs = -onsagerReducedFreeEnergy(K) - Math.LN2 - 2 * Math.log(Math.cosh(K));
      const rhs = -onsagerReducedFreeEnergy(Kd) - 2 * Kd;
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-13);
    }
  });

  it("energies obey the Kramers–Wannier link identity ⟨x⟩_β = cosh 2β̃ − sinh 2β̃ ⟨x⟩_β̃ (⟨x⟩ = −u/2)", () => {
    for (const K of [0.15, 0.3, 0.43, 0.5, 0.9]) {
      const Kd = dualCoupling(K);
      const mapped = Math.cosh(2 * Kd) - Math.sinh(2 * Kd) * (-onsagerEnergyPerSite(Kd) / 2);
      expect(Math.abs(-onsagerEnergyPerSite(K) / 2 - mapped)).toBeLessThan(1e-13);
    }
  });

  it("energy is the β-derivative of the free energy (central differences)", () => {
    for (const K of [0.1, 0.3, 0.42, 0.46, 0.6, 1.0]) {
      const h = 1e-5;
      const fd = (onsagerReducedFreeEnergy(K + h) - onsagerReducedFreeEnergy(K - h)) / (2 * h);
      expect(Math.abs(fd - onsagerEnergyPerSite(K))).toBeLessThan(1e-8);
    }
    expect(onsagerEnergyPerSite(BETA_C)).toBeCloseTo(-Math.SQRT2, 12);
    expect(onsagerEnergyPerSite(0)).toBe(0);
  });

  it("magnetisation vanishes for β ≤ β_c, rises with exponent 1/8, tends to 1", () => {
    expect(onsagerMagnetization(0.3)).toBe(0);
    expect(onsagerMagnetization(BETA_C)).toBe(0);
    expect(onsagerMagnetization(5)).toBeCloseTo(1, 12);
    const e1 = 1e-6;
    const e2 = 1e-8;
    const slope =
      Math.log(onsagerMagnetization(BETA_C + e1) / onsagerMagnetization(BETA_C + e2)) / Math.log(e1 / e2);
    expect(slope).toBeCloseTo(1 / 8, 4);
    // Low-temperature expansion: m = 1 − 2x⁴ − 8x⁶ + O(x⁸) with x = e^{−2β}.
    const K = 1.2;
    const x = Math.exp(-2 * K);
    expect(Math.abs(onsagerMagnetization(K) - (1 - 2 * x ** 4 - 8 * x ** 6))).toBeLessThan(50 * x ** 8);
  });

  it("rejects negative or non-finite β", () => {
    expect(() => onsagerReducedFreeEnergy(-1)).toThrow(PhysmlInputError);
    expect(() => onsagerEnergyPerSite(Number.NaN)).toThrow(/beta: expected a finite number/);
    expect(() => onsagerMagnetization(Number.POSITIVE_INFINITY)).toThrow(/beta/);
  });
});
