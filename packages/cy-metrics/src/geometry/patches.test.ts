import { describe, expect, it } from "vitest";
import { hermitianDet3 } from "../complex.js";
import { pointInChart, transformMetric } from "../testing.js";
import { ambientFubiniStudy, fubiniStudyOnX } from "./fubini-study.js";
import { omegaSquared, transitionJacobian } from "./patches.js";
import { dworkQuintic } from "./quintic.js";
import { samplePoints } from "./sample.js";

describe("Fubini–Study metric and patches", () => {
  it("ambient FS metric matches its closed-form determinant π⁻⁴ / (Σ|z|²)⁵", () => {
    const ps = samplePoints(dworkQuintic(), 200, 3);
    const g = new Float64Array(32);
    for (let i = 0; i < ps.n; i++) {
      ambientFubiniStudy(ps.z, 10 * i, ps.patch[i], g);
      let S = 0;
      for (let j = 0; j < 5; j++) S += ps.z[10 * i + 2 * j] ** 2 + ps.z[10 * i + 2 * j + 1] ** 2;
      // 4×4 complex determinant via the real 8×8 embedding: det_R = |det_C|² = det_C² here
      const m = 8;
      const A = new Float64Array(64);
      for (let a = 0; a < 4; a++) {
        for (let b = 0; b < 4; b++) {
          const re = g[2 * (4 * a + b)];
          const im = g[2 * (4 * a + b) + 1];
          A[a * m + b] = re;
          A[(a + 4) * m + b + 4] = re;
          A[(a + 4) * m + b] = im;
          A[a * m + b + 4] = -im;
        }
      }
      let det = 1;
      for (let c = 0; c < m; c++) {
        let p = c;
        for (let r = c + 1; r < m; r++) if (Math.abs(A[r * m + c]) > Math.abs(A[p * m + c])) p = r;
        if (p !== c) {
          for (let k = 0; k < m; k++) [A[c * m + k], A[p * m + k]] = [A[p * m + k], A[c * m + k]];
          det = -det;
        }
        det *= A[c * m + c];
        for (let r = c + 1; r < m; r++) {
          const f = A[r * m + c] / A[c * m + c];
          for (let k = c; k < m; k++) A[r * m + k] -= f * A[c * m + k];
        }
      }
      const closed = 1 / (Math.PI ** 4 * S ** 5);
      expect(Math.sqrt(det) / closed).toBeCloseTo(1, 12);
    }
  });

  it("transition functions: g_FS and |Ω|² transform as tensors between any two charts", () => {
    const q = dworkQuintic({ re: 10, im: 3 });
    const ps = samplePoints(q, 100, 5);
    const gA = new Float64Array(18);
    const gB = new Float64Array(18);
    const J = new Float64Array(18);
    let checked = 0;
    for (let i = 0; i < ps.n; i++) {
      const zA = ps.z.slice(10 * i, 10 * i + 10);
      const A = pointInChart(q, zA, ps.patch[i], ps.dependent[i]);
      for (let pB = 0; pB < 5; pB++) {
        for (let dB = 0; dB < 5; dB++) {
          if (dB === pB || Math.hypot(zA[2 * pB], zA[2 * pB + 1]) < 0.3) continue;
          const B = pointInChart(q, zA, pB, 0);
          if (Math.hypot(B.grad[2 * dB], B.grad[2 * dB + 1]) < 0.3) continue;
          const chartA = { patch: ps.patch[i], dep: ps.dependent[i] };
          const detA = fubiniStudyOnX(A.z, A.grad, 0, chartA.patch, chartA.dep, gA);
          const detB = fubiniStudyOnX(B.z, B.grad, 0, pB, dB, gB);
          transitionJacobian(A.z, A.grad, chartA, { patch: pB, dep: dB }, J);
          const back = transformMetric(J, gB);
          const size = Math.max(...gA.map(Math.abs));
          for (let c = 0; c < 18; c++) expect(Math.abs(back[c] - gA[c])).toBeLessThan(1e-11 * size);
          // |Ω|²/det g is a global function: the MC weight does not depend on the chart
          const wA = omegaSquared(A.grad, 0, chartA.dep) / detA;
          const wB = omegaSquared(B.grad, 0, dB) / detB;
          // (non-optimal charts with |z_pB|, |∂p/∂z_dB| down to 0.3 amplify rounding ~10⁴-fold)
          expect(wA / wB).toBeCloseTo(1, 8);
          expect(hermitianDet3(back) / detA).toBeCloseTo(1, 8);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(300);
  });
});
