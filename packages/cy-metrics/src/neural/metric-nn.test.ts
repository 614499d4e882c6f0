import * as C from "@physml/autodiff/complex";
import { describe, expect, it } from "vitest";
import { fubiniStudyOnX } from "../geometry/fubini-study.js";
import { dworkQuintic } from "../geometry/quintic.js";
import { samplePoints } from "../geometry/sample.js";
import { perturbed } from "../testing.js";
import { type MetricNn, metricNn, metricNnAt } from "./metric-nn.js";
import { chartSelectors, coordinateTensor, pullbackOf, pullbackTensor } from "./point-tensors.js";

const q = dworkQuintic({ re: 0.3, im: 0.2 });
const ps = samplePoints(q, 60, 5);

describe("additive and multiplicative metric models", () => {
  it("start as the pulled-back Fubini–Study metric (its closed form in geometry/)", () => {
    const fs = new Float64Array(18);
    for (const kind of ["add", "mult"] as const) {
      const m = metricNn(kind, [8], 1);
      const g = metricNnAt(m, m.params, q, ps, 0, ps.n);
      const re = C.real(g).toFloat64Array();
      const im = C.imag(g).toFloat64Array();
      for (let i = 0; i < ps.n; i++) {
        fubiniStudyOnX(ps.z, ps.grad, 10 * i, ps.patch[i], ps.dependent[i], fs);
        const size = Math.max(...fs.map(Math.abs));
        for (let e = 0; e < 9; e++) {
          expect(Math.abs(re[9 * i + e] - fs[2 * e])).toBeLessThan(1e-14 * size);
          expect(Math.abs(im[9 * i + e] - fs[2 * e + 1])).toBeLessThan(1e-14 * size);
        }
      }
    }
  });

  it("the differentiable pull-back equals the numeric one at the points", () => {
    const P = pullbackOf(q, chartSelectors(ps, 0, ps.n), coordinateTensor(ps, 0, ps.n));
    const N = pullbackTensor(ps, 0, ps.n);
    const d = C.abs(C.sub(P, N)).toFloat64Array();
    expect(Math.max(...d)).toBeLessThan(1e-13);
  });

  it("give Hermitian metrics, additive g = g_FS + H and multiplicative g = g_FS ∘ (1 + H) with the same H", () => {
    const add = perturbed(metricNn("add", [8], 2), 0.05, 1);
    const mult: MetricNn = { ...add, kind: "mult" };
    const fs = metricNn("add", [8], 2);
    const gFS = metricNnAt(fs, fs.params, q, ps, 0, ps.n);
    const gA = metricNnAt(add, add.params, q, ps, 0, ps.n);
    const gM = metricNnAt(mult, mult.params, q, ps, 0, ps.n);
    const H = C.sub(gA, gFS);
    const herm = (g: C.ComplexTensor) => Math.max(...C.abs(C.sub(g, C.mH(g))).toFloat64Array());
    expect(herm(gA)).toBeLessThan(1e-15);
    expect(herm(gM)).toBeLessThan(1e-15);
    expect(Math.max(...C.abs(H).toFloat64Array())).toBeGreaterThan(1e-3);
    const expected = C.mul(gFS, C.add(H, 1));
    expect(Math.max(...C.abs(C.sub(gM, expected)).toFloat64Array())).toBeLessThan(1e-14);
  });
});
