import { describe, expect, it } from "vitest";
import { closure, commutator, frobNorm, planeRotation, soBasis, trueAlgebra } from "./algebra.js";
import { largestPrincipalAngle } from "./report.js";

describe("Lie algebra helpers", () => {
  it("so(3): closed, with f_ab^c = ±1/√2 on distinct indices (unit-norm basis)", () => {
    const L = soBasis(3); // L01, L02, L12
    const c = closure(L, 3);
    expect(c.residual).toBeLessThan(1e-15);
    const f = c.structureConstants;
    // [L_ij, L_ik] = ± L_jk / √2 for unit-norm L: every f is 0 or ±1/√2, nonzero only for distinct a, b, c
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        for (let k = 0; k < 3; k++) {
          const distinct = a !== b && b !== k && a !== k;
          expect(Math.abs(f[a][b][k])).toBeCloseTo(distinct ? Math.SQRT1_2 : 0, 15);
        }
      }
    }
    // antisymmetric in (a, b) and totally antisymmetric (compact algebra, orthonormal basis)
    expect(f[0][1][2]).toBeCloseTo(-f[1][0][2], 15);
    expect(f[0][1][2]).toBeCloseTo(f[1][2][0], 15);
  });

  it("so(2)⊕so(2) commutes; two rotations sharing an axis do not close", () => {
    expect(closure(trueAlgebra("so2xso2", 4), 4).residual).toBe(0);
    const open = [planeRotation(3, 0, 1), planeRotation(3, 0, 2)];
    expect(closure(open, 3).residual).toBeCloseTo(frobNorm(commutator(open[0], open[1], 3)), 15);
    expect(closure(open, 3).residual).toBeCloseTo(Math.SQRT1_2, 15);
  });

  it("true algebras have the right dimensions and are antisymmetric and orthonormal", () => {
    expect(trueAlgebra("so", 4).length).toBe(6);
    expect(trueAlgebra("so3in4", 4).length).toBe(3);
    expect(trueAlgebra("none", 2).length).toBe(0);
    expect(closure(trueAlgebra("so", 5), 5).residual).toBeLessThan(1e-15);
  });

  it("measures the principal angle between spans", () => {
    const a = planeRotation(4, 0, 1);
    const b = planeRotation(4, 2, 3);
    for (const th of [0, 0.3, 1.2]) {
      const g = a.map((v, i) => Math.cos(th) * v + Math.sin(th) * b[i]);
      expect(largestPrincipalAngle([Float64Array.from(g)], [a])).toBeCloseTo(th, 7);
    }
    expect(largestPrincipalAngle([a], [a, b])).toBe(Math.PI / 2);
  });
});
