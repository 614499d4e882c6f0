import { describe, expect, it } from "vitest";
import { fubiniStudyOnX } from "../geometry/fubini-study.js";
import { dworkQuintic } from "../geometry/quintic.js";
import { samplePoints } from "../geometry/sample.js";
import { phiMetric, phiModel, phiStep, phiTrainer } from "./phi-model.js";

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

  it("Adam steps on the Monge–Ampère loss lower it (Fermat, 200 points, full batch, 8 steps)", () => {
    const ps = samplePoints(q, 200, 2);
    const trainer = phiTrainer(phiModel([16], 2), ps, 3e-3);
    const losses: number[] = [];
    for (let s = 0; s < 8; s++) losses.push(phiStep(trainer, ps, 0, ps.n));
    // the first step starts from K_FS exactly: its loss is the FS metric's σ-like misfit
    expect(losses[7]).toBeLessThan(0.97 * losses[0]);
  });
});
