// The observable map and the moment polynomials against direct evaluation on plain arrays, and
// backpropagated gradients against finite differences.
import { mul, random, sub, sum, type Tensor, tensor, mean as tmean, valueAndGrad } from "@physml/autodiff";
import { squareLattice } from "@physml/lattice-core";
import { seededUniform } from "@physml/lattice-core/testing";
import { describe, expect, test } from "vitest";
import { featuresBatch, shapeTables } from "./features.js";
import {
  featuresFromMoments,
  headJacobian,
  headLoss,
  meanMoments,
  momentLayout,
  slotMoments,
  solveHead,
} from "./moments.js";
import {
  type AttentionParams,
  attentionFeatures,
  FeatureGeometry,
  type ForwardOptions,
} from "./observable.js";
import { EXTENDED_SHAPES } from "./shapes.js";
import { candidateSlots, windowTable } from "./window.js";

const lat = squareLattice(6);
const slots = candidateSlots(1);
const K = slots.length;
const win = windowTable(lat, slots);
const geom = new FeatureGeometry(lat, slots, win, EXTENDED_SHAPES);
const tables = shapeTables(lat, EXTENDED_SHAPES);
const A = EXTENDED_SHAPES.length;
const S = 5;

const rnd = seededUniform(9);
// Random ±1 link fields (not necessarily configurations: the maps do not care).
const x = Float64Array.from({ length: S * lat.nLinks }, () => (rnd() < 0.7 ? 1 : -1));
const opts: ForwardOptions = { key: random.key(1), tau: 0.7, hard: false, gumbel: false };

function plainFeatures(w: number[], t2: number, t3: number): Float64Array {
  const O = new Float64Array(S * lat.nLinks);
  for (let b = 0; b < S; b++) {
    for (let l = 0; l < lat.nLinks; l++) {
      let y = 0;
      for (let k = 0; k < K; k++) y += w[k] * x[b * lat.nLinks + win[l * K + k]];
      O[b * lat.nLinks + l] = t2 * y + t3;
    }
  }
  return featuresBatch(lat, tables, O, S);
}

describe("attention map", () => {
  test("ψ of the tensor forward pass equals direct evaluation", () => {
    const logits = [0.3, -0.2, 0.5, 0.1, -0.4, 0.2, 0];
    const z = logits.map(Math.exp);
    const zs = z.reduce((a, b) => a + b);
    const psi = attentionFeatures(
      geom,
      geom.windowMatrix(x, S),
      S,
      { logits: tensor(logits), theta: tensor([-0.7, 1.2]) },
      opts,
    );
    expect(psi.shape).toEqual([S, A]);
    const direct = plainFeatures(
      z.map((v) => v / zs),
      -0.7,
      1.2,
    );
    const got = psi.toFloat64Array();
    for (let i = 0; i < direct.length; i++) expect(got[i]).toBeCloseTo(direct[i], 12);
  });

  test("∂L/∂θ by backpropagation matches central finite differences", () => {
    const X = geom.windowMatrix(x, S);
    const target = tensor(Float64Array.from({ length: A }, (_, a) => 0.5 + 0.01 * a));
    const loss = (p: AttentionParams): Tensor => {
      const m = tmean(attentionFeatures(geom, X, S, p, opts), 0);
      const r = sub(m, target);
      return sum(mul(r, r));
    };
    const p0 = { logits: tensor([0.3, -0.2, 0.5, 0.1, -0.4, 0.2, 0]), theta: tensor([-0.7, 1.2]) };
    const [, g] = valueAndGrad(loss)(p0);
    const h = 1e-6;
    for (const name of ["logits", "theta"] as const) {
      const base = p0[name].toFloat64Array();
      const an = (g as AttentionParams)[name].toFloat64Array();
      for (let i = 0; i < base.length; i++) {
        const up = Float64Array.from(base);
        const dn = Float64Array.from(base);
        up[i] += h;
        dn[i] -= h;
        const f = (v: Float64Array) => loss({ ...p0, [name]: tensor(v) }).item();
        const fd = (f(up) - f(dn)) / (2 * h);
        expect(an[i]).toBeCloseTo(fd, 6);
      }
    }
  });
});

describe("moment polynomials", () => {
  const layout = momentLayout(lat, EXTENDED_SHAPES);
  test("features from moments equal direct evaluation of O = θ2·x_k + θ3", () => {
    for (const k of [0, 3]) {
      const mom = slotMoments(lat, layout, x, S, win, K, k);
      const psi = featuresFromMoments(layout, mom, S, -0.8, 1.3);
      const direct = plainFeatures(
        slots.map((_, j) => (j === k ? 1 : 0)),
        -0.8,
        1.3,
      );
      for (let i = 0; i < direct.length; i++) expect(psi[i]).toBeCloseTo(direct[i], 12);
    }
  });

  test("head Jacobian matches finite differences; solveHead recovers a planted head", () => {
    const mom = slotMoments(lat, layout, x, S, win, K, 3);
    const mean = meanMoments(mom, layout.width, 0, S);
    const psiAt = (t2: number, t3: number) => featuresFromMoments(layout, mean, 1, t2, t3);
    const J = headJacobian(layout, mean, -0.8, 1.3);
    const h = 1e-6;
    for (let a = 0; a < A; a++) {
      expect(J[2 * a]).toBeCloseTo((psiAt(-0.8 + h, 1.3)[a] - psiAt(-0.8 - h, 1.3)[a]) / (2 * h), 6);
      expect(J[2 * a + 1]).toBeCloseTo((psiAt(-0.8, 1.3 + h)[a] - psiAt(-0.8, 1.3 - h)[a]) / (2 * h), 6);
    }
    const planted = psiAt(-0.53, 1.13);
    const sol = solveHead(layout, mean, planted, null);
    expect(sol.loss).toBeLessThan(1e-12);
    expect(headLoss(layout, mean, planted, sol.theta2, sol.theta3)).toBeCloseTo(sol.loss, 15);
    // Either the planted head or an exactly equivalent one (same features).
    const again = psiAt(sol.theta2, sol.theta3);
    for (let a = 0; a < A; a++) expect(again[a]).toBeCloseTo(planted[a], 6);
  });
});
