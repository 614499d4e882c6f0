import { describe, expect, it } from "vitest";
import { planeRotation, soBasis, trueAlgebra } from "./algebra.js";
import { largestPrincipalAngle, summarise } from "./report.js";
import { GENERATOR_TARGETS, validateGenerators, validationLine } from "./validation.js";

// Constructed generator sets whose closure, antisymmetry and angle are known exactly: an exact
// so(n) basis has residual 0, antisymmetry 0 and angle 0; two of the three so(3) generators leave
// their commutator, of norm 1/√2 (unit-norm basis), outside the span; a symmetric generator has
// |G + Gᵀ|/|G| = 2. Explained variances are given: a clear gap (0.33 → 0.001) or none.
const gapAfter = (d: number, total: number) =>
  Array.from({ length: total }, (_, i) => (i < d ? (1 - 0.001 * (total - d)) / d : 0.001));

describe("validateGenerators", () => {
  it("an exact so(3) basis with a clear gap passes every check, angle to so(3) included", () => {
    const gens = soBasis(3);
    const report = summarise(gens, 3, 100, gapAfter(3, 9));
    const angle = largestPrincipalAngle(gens, trueAlgebra("so", 3));
    expect(angle).toBeLessThan(1e-7);
    const v = validateGenerators({ report, angleToTrue: angle, orthogonal: true });
    expect(v.failures).toEqual([]);
    expect(v.passed).toBe(true);
    expect(v.targets).toEqual({
      closureResidual: GENERATOR_TARGETS.closureResidual,
      varianceGap: GENERATOR_TARGETS.varianceGap,
      antisymmetry: GENERATOR_TARGETS.antisymmetry,
      angleToTrue: GENERATOR_TARGETS.angleToTrue,
    });
    expect(validationLine(v)).toBe("validation: passed");
  });

  it("two generators of so(3) do not close: residual 1/√2 fails, naming the value and the threshold", () => {
    const gens = [planeRotation(3, 0, 1), planeRotation(3, 0, 2)];
    const report = summarise(gens, 3, 100, gapAfter(2, 9));
    expect(report.closureResidual).toBeCloseTo(Math.SQRT1_2, 14);
    // without a truth (your own points): closure is the check that fails
    const v = validateGenerators({ report, orthogonal: false });
    expect(v.passed).toBe(false);
    expect(v.failures).toEqual([
      `the span does not close under the commutator: closure residual 0.707 (threshold < ${GENERATOR_TARGETS.closureResidual})`,
    ]);
    expect(v.targets.antisymmetry).toBeUndefined();
    expect(v.targets.angleToTrue).toBeUndefined();
    expect(v.notes.join(" ")).toMatch(/antisymmetry is reported, not judged/);
    expect(validationLine(v)).toBe(`validation: FAILED (${v.failures[0]})`);
  });

  it("a symmetric (non-antisymmetric) generator fails antisymmetry where the truth is orthogonal", () => {
    // diag(1, −1, 0)/√2: a boost-like flow, closed on its own (one generator), |G + Gᵀ|/|G| = 2
    const g = new Float64Array(9);
    g[0] = Math.SQRT1_2;
    g[4] = -Math.SQRT1_2;
    const report = summarise([g], 3, 100, gapAfter(1, 9));
    expect(report.antisymmetry).toBeCloseTo(2, 14);
    const v = validateGenerators({ report, orthogonal: true });
    expect(v.failures).toEqual([
      `the generators are not antisymmetric: |G + Gᵀ|/|G| up to 2.00 (threshold < ${GENERATOR_TARGETS.antisymmetry})`,
    ]);
    // your own points may have such a symmetry (x² − y² level sets): reported, not judged
    expect(validateGenerators({ report, orthogonal: false }).passed).toBe(true);
  });

  it("no clear gap fails: the plane method's explained variances, the tangent method's spectrum", () => {
    const gens = soBasis(3);
    const flat = [0.3, 0.3, 0.2, 0.1, 0.05, 0.03, 0.01, 0.007, 0.003];
    const planes = validateGenerators({ report: summarise(gens, 3, 100, flat), orthogonal: true });
    expect(planes.failures).toEqual([
      `no clear gap after 3 generators: explained variance 0.200 over the next 0.100 is 2.00 (threshold > ${GENERATOR_TARGETS.varianceGap})`,
    ]);
    // the tangent method: 3 null directions below tol, the 4th only 2× above the 3rd
    const spectrum = [1e-4, 5e-4, 4e-3, 8e-3, 0.1, 1];
    const tangent = validateGenerators({
      report: { ...summarise(gens, 3, 3, []), spectrum, nullDirections: 3 },
      orthogonal: true,
    });
    expect(tangent.failures).toEqual([
      `no clear gap after 3 null directions: constraint eigenvalue 0.00800 over 0.00400 is 2.00 (threshold > ${GENERATOR_TARGETS.spectrumGap})`,
    ]);
    expect(tangent.targets.spectrumGap).toBe(GENERATOR_TARGETS.spectrumGap);
    expect(tangent.targets.varianceGap).toBeUndefined();
    const clear = [1e-4, 5e-4, 1e-3, 2e-2, 0.1, 1];
    const ok = validateGenerators({
      report: { ...summarise(gens, 3, 3, []), spectrum: clear, nullDirections: 3 },
      orthogonal: true,
    });
    expect(ok.passed).toBe(true);
  });

  it("the wrong algebra fails on the angle: so(4)'s six generators for so(2)⊕so(2) are π/2 away", () => {
    const gens = soBasis(4);
    const report = summarise(gens, 4, 100, gapAfter(6, 16));
    const angle = largestPrincipalAngle(gens, trueAlgebra("so2xso2", 4));
    expect(angle).toBe(Math.PI / 2);
    const v = validateGenerators({ report, angleToTrue: angle, trueDimension: 2, orthogonal: true });
    expect(v.failures).toEqual([
      `the span is 1.57 rad from the true algebra (threshold < ${GENERATOR_TARGETS.angleToTrue} rad; 6 generators found, the true algebra has 2)`,
    ]);
  });

  it("none found fails, unless the truth has none; a non-finite value fails", () => {
    const none = { ...summarise([], 2, 3, []), spectrum: [0.04, 1], nullDirections: 0 };
    const own = validateGenerators({ report: none, orthogonal: false });
    expect(own.failures).toEqual([
      "no generator found: no symmetry to check (smallest constraint eigenvalue 0.0400 of the largest)",
    ]);
    // x⁴ + y⁴: no Lie algebra, and none found (angle 0 between two empty spans)
    expect(validateGenerators({ report: none, angleToTrue: 0, orthogonal: true }).passed).toBe(true);
    const nan = { ...summarise(soBasis(3), 3, 100, gapAfter(3, 9)), closureResidual: Number.NaN };
    expect(validateGenerators({ report: nan, orthogonal: false }).failures[0]).toMatch(
      /closure residual NaN/,
    );
  });
});
