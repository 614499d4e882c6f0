import { describe, expect, it } from "vitest";
import { evaluateMetric } from "../donaldson/algebraic-metric.js";
import { sectionBasis } from "../donaldson/sections.js";
import { sigmaFromEta } from "../eval/sigma.js";
import { dworkQuintic } from "../geometry/quintic.js";
import { samplePoints } from "../geometry/sample.js";
import { randomHermitian } from "../testing.js";
import { algebraicLossGrad } from "./algebraic-grad.js";
import { etaLoss } from "./eta-loss.js";
import { entryCount, learnedH, learnedHGradient, learnedHMatrix, learnedHMetric } from "./learned-h.js";
import { allowedEntries, phaseSymmetries } from "./phase-symmetry.js";

describe("learned-H model", () => {
  const q = dworkQuintic({ re: 0.3, im: 0.1 });
  const ps = samplePoints(q, 60, 3);

  it("forward: η equals the closed-form algebraic metric's det g/|Ω|², and l1 equals σ", () => {
    const basis = sectionBasis(q, 2);
    const metric = { basis, G: randomHermitian(basis.size, 5) };
    const { det } = evaluateMetric(metric, ps);
    const { eta, loss } = algebraicLossGrad(metric, ps, 0, ps.n, "l1");
    for (let i = 0; i < ps.n; i++) expect(eta[i] / (det[i] / ps.omega2[i])).toBeCloseTo(1, 11);
    expect(loss).toBeCloseTo(sigmaFromEta(eta, ps.weight).mean, 13);
  });

  for (const kind of ["l2", "l1"] as const) {
    it(`${kind}: the parameter gradient matches central differences of the loss`, () => {
      const basis = sectionBasis(q, 2);
      const model = learnedH(q, { basis, G: randomHermitian(basis.size, 6) }, false);
      const P = entryCount(model);
      const loss = (y: Float64Array) =>
        algebraicLossGrad({ basis, G: learnedHMatrix(model, y) }, ps, 0, ps.n, kind).loss;
      const { Z } = algebraicLossGrad(learnedHMetric(model), ps, 0, ps.n, kind);
      const grad = new Float64Array(2 * P);
      learnedHGradient(model, Z, grad);
      // a random direction over all parameters (imaginary parts of the diagonal stay 0)
      const dir = new Float64Array(2 * P);
      for (let e = 0; e < 2 * P; e++) {
        const diagIm = e >= P && model.entries[2 * (e - P)] === model.entries[2 * (e - P) + 1];
        dir[e] = diagIm ? 0 : Math.sin(7.1 * e + 1);
      }
      const h = 1e-6;
      const plus = model.y.map((v, e) => v + h * dir[e]);
      const minus = model.y.map((v, e) => v - h * dir[e]);
      const fd = (loss(plus) - loss(minus)) / (2 * h);
      const an = grad.reduce((s, g, e) => s + g * dir[e], 0);
      // central differences: O(h²) truncation and ~1e-16/h rounding; l1 is smooth away from the
      // kinks |1 − rη| = 0, which a random point set misses almost surely
      expect(Math.abs(fd - an)).toBeLessThan(1e-6 * Math.max(1, Math.abs(an)));
    });
  }

  it("l2 derivative by η matches central differences", () => {
    const eta = Float64Array.from({ length: 7 }, (_, i) => 1 + 0.3 * Math.sin(i));
    const w = Float64Array.from({ length: 7 }, (_, i) => 1 + 0.5 * Math.cos(2 * i));
    const g = new Float64Array(7);
    etaLoss("l2", eta, w, g);
    const scratch = new Float64Array(7);
    for (let p = 0; p < 7; p++) {
      const up = eta.slice();
      const dn = eta.slice();
      up[p] += 1e-6;
      dn[p] -= 1e-6;
      const fd = (etaLoss("l2", up, w, scratch) - etaLoss("l2", dn, w, scratch)) / 2e-6;
      expect(fd).toBeCloseTo(g[p], 8);
    }
  });

  it("phase symmetries: all 5⁵ rotations for Fermat, the 5⁴ with Σa ≡ 0 for Dwork ψ ≠ 0", () => {
    expect(phaseSymmetries(dworkQuintic())).toHaveLength(3125);
    const dwork = phaseSymmetries(q);
    expect(dwork).toHaveLength(625);
    for (const a of dwork) expect(a.reduce((s, x) => s + x, 0) % 5).toBe(0);
  });

  it("Fermat: the allowed entries at k = 2 are the diagonal; at k = 5 pairs like (z₁⁵, z₂⁵) join", () => {
    // a·(α − β) ≡ 0 (mod 5) for all a ∈ Z₅⁵ means α ≡ β (mod 5) entrywise: impossible for distinct
    // degree-2 monomials, but z_i⁵ and z_j⁵ (i, j ≥ 1; z₀⁵ is not a section) differ by 5(e_i − e_j)
    const fermat = dworkQuintic();
    const basis = sectionBasis(fermat, 2);
    const e = allowedEntries(fermat, basis);
    expect(e.length / 2).toBe(basis.size);
    for (let i = 0; i < e.length; i += 2) expect(e[i]).toBe(e[i + 1]);
    const b5 = sectionBasis(fermat, 5);
    const e5 = allowedEntries(fermat, b5);
    expect(e5.length / 2).toBeGreaterThan(b5.size);
  });
});
