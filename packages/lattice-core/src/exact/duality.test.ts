import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dualCoupling } from "./duality.js";
import { BETA_C } from "./onsager.js";

describe("Kramers–Wannier dual coupling", () => {
  it("satisfies sinh 2β · sinh 2β̃ = 1 and tanh β = e^{−2β̃}", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 10, noNaN: true }), (b) => {
        const d = dualCoupling(b);
        expect(Math.sinh(2 * b) * Math.sinh(2 * d)).toBeCloseTo(1, 9);
        expect(Math.exp(-2 * d) / Math.tanh(b)).toBeCloseTo(1, 12);
      }),
      { seed: 3, numRuns: 200 },
    );
  });

  it("is an involution with fixed point β_c, and maps high to low temperature", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 8, noNaN: true }), (b) => {
        expect(dualCoupling(dualCoupling(b)) / b).toBeCloseTo(1, 9);
        if (b < BETA_C) expect(dualCoupling(b)).toBeGreaterThan(BETA_C);
        if (b > BETA_C) expect(dualCoupling(b)).toBeLessThan(BETA_C);
      }),
      { seed: 5, numRuns: 200 },
    );
    expect(dualCoupling(BETA_C)).toBeCloseTo(BETA_C, 14);
    expect(Math.atanh(Math.exp(-2 * 0.3))).toBeCloseTo(dualCoupling(0.3), 14);
  });

  it("rejects β ≤ 0 and non-finite β", () => {
    expect(() => dualCoupling(0)).toThrow(/beta: expected a finite number > 0/);
    expect(() => dualCoupling(Number.NaN)).toThrow(/beta/);
  });
});
