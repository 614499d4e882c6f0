import { describe, expect, it } from "vitest";
import { dworkQuintic } from "../geometry/quintic.js";
import { samplePoints } from "../geometry/sample.js";
import { leadingMonomial, sectionBasis, sectionRows } from "./sections.js";

describe("sectionBasis", () => {
  it("has C(k+4,4) − C(k−1,4) sections: 5, 15, 35, 70, 125, 205 for k = 1…6", () => {
    for (const q of [dworkQuintic(), dworkQuintic({ re: 10, im: 3 })]) {
      expect([1, 2, 3, 4, 5, 6].map((k) => sectionBasis(q, k).size)).toEqual([5, 15, 35, 70, 125, 205]);
      expect(leadingMonomial(q)).toEqual([5, 0, 0, 0, 0]);
      const b = sectionBasis(q, 6);
      for (let a = 0; a < b.size; a++) expect(b.exponents[5 * a]).toBeLessThan(5);
    }
  });

  it("derivative rows agree with central differences of the section rows", () => {
    const q = dworkQuintic({ re: 10, im: 3 });
    const ps = samplePoints(q, 10, 2);
    const basis = sectionBasis(q, 3);
    const N = basis.size;
    const rows = new Float64Array(5 * 2 * N);
    sectionRows(basis, ps, 0, 1, true, rows);
    const h = 1e-6;
    let c = 0;
    for (let j = 0; j < 5; j++) {
      if (j === ps.patch[0]) continue;
      c++;
      const plus = { ...ps, z: ps.z.slice() };
      const minus = { ...ps, z: ps.z.slice() };
      plus.z[2 * j] += h;
      minus.z[2 * j] -= h;
      const rp = new Float64Array(2 * N);
      const rm = new Float64Array(2 * N);
      sectionRows(basis, plus, 0, 1, false, rp);
      sectionRows(basis, minus, 0, 1, false, rm);
      for (let q2 = 0; q2 < 2 * N; q2++) {
        expect((rp[q2] - rm[q2]) / (2 * h)).toBeCloseTo(rows[c * 2 * N + q2], 7);
      }
    }
  });
});
