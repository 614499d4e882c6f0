import { describe, expect, it } from "vitest";
import { identity } from "../complex.js";
import { fubiniStudyOnX } from "../geometry/fubini-study.js";
import { omegaSquared, transitionJacobian } from "../geometry/patches.js";
import { dworkQuintic } from "../geometry/quintic.js";
import { samplePoints } from "../geometry/sample.js";
import { pointInChart, randomHermitian, shiftAlongX, transformMetric } from "../testing.js";
import { evaluateMetric, kahlerPotential } from "./algebraic-metric.js";
import { sectionBasis } from "./sections.js";

const q = dworkQuintic({ re: 10, im: 3 });
const ps = samplePoints(q, 40, 4);

const multinomial = (e: ArrayLike<number>) => {
  const f = (n: number): number => (n <= 1 ? 1 : n * f(n - 1));
  let k = 0;
  let d = 1;
  for (let j = 0; j < 5; j++) {
    k += e[j];
    d *= f(e[j]);
  }
  return f(k) / d;
};

describe("algebraic metric", () => {
  it("equals the Fubini–Study metric's closed form for G = diag(k!/Πe_j!) (k = 1, 2, 3)", () => {
    const fs = new Float64Array(18);
    for (const k of [1, 2, 3]) {
      const basis = sectionBasis(q, k);
      const G = identity(basis.size);
      // Σ_e (k!/e!) |z^e|² = (Σ|z|²)^k, so K = (1/πk) log D = K_FS
      for (let a = 0; a < basis.size; a++)
        G.re[a * basis.size + a] = multinomial(basis.exponents.subarray(5 * a, 5 * a + 5));
      const { g, det } = evaluateMetric({ basis, G }, ps, { metrics: true });
      for (let i = 0; i < ps.n; i++) {
        const d = fubiniStudyOnX(ps.z, ps.grad, 10 * i, ps.patch[i], ps.dependent[i], fs);
        const size = Math.max(...fs.map(Math.abs));
        for (let c = 0; c < 18; c++)
          expect(Math.abs((g as Float64Array)[18 * i + c] - fs[c])).toBeLessThan(1e-13 * size);
        expect(det[i] / d).toBeCloseTo(1, 11);
      }
    }
  });

  it("is Kähler: the ambient metric is ∂∂̄K (finite differences of the potential)", () => {
    const basis = sectionBasis(q, 2);
    const metric = { basis, G: randomHermitian(basis.size, 9) };
    const { ambient } = evaluateMetric(metric, ps, { metrics: true });
    const h = 1e-4;
    for (let i = 0; i < 5; i++) {
      const amb = [0, 1, 2, 3, 4].filter((j) => j !== ps.patch[i]);
      const K = (shifts: [number, number, number][]) => {
        const z = ps.z.slice(10 * i, 10 * i + 10);
        for (const [c, dr, di] of shifts) {
          z[2 * amb[c]] += dr;
          z[2 * amb[c] + 1] += di;
        }
        return kahlerPotential(metric, {
          n: 1,
          z,
          grad: z,
          patch: ps.patch.slice(i, i + 1),
          dependent: ps.dependent.slice(i, i + 1),
        })[0];
      };
      // ∂_a∂̄_b K = ¼ [(∂xa∂xb + ∂ya∂yb) + i(∂xa∂yb − ∂ya∂xb)] K by central second differences
      const d2 = (a: number, ia: number, b: number, ib: number) => {
        const s = (sa: number, sb: number) =>
          K([
            [a, ia ? 0 : sa * h, ia ? sa * h : 0],
            [b, ib ? 0 : sb * h, ib ? sb * h : 0],
          ]);
        return (s(1, 1) - s(1, -1) - s(-1, 1) + s(-1, -1)) / (4 * h * h);
      };
      const g = (ambient as Float64Array).subarray(32 * i, 32 * i + 32);
      const size = Math.max(...g.map(Math.abs));
      for (let a = 0; a < 4; a++) {
        for (let b = 0; b < 4; b++) {
          const re = 0.25 * (d2(a, 0, b, 0) + d2(a, 1, b, 1));
          const im = 0.25 * (d2(a, 0, b, 1) - d2(a, 1, b, 0));
          // truncation h² K⁗ and rounding ε K / h² are both ≈ 1e-8 here
          expect(Math.abs(re - g[2 * (4 * a + b)])).toBeLessThan(1e-6 * size);
          expect(Math.abs(im - g[2 * (4 * a + b) + 1])).toBeLessThan(1e-6 * size);
        }
      }
    }
  });

  it("is Kähler on X: c_ijk = ∂_k g_ij̄ − ∂_i g_kj̄ vanishes (finite differences along X)", () => {
    const basis = sectionBasis(q, 3);
    const metric = { basis, G: randomHermitian(basis.size, 10) };
    const h = 1e-5;
    for (let i = 0; i < 5; i++) {
      const base = pointInChart(q, ps.z.slice(10 * i, 10 * i + 10), ps.patch[i], ps.dependent[i]);
      // dg[k] = ∂_k g (3×3 interleaved) = ½(∂_x − i∂_y) g
      const dg = [0, 1, 2].map((k) => {
        const gAt = (hr: number, hi: number) =>
          evaluateMetric(metric, shiftAlongX(q, base, k, [hr, hi]), { metrics: true }).g as Float64Array;
        const [xp, xm, yp, ym] = [gAt(h, 0), gAt(-h, 0), gAt(0, h), gAt(0, -h)];
        const out = new Float64Array(18);
        for (let c = 0; c < 9; c++) {
          const dxr = (xp[2 * c] - xm[2 * c]) / (2 * h);
          const dxi = (xp[2 * c + 1] - xm[2 * c + 1]) / (2 * h);
          const dyr = (yp[2 * c] - ym[2 * c]) / (2 * h);
          const dyi = (yp[2 * c + 1] - ym[2 * c + 1]) / (2 * h);
          out[2 * c] = 0.5 * (dxr + dyi);
          out[2 * c + 1] = 0.5 * (dxi - dyr);
        }
        return out;
      });
      const size = Math.max(...dg.flatMap((d) => [...d].map(Math.abs)));
      expect(size).toBeGreaterThan(1e-3);
      for (let a = 0; a < 3; a++) {
        for (let b = 0; b < 3; b++) {
          for (let k = 0; k < 3; k++) {
            const re = dg[k][2 * (3 * a + b)] - dg[a][2 * (3 * k + b)];
            const im = dg[k][2 * (3 * a + b) + 1] - dg[a][2 * (3 * k + b) + 1];
            expect(Math.hypot(re, im)).toBeLessThan(1e-6 * size);
          }
        }
      }
    }
  });

  it("transforms as a tensor between charts, and det g/|Ω|² is chart independent", () => {
    const basis = sectionBasis(q, 3);
    const metric = { basis, G: randomHermitian(basis.size, 11) };
    const J = new Float64Array(18);
    let checked = 0;
    for (let i = 0; i < 15; i++) {
      const z = ps.z.slice(10 * i, 10 * i + 10);
      const A = pointInChart(q, z, ps.patch[i], ps.dependent[i]);
      const gA = evaluateMetric(metric, A, { metrics: true }).g as Float64Array;
      for (let pB = 0; pB < 5; pB++) {
        for (let dB = 0; dB < 5; dB++) {
          if (dB === pB || Math.hypot(z[2 * pB], z[2 * pB + 1]) < 0.3) continue;
          const B = pointInChart(q, z, pB, dB);
          if (Math.hypot(B.grad[2 * dB], B.grad[2 * dB + 1]) < 0.3) continue;
          const mB = evaluateMetric(metric, B, { metrics: true });
          const gB = mB.g as Float64Array;
          transitionJacobian(
            A.z,
            A.grad,
            { patch: A.patch[0], dep: A.dependent[0] },
            { patch: pB, dep: dB },
            J,
          );
          const size = Math.max(...gA.map(Math.abs));
          const back = transformMetric(J, gB);
          for (let c = 0; c < 18; c++) expect(Math.abs(back[c] - gA[c])).toBeLessThan(1e-10 * size);
          const detA = evaluateMetric(metric, A).det[0];
          const etaA = detA / omegaSquared(A.grad, 0, A.dependent[0]);
          const etaB = mB.det[0] / omegaSquared(B.grad, 0, dB);
          expect(etaA / etaB).toBeCloseTo(1, 8);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
  });
});
