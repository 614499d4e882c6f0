import { describe, expect, it } from "vitest";
import type { Complex } from "../complex.js";
import { atConifold, CONIFOLD_TOLERANCE, conifoldDistance, conifoldNote } from "./conifold.js";
import { dworkQuintic, evalQuintic } from "./quintic.js";

const root = (m: number): Complex => ({
  re: Math.cos((2 * Math.PI * m) / 5),
  im: Math.sin((2 * Math.PI * m) / 5),
});

/** max(|p(z)|, |∇p(z)|) of the Dwork quintic at ψ. */
function singularity(psi: Complex, z: Float64Array): number {
  const value = new Float64Array(2);
  const grad = new Float64Array(10);
  evalQuintic(dworkQuintic(psi), z, 0, value, grad);
  return Math.max(
    Math.hypot(value[0], value[1]),
    ...[0, 1, 2, 3, 4].map((j) => Math.hypot(grad[2 * j], grad[2 * j + 1])),
  );
}

describe("the conifold of the Dwork family", () => {
  it("is every fifth root of unity: each has a node at (1, 1, 1, 1, 1/ψ), where p and ∇p vanish", () => {
    for (let m = 0; m < 5; m++) {
      const psi = root(m);
      expect(conifoldDistance(psi), String(m)).toBeLessThan(1e-14);
      expect(atConifold(psi)).toBe(true);
      // z_i⁵ = 1 and Π z = 1/ψ: p = 5 − 5ψ/ψ = 0 and ∂_i p = (5/z_i)(z_i⁵ − ψ Π z) = 0
      const z = Float64Array.from([1, 0, 1, 0, 1, 0, 1, 0, psi.re, -psi.im]);
      expect(singularity(psi, z), String(m)).toBeLessThan(1e-13);
      // the same point is regular on a smooth member
      expect(singularity({ re: 0, im: 0 }, z)).toBeGreaterThan(1);
    }
  });

  it("is not ψ = 0, 10+3i or a ψ off a root by 1e-4; a root typed to 6 decimals is", () => {
    expect(conifoldDistance({ re: 0, im: 0 })).toBe(1);
    for (const psi of [
      { re: 0, im: 0 },
      { re: 10, im: 3 },
      { re: 1 + 1e-4, im: 0 },
    ]) {
      expect(atConifold(psi), JSON.stringify(psi)).toBe(false);
      expect(conifoldNote(psi)).toBeUndefined();
    }
    // |(1 + δ)⁵ − 1| = 5δ to first order
    expect(conifoldDistance({ re: 1 + 1e-4, im: 0 })).toBeCloseTo(5e-4, 6);
    const typed = { re: 0.309017, im: 0.951057 };
    expect(conifoldDistance(typed)).toBeLessThan(CONIFOLD_TOLERANCE);
    expect(conifoldNote(typed)).toMatch(
      /^ψ⁵ = 1 to within 1e-5: this quintic is the conifold, with 125 nodes/,
    );
  });
});
