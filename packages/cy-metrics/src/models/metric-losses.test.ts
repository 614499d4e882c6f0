import { tensor } from "@physml/autodiff";
import * as C from "@physml/autodiff/complex";
import { describe, expect, it } from "vitest";
import { evaluateMetric } from "../donaldson/algebraic-metric.js";
import { type SectionBasis, sectionBasis } from "../donaldson/sections.js";
import { fubiniStudyOnX } from "../geometry/fubini-study.js";
import { dworkQuintic, evalQuintic, type Quintic } from "../geometry/quintic.js";
import { type PointsView, samplePoints } from "../geometry/sample.js";
import { SECOND_CHART_MIN_ABS, secondCharts } from "../geometry/second-chart.js";
import { fubiniStudyFn, type MetricFn, metricNn, metricNnFn } from "../neural/metric-nn.js";
import {
  chartSelectors,
  coordinateTensor,
  matrices3,
  pullbackOf,
  pullbackTensor,
} from "../neural/point-tensors.js";
import { perturbed, randomHermitian, shiftAlongX } from "../testing.js";
import {
  kahlerLoss,
  kahlerTensor,
  metricDerivatives,
  toFirstChart,
  transitionLoss,
  volumeLoss,
} from "./metric-losses.js";

const q = dworkQuintic({ re: 0.3, im: 0.2 });
const ps = samplePoints(q, 40, 6);
const ones = (n: number) => tensor(new Float64Array(n).fill(1), [n]);

/** The algebraic metric K = (1/πk) log sᵀ G s̄ written in autodiff (ddbar), pulled back to X. */
function algebraicFn(
  q: Quintic,
  basis: SectionBasis,
  Gre: Float64Array,
  Gim: Float64Array,
  view: PointsView,
): MetricFn {
  const N = basis.size;
  const G = C.complex(tensor(Gre, [N, N]), tensor(Gim, [N, N]));
  const sel = chartSelectors(view, 0, view.n);
  const K = (z: C.ComplexTensor) => {
    const B = z.shape[0];
    const cols = [0, 1, 2, 3, 4].map((j) => C.reshape(C.slice(z, [0, j], [B, j + 1]), [B]));
    const s: C.ComplexTensor[] = [];
    for (let a = 0; a < N; a++) {
      let m: C.ComplexTensor = C.complex(tensor(new Float64Array(B).fill(1), [B]));
      for (let j = 0; j < 5; j++) for (let e = 0; e < basis.exponents[5 * a + j]; e++) m = C.mul(m, cols[j]);
      s.push(m);
    }
    const S = C.stack(s, 1); // [B, N]
    const D = C.real(C.sum(C.mul(C.matmul(S, G), C.conj(S)), 1));
    return D.log().mul(1 / (Math.PI * basis.k));
  };
  return (z) => {
    const P = pullbackOf(q, sel, z);
    return C.matmul(C.matmul(P, C.ddbar(K)(z)), C.mH(P));
  };
}

const maxAbs = (t: C.ComplexTensor) => Math.max(...C.abs(t).toFloat64Array());

describe("Kähler loss 𝓛_dJ", () => {
  it("∂_k g along X agrees with central differences along the local coordinates (a generic model)", () => {
    const model = perturbed(metricNn("add", [8, 8], 3), 0.03, 2);
    const n = 5;
    const fn = metricNnFn(model, model.params, q, chartSelectors(ps, 0, n));
    const { dg } = metricDerivatives(fn, coordinateTensor(ps, 0, n), pullbackTensor(ps, 0, n));
    const dre = C.real(dg).toFloat64Array();
    const dim = C.imag(dg).toFloat64Array();
    const h = 1e-5;
    const at = (v: PointsView) => {
      const g = metricNnFn(model, model.params, q, chartSelectors(v, 0, 1))(coordinateTensor(v, 0, 1));
      return [C.real(g).toFloat64Array(), C.imag(g).toFloat64Array()];
    };
    for (let i = 0; i < n; i++) {
      const base: PointsView = {
        n: 1,
        z: ps.z.slice(10 * i, 10 * i + 10),
        grad: ps.grad.slice(10 * i, 10 * i + 10),
        patch: ps.patch.slice(i, i + 1),
        dependent: ps.dependent.slice(i, i + 1),
      };
      for (let k = 0; k < 3; k++) {
        const [pr, pi] = at(shiftAlongX(q, base, k, [h, 0]));
        const [mr, mi] = at(shiftAlongX(q, base, k, [-h, 0]));
        const [ir, ii] = at(shiftAlongX(q, base, k, [0, h]));
        const [jr, ji] = at(shiftAlongX(q, base, k, [0, -h]));
        for (let e = 0; e < 9; e++) {
          // ∂_x = ½(∂_Re x − i ∂_Im x)
          const dxr = (pr[e] - mr[e]) / (2 * h);
          const dxi = (pi[e] - mi[e]) / (2 * h);
          const dyr = (ir[e] - jr[e]) / (2 * h);
          const dyi = (ii[e] - ji[e]) / (2 * h);
          const o = (i * 3 + k) * 9 + e;
          expect(Math.abs(dre[o] - 0.5 * (dxr + dyi))).toBeLessThan(1e-7);
          expect(Math.abs(dim[o] - 0.5 * (dxi - dyr))).toBeLessThan(1e-7);
        }
      }
    }
  });

  it("vanishes to rounding for Fubini–Study and for algebraic metrics (random G, k = 2)", () => {
    const n = 10;
    const z = coordinateTensor(ps, 0, n);
    const P = pullbackTensor(ps, 0, n);
    const fs = metricDerivatives(fubiniStudyFn(q, chartSelectors(ps, 0, n)), z, P);
    const cFS = kahlerTensor(fs.dg);
    expect(maxAbs(cFS)).toBeLessThan(1e-13 * maxAbs(fs.dg));
    expect(kahlerLoss(cFS, ones(n)).item()).toBeLessThan(1e-26);

    const basis = sectionBasis(q, 2);
    const G = randomHermitian(basis.size, 9);
    const view: PointsView = { ...ps, n };
    const alg = metricDerivatives(algebraicFn(q, basis, G.re, G.im, view), z, P);
    // the autodiff metric is the package's closed-form algebraic metric
    const closed = matrices3(evaluateMetric({ basis, G }, view, { metrics: true }).g as Float64Array, n);
    expect(maxAbs(C.sub(alg.g, closed))).toBeLessThan(1e-12 * maxAbs(closed));
    const c = kahlerTensor(alg.dg);
    expect(maxAbs(alg.dg)).toBeGreaterThan(1e-3);
    expect(maxAbs(c)).toBeLessThan(1e-12 * maxAbs(alg.dg));
  });

  it("a non-Kähler perturbation g_FS + ε|z_m|² E_00 gives c_00k = ε z̄_m P_km exactly; a generic model gives 𝓛_dJ > 0", () => {
    const n = 8;
    const eps = 0.1;
    const m = 2;
    const sel = chartSelectors(ps, 0, n);
    const fs = fubiniStudyFn(q, sel);
    const E00 = C.complex(tensor([1, 0, 0, 0, 0, 0, 0, 0, 0], [1, 3, 3]));
    const bump: MetricFn = (z) => {
      const B = z.shape[0];
      const zm = C.reshape(C.slice(z, [0, m], [B, m + 1]), [B, 1, 1]);
      return C.add(fs(z), C.mul(E00, C.abs2(zm).mul(eps)));
    };
    const P = pullbackTensor(ps, 0, n);
    const c = kahlerTensor(metricDerivatives(bump, coordinateTensor(ps, 0, n), P).dg);
    const cr = C.real(c).toFloat64Array();
    const ci = C.imag(c).toFloat64Array();
    const Pr = C.real(P).toFloat64Array();
    const Pi = C.imag(P).toFloat64Array();
    for (let p = 0; p < n; p++) {
      const zr = ps.z[10 * p + 2 * m];
      const zi = -ps.z[10 * p + 2 * m + 1];
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++)
          for (let k = 0; k < 3; k++) {
            // c_ijk = ∂_k g_ij̄ − ∂_i g_kj̄ with ∂_k(ε|z_m|²) = ε z̄_m P_km on the 00 entry only
            let er = 0;
            let ei = 0;
            const add = (a: number, sgn: number) => {
              const pr = Pr[p * 15 + 5 * a + m];
              const pi = Pi[p * 15 + 5 * a + m];
              er += sgn * eps * (zr * pr - zi * pi);
              ei += sgn * eps * (zr * pi + zi * pr);
            };
            if (i === 0 && j === 0) add(k, 1);
            if (k === 0 && j === 0) add(i, -1);
            const o = p * 27 + 9 * i + 3 * j + k;
            expect(Math.abs(cr[o] - er)).toBeLessThan(1e-13);
            expect(Math.abs(ci[o] - ei)).toBeLessThan(1e-13);
          }
    }
    const model = perturbed(metricNn("mult", [8], 4), 0.05, 1);
    const d = metricDerivatives(metricNnFn(model, model.params, q, sel), coordinateTensor(ps, 0, n), P);
    expect(kahlerLoss(kahlerTensor(d.dg), ones(n)).item()).toBeGreaterThan(1e-6);
  });
});

describe("transition loss 𝓛_T", () => {
  const n = ps.n;
  const second = secondCharts(q, ps, 0, n);
  const m = second.index.length;
  const J = matrices3(second.jacobian, m);
  const w = ones(m);

  it("second charts: the second-largest coordinate ≥ 1/2, normalised to 1, still on X", () => {
    expect(m).toBeGreaterThan(n / 4);
    const val = new Float64Array(2);
    const grad = new Float64Array(10);
    const scale = new Float64Array(1);
    for (let t = 0; t < m; t++) {
      const i = second.index[t];
      const pB = second.view.patch[t];
      expect(pB).not.toBe(ps.patch[i]);
      expect(Math.hypot(ps.z[10 * i + 2 * pB], ps.z[10 * i + 2 * pB + 1])).toBeGreaterThanOrEqual(
        SECOND_CHART_MIN_ABS,
      );
      expect(second.view.z[10 * t + 2 * pB]).toBe(1);
      evalQuintic(q, second.view.z, 10 * t, val, grad, scale);
      expect(Math.hypot(val[0], val[1]) / scale[0]).toBeLessThan(1e-12);
    }
  });

  it("the Fubini–Study closed form in the second chart transforms into the first (g^A = Jᵀ g^B J̄)", () => {
    const gA = new Float64Array(18 * m);
    const gB = new Float64Array(18 * m);
    const out = new Float64Array(18);
    for (let t = 0; t < m; t++) {
      const i = second.index[t];
      fubiniStudyOnX(ps.z, ps.grad, 10 * i, ps.patch[i], ps.dependent[i], out);
      gA.set(out, 18 * t);
      fubiniStudyOnX(
        second.view.z,
        second.view.grad,
        10 * t,
        second.view.patch[t],
        second.view.dependent[t],
        out,
      );
      gB.set(out, 18 * t);
    }
    const A = matrices3(gA, m);
    const B = matrices3(gB, m);
    expect(maxAbs(C.sub(A, toFirstChart(J, B)))).toBeLessThan(1e-13 * maxAbs(A));
    // the two charts' values differ: the check is not trivially A = B
    expect(maxAbs(C.sub(A, B))).toBeGreaterThan(1e-3 * maxAbs(A));
    expect(transitionLoss(A, B, J, w).item()).toBeLessThan(1e-26);
  });

  it("vanishes for algebraic metrics (random G, k = 2), not for a generic network model", () => {
    const basis = sectionBasis(q, 2);
    const G = randomHermitian(basis.size, 11);
    const all = evaluateMetric({ basis, G }, ps, { metrics: true }).g as Float64Array;
    const gA = new Float64Array(18 * m);
    for (let t = 0; t < m; t++) gA.set(all.subarray(18 * second.index[t], 18 * second.index[t] + 18), 18 * t);
    const A = matrices3(gA, m);
    const B = matrices3(evaluateMetric({ basis, G }, second.view, { metrics: true }).g as Float64Array, m);
    expect(maxAbs(C.sub(A, toFirstChart(J, B)))).toBeLessThan(1e-12 * maxAbs(A));

    const model = perturbed(metricNn("add", [8], 5), 0.05, 2);
    const gAm = C.gather(
      metricNnFn(model, model.params, q, chartSelectors(ps, 0, n))(coordinateTensor(ps, 0, n)),
      second.index,
      0,
    );
    const gBm = metricNnFn(
      model,
      model.params,
      q,
      chartSelectors(second.view, 0, m),
    )(coordinateTensor(second.view, 0, m));
    expect(transitionLoss(gAm, gBm, J, w).item()).toBeGreaterThan(1e-6);
  });
});

describe("volume loss 𝓛_vol", () => {
  it("is zero for Fubini–Study and, within the Monte Carlo error, for an algebraic metric (Vol_K = 5 in the class)", () => {
    const pts = samplePoints(q, 5000, 8);
    const detFS = tensor(pts.detFS, [pts.n]);
    expect(volumeLoss(detFS, detFS).item()).toBe(0);
    const basis = sectionBasis(q, 2);
    const G = randomHermitian(basis.size, 12);
    const { det } = evaluateMetric({ basis, G }, pts);
    const r = det.map((d, i) => d / pts.detFS[i]);
    // mean of det g/det g_FS with the error from the per-line means (the 5 points of a line are correlated)
    const lines = pts.n / 5;
    const perLine = Float64Array.from(
      { length: lines },
      (_, l) => (r[5 * l] + r[5 * l + 1] + r[5 * l + 2] + r[5 * l + 3] + r[5 * l + 4]) / 5,
    );
    const mean = perLine.reduce((a, b) => a + b) / lines;
    const err = Math.sqrt(perLine.reduce((a, b) => a + (b - mean) ** 2, 0) / (lines - 1) / lines);
    expect(Math.abs(mean - 1)).toBeLessThan(4 * err);
    expect(Math.sqrt(volumeLoss(tensor(det, [pts.n]), detFS).item())).toBeCloseTo(Math.abs(mean - 1), 12);
    // and a rescaled metric (outside the class) is caught: det scales by c³
    expect(
      Math.sqrt(
        volumeLoss(
          tensor(
            det.map((d) => 1.1 ** 3 * d),
            [pts.n],
          ),
          detFS,
        ).item(),
      ),
    ).toBeGreaterThan(0.3 - 4 * err);
  });
});
