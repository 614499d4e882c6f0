import { describe, expect, it } from "vitest";
import { evaluateMetric } from "../donaldson/algebraic-metric.js";
import { sectionBasis } from "../donaldson/sections.js";
import { fubiniStudyOnX } from "../geometry/fubini-study.js";
import { omegaSquared } from "../geometry/patches.js";
import { dworkQuintic } from "../geometry/quintic.js";
import { type PointSet, type PointsView, samplePoints } from "../geometry/sample.js";
import { pointInChart, randomHermitian } from "../testing.js";
import { fubiniStudyFunctions, type MetricFunctions, meanAbsRicci, ricciScalar } from "./ricci.js";

const q = dworkQuintic({ re: 0.5, im: -0.2 });

function asPointSet(v: PointsView): PointSet {
  const g3 = new Float64Array(18);
  const omega2 = Float64Array.of(omegaSquared(v.grad, 0, v.dependent[0]));
  const detFS = Float64Array.of(fubiniStudyOnX(v.z, v.grad, 0, v.patch[0], v.dependent[0], g3));
  return {
    ...v,
    quintic: q,
    omega2,
    detFS,
    weight: omega2.map((o, i) => o / detFS[i]),
    maxResidual: 0,
    rejectedLines: 0,
  };
}

describe("Ricci scalar", () => {
  const basis = sectionBasis(q, 2);
  const metric = { basis, G: randomHermitian(basis.size, 21) };
  const algebraic: MetricFunctions = {
    eta: (ps) => evaluateMetric(metric, ps).det.map((d, i) => d / ps.omega2[i]),
    metric: (ps) => evaluateMetric(metric, ps, { metrics: true }).g as Float64Array,
  };

  it("is a scalar: the same at a point computed in different charts (algebraic and FS metrics)", () => {
    const ps = samplePoints(q, 10, 5);
    let checked = 0;
    for (let i = 0; i < 4; i++) {
      const z = ps.z.slice(10 * i, 10 * i + 10);
      const A = asPointSet(pointInChart(q, z, ps.patch[i], ps.dependent[i]));
      for (let dB = 0; dB < 5; dB++) {
        if (dB === A.patch[0] || dB === A.dependent[0]) continue;
        const B = asPointSet(pointInChart(q, z, A.patch[0], dB));
        // charts with a small |∂p/∂z_dep| have large fourth derivatives (the h² error grows);
        // sampled points always use the chart with the largest one
        const ratio =
          Math.hypot(B.grad[2 * dB], B.grad[2 * dB + 1]) /
          Math.hypot(A.grad[2 * A.dependent[0]], A.grad[2 * A.dependent[0] + 1]);
        if (ratio < 0.5) continue;
        for (const m of [algebraic, fubiniStudyFunctions]) {
          const rA = ricciScalar(m, A, 1, 3e-4)[0];
          const rB = ricciScalar(m, B, 1, 3e-4)[0];
          // central differences: truncation ~h² times fourth derivatives (measured ≤ 1e-5
          // relative at h = 3e-4 in these charts), rounding ~1e-16 log η / h² ≈ 1e-8
          expect(Math.abs(rA - rB)).toBeLessThan(1e-4 * Math.abs(rA));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(4);
  });

  it("is converged in the finite-difference step (h = 1e-3 against 2e-3: the h² error shrinks 4×)", () => {
    const ps = samplePoints(q, 10, 6);
    const r1 = ricciScalar(algebraic, ps, 10, 1e-3);
    const r2 = ricciScalar(algebraic, ps, 10, 2e-3);
    for (let i = 0; i < 10; i++) expect(Math.abs(r1[i] - r2[i])).toBeLessThan(1e-4 * Math.abs(r1[i]));
    const m = meanAbsRicci(r1, ps);
    expect(m.mean).toBeGreaterThan(0);
    expect(m.error).toBeGreaterThan(0);
  });
});
