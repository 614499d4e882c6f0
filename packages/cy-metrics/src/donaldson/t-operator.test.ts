import { describe, expect, it } from "vitest";
import { identity, multiply } from "../complex.js";
import { lineMeans } from "../eval/volumes.js";
import { dworkQuintic } from "../geometry/quintic.js";
import { samplePoints } from "../geometry/sample.js";
import { randomHermitian } from "../testing.js";
import { donaldson, fubiniStudySigma, sigma } from "./balance.js";
import { sectionBasis, sectionRows } from "./sections.js";
import { donaldsonStep, tOperator } from "./t-operator.js";

describe("T-operator", () => {
  it("tr(G T(G)) = N for any G, and T(cG) = T(G)/c", () => {
    const q = dworkQuintic({ re: 10, im: 3 });
    const ps = samplePoints(q, 500, 1);
    const basis = sectionBasis(q, 2);
    const G = randomHermitian(basis.size, 3);
    const T = tOperator(basis, G, ps);
    const GT = multiply(G, T);
    let tr = 0;
    let trIm = 0;
    for (let i = 0; i < basis.size; i++) {
      tr += GT.re[i * basis.size + i];
      trIm += GT.im[i * basis.size + i];
    }
    expect(tr).toBeCloseTo(basis.size, 10);
    expect(trIm).toBeCloseTo(0, 10);
    const T3 = tOperator(basis, { n: G.n, re: G.re.map((x) => 3 * x), im: G.im.map((x) => 3 * x) }, ps);
    for (let i = 0; i < T.re.length; i++) expect(3 * T3.re[i]).toBeCloseTo(T.re[i], 12);
  });

  it("Fermat, k = 1: G = 1 is balanced (T(1) = 1 within Monte Carlo errors, by the S₅ ⋉ Z₅⁴ symmetry)", () => {
    const q = dworkQuintic();
    const ps = samplePoints(q, 10000, 2);
    const basis = sectionBasis(q, 1);
    const T = tOperator(basis, identity(5), ps);
    // per-point integrand N w s̄_α s_β / D / mean(w): its line means give the error of each entry
    const rows = new Float64Array(ps.n * 10);
    sectionRows(basis, ps, 0, ps.n, false, rows);
    let wMean = 0;
    for (const w of ps.weight) wMean += w / ps.n;
    for (let a = 0; a < 5; a++) {
      for (let b = 0; b < 5; b++) {
        const fr = new Float64Array(ps.n);
        for (let i = 0; i < ps.n; i++) {
          const r = rows.subarray(10 * i, 10 * i + 10);
          let D = 0;
          for (let c = 0; c < 5; c++) D += r[c] ** 2 + r[5 + c] ** 2;
          fr[i] = (5 * ps.weight[i] * (r[a] * r[b] + r[5 + a] * r[5 + b])) / D / wMean;
        }
        const m = lineMeans(fr, ps.n);
        let mu = 0;
        for (const v of m) mu += v / m.length;
        let v2 = 0;
        for (const v of m) v2 += (v - mu) ** 2;
        const err = Math.sqrt(v2 / (m.length - 1) / m.length);
        expect(Math.abs(T.re[5 * a + b] - (a === b ? 1 : 0))).toBeLessThan(4 * err + 1e-12);
      }
    }
  });

  it("iterating on fixed points converges geometrically to a fixed point G = T(G)⁻¹", () => {
    const q = dworkQuintic({ re: 10, im: 3 });
    const ps = samplePoints(q, 2000, 3);
    const basis = sectionBasis(q, 2);
    const changes: number[] = [];
    const r = donaldson(q, {
      k: 2,
      iterations: 40,
      integrationPoints: ps,
      onIteration: (i) => changes.push(i.change),
    });
    expect(changes[39]).toBeLessThan(1e-9);
    // geometric decrease until the rounding floor (~1e-15) is reached
    for (let i = 5; i < 40 && changes[i] > 1e-13; i += 5)
      expect(changes[i]).toBeLessThan(0.5 * changes[i - 5]);
    const G = r.metric.G;
    const TG = multiply(tOperator(basis, G, ps), G);
    for (let i = 0; i < basis.size; i++) {
      for (let j = 0; j < basis.size; j++) {
        expect(TG.re[i * basis.size + j]).toBeCloseTo(i === j ? 1 : 0, 8);
        expect(TG.im[i * basis.size + j]).toBeCloseTo(0, 8);
      }
    }
    const again = donaldsonStep(basis, G, ps);
    for (let i = 0; i < G.re.length; i++) expect(again.re[i]).toBeCloseTo(G.re[i], 7);
  });

  it("σ decreases monotonically in k = 1, 2, 3 (Fermat, 4000 integration and 4000 held-out points)", () => {
    const q = dworkQuintic();
    const test = samplePoints(q, 4000, 100);
    const s = [1, 2, 3].map((k) => sigma(donaldson(q, { k, points: 4000, seed: 5 }).metric, test));
    const fs = fubiniStudySigma(test);
    // k = 1 balanced is Fubini–Study by symmetry: same σ within its error
    expect(Math.abs(s[0].mean - fs.mean)).toBeLessThan(3 * fs.error);
    for (let k = 1; k < 3; k++) {
      const gap = s[k - 1].mean - s[k].mean;
      expect(gap).toBeGreaterThan(3 * Math.hypot(s[k - 1].error, s[k].error));
    }
  });
});
