import { describe, expect, it } from "vitest";
import { analyseNoScale } from "./analyse.js";
import { parseKahler } from "./expression.js";

const run = (text: string, params: Record<string, number> = {}) =>
  analyseNoScale(parseKahler(text, params), { seed: 1, points: 16 });

// K = −n ln(X + X̄) contributes n to K_A K^{AB̄} K_B̄; the values are exact up to rounding, so the
// tolerance is a few hundred ulps of 3.
describe("no-scale structure against closed forms", () => {
  it("K = −3 ln(T + T̄): 3, generalised, axionic, weight 1", () => {
    const r = run("-3*log(T + conj(T))");
    expect(r.fields).toEqual(["T"]);
    expect(Math.abs(r.kineticMin - 3)).toBeLessThan(1e-12);
    expect(Math.abs(r.kineticMax - 3)).toBeLessThan(1e-12);
    expect(r.detRatioMaxAbs).toBeLessThan(1e-12);
    expect(r.generalised && r.standard && r.axionic && r.scaling).toBe(true);
    expect(r.scalingWeight).toBeCloseTo(1, 12);
  });

  it("K = −2 ln(T + T̄) − ln(S + S̄): 3", () => {
    const r = run("-2*log(T + conj(T)) - log(S + conj(S))");
    expect(r.fields).toEqual(["T", "S"]);
    expect(Math.abs(r.kineticMean - 3)).toBeLessThan(1e-12);
    expect(r.verdict).toBe("generalised, standard, axionic, scaling no-scale");
  });

  it("K = −3 ln(T + T̄) − ln(S + S̄): 4, not no-scale; the determinant ratio is 1 − 4/3", () => {
    const r = run("-3*ln(T + conj(T)) - ln(S + conj(S))");
    expect(Math.abs(r.kineticMin - 4)).toBeLessThan(1e-12);
    expect(Math.abs(r.kineticMax - 4)).toBeLessThan(1e-12);
    expect(r.detRatioMaxAbs).toBeCloseTo(1 / 3, 12);
    expect(r.verdict).toBe("not no-scale");
    expect(r.scalingWeight).toBeCloseTo(4 / 3, 12);
  });

  it("K = −3 ln(T + T̄ − φφ̄): 3 at every point, φ breaks the shift symmetry and uniform scaling; weights T 1, φ ½", () => {
    const r = run("-3*log(T + conj(T) - phi*conj(phi))");
    expect(r.fields).toEqual(["T", "phi"]);
    expect(Math.abs(r.kineticMin - 3)).toBeLessThan(1e-11);
    expect(Math.abs(r.kineticMax - 3)).toBeLessThan(1e-11);
    expect(r.generalised).toBe(true);
    expect(r.shiftSymmetric).toEqual(["T"]);
    expect(r.axionic).toBe(false);
    // T → λT, φ → λ^{1/2}φ: T + T̄ − φφ̄ → λ(T + T̄ − φφ̄), so K → K − 3 ln λ; no uniform weight
    expect(r.scalingWeight).toBeUndefined();
    expect(r.scalingWeights?.T).toBeCloseTo(1, 10);
    expect(r.scalingWeights?.phi).toBeCloseTo(0.5, 10);
    expect(r.scaling).toBe(true);
    expect(r.verdict).toBe("generalised, standard, scaling no-scale");
  });

  it("the α′-like correction breaks every scaling: no per-field weights exist", () => {
    const r = run("-3*log(T + conj(T) + xi/(T + conj(T))^(3/2))", { xi: 0.1 });
    expect(r.scalingWeights).toBeUndefined();
    expect(r.scaling).toBe(false);
  });

  it("an α′-like correction ξ/(T+T̄)^{3/2} inside the log moves 3 by its leading order (45/4)·ξ·X^{−5/2}", () => {
    // K = −3 ln f(X), f = X + ξX^{−3/2}, X = T + T̄: K_A K^{AB̄} K_B̄ = 3f′²/(f′² − f f″)
    //   = 3 + (45/4) ξ X^{−5/2} + O(ξ²)
    for (const xi of [1e-3, 1e-4]) {
      const K = parseKahler("-3*log(T + conj(T) + xi/(T + conj(T))^(3/2))", { xi });
      const r = analyseNoScale(K, { seed: 2, points: 1, re: [0.8, 0.8 + 1e-13], im: [0.3, 0.3 + 1e-13] });
      const X = 1.6;
      const f = X + xi * X ** -1.5;
      const f1 = 1 - 1.5 * xi * X ** -2.5;
      const f2 = 3.75 * xi * X ** -3.5;
      const exact = (3 * f1 * f1) / (f1 * f1 - f * f2);
      expect(r.kineticMean).toBeCloseTo(exact, 12);
      const lead = 11.25 * xi * X ** -2.5;
      // the next order is O(ξ²): relative deviation from the leading term ~ ξ
      expect(Math.abs((r.kineticMean - 3) / lead - 1)).toBeLessThan(10 * xi);
      expect(r.standard).toBe(false);
    }
  });

  it("rejects unknown functions and expressions without fields", () => {
    expect(() => parseKahler("foo(T)")).toThrow(/functions among/);
    expect(() => parseKahler("3 + 4")).toThrow(/at least one field/);
  });
});
