import { random } from "@physml/autodiff";
import { describe, expect, it } from "vitest";
import { dworkQuintic, evalQuintic, linePolynomial, quinticFromTerms } from "./quintic.js";

const psi = { re: 10, im: 3 };

describe("quintic", () => {
  it("the gradient agrees with central differences (p is holomorphic)", () => {
    const q = dworkQuintic(psi);
    const z = random.normal(random.key(1), [10]).toFloat64Array();
    const val = new Float64Array(2);
    const grad = new Float64Array(10);
    const g2 = new Float64Array(10);
    const vp = new Float64Array(2);
    const vm = new Float64Array(2);
    evalQuintic(q, z, 0, val, grad);
    const h = 1e-5;
    for (let j = 0; j < 5; j++) {
      const zp = z.slice();
      const zm = z.slice();
      zp[2 * j] += h;
      zm[2 * j] -= h;
      evalQuintic(q, zp, 0, vp, g2);
      evalQuintic(q, zm, 0, vm, g2);
      // truncation error h² p'''/6 with |p'''| of order 60 |z|² |ψ|: far below 1e-6
      expect((vp[0] - vm[0]) / (2 * h)).toBeCloseTo(grad[2 * j], 5);
      expect((vp[1] - vm[1]) / (2 * h)).toBeCloseTo(grad[2 * j + 1], 5);
    }
  });

  it("the line polynomial equals p(u + t v) at sample values of t", () => {
    const q = dworkQuintic(psi);
    const g = random.normal(random.key(2), [22]).toFloat64Array();
    const u = g.subarray(0, 10);
    const v = g.subarray(10, 20);
    const a = new Float64Array(12);
    linePolynomial(q, u, v, a);
    const val = new Float64Array(2);
    const grad = new Float64Array(10);
    for (const [tr, ti] of [
      [0, 0],
      [g[20], g[21]],
      [-1.3, 0.4],
    ]) {
      const z = new Float64Array(10);
      for (let j = 0; j < 5; j++) {
        z[2 * j] = u[2 * j] + tr * v[2 * j] - ti * v[2 * j + 1];
        z[2 * j + 1] = u[2 * j + 1] + tr * v[2 * j + 1] + ti * v[2 * j];
      }
      evalQuintic(q, z, 0, val, grad);
      let pr = 0;
      let pi = 0;
      for (let d = 5; d >= 0; d--) {
        const t = pr * tr - pi * ti + a[2 * d];
        pi = pr * ti + pi * tr + a[2 * d + 1];
        pr = t;
      }
      expect(pr).toBeCloseTo(val[0], 9);
      expect(pi).toBeCloseTo(val[1], 9);
    }
  });

  it("rejects exponents that are not of degree 5", () => {
    expect(() => quinticFromTerms([{ exponents: [2, 2, 0, 0, 0], coefficient: { re: 1, im: 0 } }])).toThrow(
      /terms\[0\]\.exponents/,
    );
  });
});
