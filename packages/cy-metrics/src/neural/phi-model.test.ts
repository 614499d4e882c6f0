import { adam } from "@physml/autodiff/optim";
import { describe, expect, it } from "vitest";
import { evaluateMetric } from "../donaldson/algebraic-metric.js";
import { sectionBasis } from "../donaldson/sections.js";
import { fubiniStudyOnX } from "../geometry/fubini-study.js";
import { dworkQuintic } from "../geometry/quintic.js";
import { samplePoints } from "../geometry/sample.js";
import { randomHermitian } from "../testing.js";
import { phiEta, phiLossAndGrad, phiMetric, phiModel } from "./phi-model.js";

describe("φ-model", () => {
  const q = dworkQuintic();

  it("with the network at zero its metric is the Fubini–Study metric on X (closed form)", () => {
    const ps = samplePoints(q, 20, 1);
    const model = phiModel([8], 1);
    const g = phiMetric(model, model.params, ps, 0, ps.n);
    const re = g.re.toFloat64Array();
    const im = g.im.toFloat64Array();
    const fs = new Float64Array(18);
    for (let i = 0; i < ps.n; i++) {
      fubiniStudyOnX(ps.z, ps.grad, 10 * i, ps.patch[i], ps.dependent[i], fs);
      const size = Math.max(...fs.map(Math.abs));
      for (let c = 0; c < 9; c++) {
        expect(Math.abs(re[9 * i + c] - fs[2 * c])).toBeLessThan(1e-12 * size);
        expect(Math.abs(im[9 * i + c] - fs[2 * c + 1])).toBeLessThan(1e-12 * size);
      }
    }
  });

  it("with a base metric and the network at zero, η is the base metric's (closed form)", () => {
    const ps = samplePoints(q, 20, 3);
    const basis = sectionBasis(q, 2);
    const metric = { basis, G: randomHermitian(basis.size, 4) };
    const { g, det } = evaluateMetric(metric, ps, { metrics: true });
    const eta = phiEta(phiModel([8], 1), ps, g);
    for (let i = 0; i < ps.n; i++) expect(eta[i] / (det[i] / ps.omega2[i])).toBeCloseTo(1, 11);
  });

  it("Adam steps on the Monge–Ampère loss lower it (Fermat, 200 points, full batch, 8 steps)", () => {
    const ps = samplePoints(q, 200, 2);
    let model = phiModel([16], 2);
    const opt = adam({ lr: 3e-3 });
    let state = opt.init(model.params);
    const losses: number[] = [];
    for (let s = 0; s < 8; s++) {
      const { loss, grads } = phiLossAndGrad(model, ps, 0, ps.n, "l2");
      losses.push(loss);
      const r = opt.step(model.params, grads, state);
      model = { mlp: model.mlp, params: r.params };
      state = r.state;
    }
    // the first step starts from K_FS exactly: its loss is the FS metric's misfit
    expect(losses[7]).toBeLessThan(0.97 * losses[0]);
  });
});
