// The pieces of the balancing error against direct computation: ∂σ/∂G against central differences
// of σ, a line's influence u_l against rebalancing with that line's weights scaled, and the
// response δG to line multipliers against rebalancing with all weights scaled by 1 + ξ.
// (The error bar as a whole is checked over seeds in src/eval/calibration.test.ts.)
import { describe, expect, it } from "vitest";
import type { SplitMatrix } from "../complex.js";
import { dworkQuintic } from "../geometry/quintic.js";
import { samplePoints } from "../geometry/sample.js";
import { randomHermitian } from "../testing.js";
import type { AlgebraicMetric } from "./algebraic-metric.js";
import { donaldson, sigma } from "./balance.js";
import { balancingInfluence, balancingResponse, sigmaGradient } from "./balancing-noise.js";

const pair = (x: SplitMatrix, y: SplitMatrix) => {
  let s = 0;
  for (let a = 0; a < x.n; a++)
    for (let b = 0; b < x.n; b++)
      s += x.re[a * x.n + b] * y.re[b * x.n + a] - x.im[a * x.n + b] * y.im[b * x.n + a];
  return s;
};
const shifted = (m: AlgebraicMetric, d: SplitMatrix, h: number): AlgebraicMetric => ({
  basis: m.basis,
  G: { n: d.n, re: m.G.re.map((x, r) => x + h * d.re[r]), im: m.G.im.map((x, r) => x + h * d.im[r]) },
});

describe("balancing error: linear response", () => {
  const q = dworkQuintic({ re: 0.5, im: 0 });
  const points = samplePoints(q, 1000, 3);
  const held = samplePoints(q, 2000, 4);
  // converged well past the rounding of the rebalanced differences below
  const balanced = donaldson(q, { k: 2, iterations: 60, integrationPoints: points });

  it("∂σ/∂G equals central differences of σ, and σ is blind to the scale of G", () => {
    const { Z } = sigmaGradient(balanced.metric, held);
    const dir = randomHermitian(Z.n, 5);
    const h = 1e-6;
    const fd =
      (sigma(shifted(balanced.metric, dir, h), held).mean -
        sigma(shifted(balanced.metric, dir, -h), held).mean) /
      (2 * h);
    expect(Math.abs(pair(Z, dir) - fd)).toBeLessThan(1e-6 * Math.abs(fd));
    expect(Math.abs(pair(Z, balanced.metric.G))).toBeLessThan(1e-9 * Math.abs(fd));
  });

  it("σ moves by ε u_l when line l's weights are scaled by 1 + ε and the metric rebalanced", () => {
    const { sigma: s0, Z } = sigmaGradient(balanced.metric, held);
    const u = balancingInfluence(balanced.metric, points, Z, 60);
    const eps = 1e-4;
    for (const line of [0, 17, 150]) {
      const weight = Float64Array.from(points.weight);
      for (let i = 5 * line; i < 5 * line + 5; i++) weight[i] *= 1 + eps;
      const again = donaldson(q, {
        k: 2,
        iterations: 30,
        integrationPoints: { ...points, weight },
        initial: balanced.metric.G,
      });
      const moved = (sigma(again.metric, held).mean - s0.mean) / eps;
      // the second order in ε is ~ε relative
      expect(Math.abs(moved - u[line]), `line ${line}`).toBeLessThan(2e-3 * Math.abs(u[line]) + 1e-9);
    }
  });

  it("δG responds to line multipliers ξ as rebalancing with the weights scaled by 1 + εξ", () => {
    const lines = points.n / 5;
    const xi = Float64Array.from({ length: lines }, (_, l) => Math.sin(1 + 7 * l));
    const delta = balancingResponse(balanced.metric, points, xi, 60);
    const eps = 1e-5;
    const weight = points.weight.map((w, i) => w * (1 + eps * xi[Math.floor(i / 5)]));
    const again = donaldson(q, {
      k: 2,
      iterations: 30,
      integrationPoints: { ...points, weight },
      initial: balanced.metric.G,
    });
    // compare up to the scale of G, which neither fixes: project both on the complement of G
    const G = balanced.metric.G;
    const diff: SplitMatrix = {
      n: G.n,
      re: again.metric.G.re.map((x, r) => (x - G.re[r]) / eps),
      im: again.metric.G.im.map((x, r) => (x - G.im[r]) / eps),
    };
    const gg = pair(G, G);
    const off = (x: SplitMatrix) => {
      const c = pair(x, G) / gg;
      return { n: x.n, re: x.re.map((v, r) => v - c * G.re[r]), im: x.im.map((v, r) => v - c * G.im[r]) };
    };
    const a = off(delta);
    const b = off(diff);
    const d = { n: a.n, re: a.re.map((v, r) => v - b.re[r]), im: a.im.map((v, r) => v - b.im[r]) };
    expect(Math.sqrt(pair(d, d))).toBeLessThan(1e-3 * Math.sqrt(pair(b, b)));
  });
});
