import { describe, expect, it } from "vitest";
import { quarticLevel, so2xso2Level, so3in4Level, sphere } from "../../test/level-sets.js";
import { trueAlgebra } from "./algebra.js";
import { findGeneratorsByPlanes } from "./planes.js";
import { largestPrincipalAngle } from "./report.js";
import { findGeneratorsByTangents } from "./tangent.js";

// Tolerances: the plane fits scatter because the sample mean misses the fixed point by ~1/√m and
// a plane's slab has a finite thickness δ; at m = 1000 the angle to so(3) came out 0.020, the
// closure residual 0.024 and the antisymmetry error 0.039 (rejection-sampled shells, one seed).
// The tangent method's normals carry an error that falls with the number of points (angles
// 0.04 → 0.01 from 600 to 1200 points per cloud for so(2)⊕so(2)). Bounds: about 2× those.
describe("plane method (the paper's)", () => {
  it("finds so(3) on the 2-sphere: 3 components carry ≥ 0.95 of the variance", () => {
    const r = findGeneratorsByPlanes(sphere(3, 1000, 1, 1), 3, { seed: 2 });
    const ev = r.explainedVariance;
    expect(r.generators.length).toBe(3);
    expect(ev[0] + ev[1] + ev[2]).toBeGreaterThanOrEqual(0.95);
    expect(ev[3]).toBeLessThan(0.05);
    expect(largestPrincipalAngle(r.flat, trueAlgebra("so", 3))).toBeLessThan(0.05);
    expect(r.closureResidual).toBeLessThan(0.06);
    expect(r.antisymmetry).toBeLessThan(0.08);
    expect(r.orthonormality).toBeLessThan(1e-12);
  });

  it("finds the six generators of so(4) on the 3-sphere", () => {
    const r = findGeneratorsByPlanes(sphere(4, 3000, 1, 3), 4, { seed: 4, delta: 0.15, epsilon: 0.2 });
    expect(r.generators.length).toBe(6);
    expect(r.explainedVariance.slice(0, 6).reduce((a, b) => a + b)).toBeGreaterThanOrEqual(0.95);
    expect(largestPrincipalAngle(r.flat, trueAlgebra("so", 4))).toBeLessThan(0.05);
    expect(r.closureResidual).toBeLessThan(0.06);
  });
});

describe("tangent method (invariance constraints over several level sets)", () => {
  it("finds so(2)⊕so(2) for u² + 2v²", () => {
    const clouds = [0.2, 0.5, 0.8].map((c, i) => so2xso2Level(c, 1000, 10 + i));
    const r = findGeneratorsByTangents(clouds, 4);
    expect(r.generators.length).toBe(2);
    expect(largestPrincipalAngle(r.flat, trueAlgebra("so2xso2", 4))).toBeLessThan(0.05);
    expect(r.closureResidual).toBeLessThan(0.05);
    expect(r.antisymmetry).toBeLessThan(0.05);
  });

  it("finds so(3) ⊂ so(4) for r₃² + x₄⁴ + x₄", () => {
    const clouds = [0.2, 0.6, 1].map((c, i) => so3in4Level(c, 600, 20 + i));
    const r = findGeneratorsByTangents(clouds, 4);
    expect(r.generators.length).toBe(3);
    expect(largestPrincipalAngle(r.flat, trueAlgebra("so3in4", 4))).toBeLessThan(0.05);
    expect(r.closureResidual).toBeLessThan(0.05);
  });

  it("finds no continuous symmetry for x⁴ + y⁴", () => {
    const clouds = [0.2, 0.6, 1].map((c, i) => quarticLevel(c, 300, 30 + i));
    const r = findGeneratorsByTangents(clouds, 2);
    expect(r.generators.length).toBe(0);
    expect(r.spectrum[0]).toBeGreaterThan(0.02);
  });
});
