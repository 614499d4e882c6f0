import { describe, expect, it } from "vitest";
import { volumes } from "../eval/volumes.js";
import { dworkQuintic, evalQuintic } from "./quintic.js";
import { samplePoints } from "./sample.js";

describe("samplePoints", () => {
  const q = dworkQuintic({ re: 10, im: 3 });
  const ps = samplePoints(q, 2000, 7);

  it("puts every point on the quintic: relative residual |p(z)|/Σ|c z^e| near rounding level", () => {
    const val = new Float64Array(2);
    const grad = new Float64Array(10);
    const scale = new Float64Array(1);
    for (let i = 0; i < ps.n; i++) {
      evalQuintic(q, ps.z, 10 * i, val, grad, scale);
      expect(Math.hypot(val[0], val[1]) / scale[0]).toBeLessThan(1e-12);
    }
    expect(ps.maxResidual).toBeLessThan(1e-12);
  });

  it("finds 5 distinct points per line, all on the line through the first two", () => {
    for (let l = 0; l < ps.n / 5; l++) {
      // distinct in P⁴: no two normalised points coincide
      for (let a = 0; a < 5; a++) {
        for (let b = a + 1; b < 5; b++) {
          const i = 5 * l + a;
          const j = 5 * l + b;
          let d = ps.patch[i] === ps.patch[j] ? 0 : 1;
          for (let c = 0; c < 10; c++) d += Math.abs(ps.z[10 * i + c] - ps.z[10 * j + c]);
          expect(d).toBeGreaterThan(1e-8);
        }
      }
      // collinear in C⁵: the 5 homogeneous vectors span a 2-dimensional space, so every 3×3
      // minor of the 5×3 matrix (z_a, z_b, z_c) vanishes; check one minor per triple
      const z = (k: number, j: number) => [
        ps.z[10 * (5 * l + k) + 2 * j],
        ps.z[10 * (5 * l + k) + 2 * j + 1],
      ];
      const mul = (x: number[], y: number[]) => [x[0] * y[0] - x[1] * y[1], x[0] * y[1] + x[1] * y[0]];
      for (const [a, b, c] of [
        [0, 1, 2],
        [0, 3, 4],
      ]) {
        // det over coordinates (0, 1, 2)
        const m = (r: number, k: number) => z([a, b, c][k], r);
        const t1 = mul(m(0, 0), mul(m(1, 1), m(2, 2)));
        const t2 = mul(m(0, 0), mul(m(1, 2), m(2, 1)));
        const t3 = mul(m(0, 1), mul(m(1, 0), m(2, 2)));
        const t4 = mul(m(0, 1), mul(m(1, 2), m(2, 0)));
        const t5 = mul(m(0, 2), mul(m(1, 0), m(2, 1)));
        const t6 = mul(m(0, 2), mul(m(1, 1), m(2, 0)));
        const re = t1[0] - t2[0] - t3[0] + t4[0] + t5[0] - t6[0];
        const im = t1[1] - t2[1] - t3[1] + t4[1] + t5[1] - t6[1];
        expect(Math.hypot(re, im)).toBeLessThan(1e-12);
      }
    }
  });

  it("normalises by the largest coordinate and picks the largest gradient as dependent", () => {
    for (let i = 0; i < ps.n; i++) {
      const p = ps.patch[i];
      expect(ps.z[10 * i + 2 * p]).toBe(1);
      expect(ps.z[10 * i + 2 * p + 1]).toBe(0);
      const g2 = (j: number) => ps.grad[10 * i + 2 * j] ** 2 + ps.grad[10 * i + 2 * j + 1] ** 2;
      for (let j = 0; j < 5; j++) {
        expect(Math.hypot(ps.z[10 * i + 2 * j], ps.z[10 * i + 2 * j + 1])).toBeLessThanOrEqual(1 + 1e-15);
        if (j !== p) expect(g2(j)).toBeLessThanOrEqual(g2(ps.dependent[i]));
      }
      expect(ps.dependent[i]).not.toBe(p);
    }
  });

  it("is deterministic in the seed", () => {
    const again = samplePoints(q, 2000, 7);
    expect(again.z).toEqual(ps.z);
    expect(samplePoints(q, 2000, 8).z).not.toEqual(ps.z);
  });

  it("Fermat: the FS distribution is permutation symmetric, E[|z_j|²/|z|²] = 1/5 within errors", () => {
    const f = samplePoints(dworkQuintic(), 10000, 11);
    for (let j = 0; j < 5; j++) {
      const x = new Float64Array(f.n / 5);
      for (let i = 0; i < f.n; i++) {
        let s = 0;
        for (let c = 0; c < 5; c++) s += f.z[10 * i + 2 * c] ** 2 + f.z[10 * i + 2 * c + 1] ** 2;
        x[Math.floor(i / 5)] += (f.z[10 * i + 2 * j] ** 2 + f.z[10 * i + 2 * j + 1] ** 2) / s / 5;
      }
      let m = 0;
      for (const v of x) m += v;
      m /= x.length;
      let v2 = 0;
      for (const v of x) v2 += (v - m) ** 2;
      const err = Math.sqrt(v2 / (x.length - 1) / x.length);
      expect(Math.abs(m - 0.2)).toBeLessThan(4 * err);
    }
    const vol = volumes(f);
    expect(vol.volCY.error / vol.volCY.mean).toBeLessThan(0.015);
    expect(vol.kappa.mean * vol.volCY.mean).toBeCloseTo(5, 12);
  });
});
