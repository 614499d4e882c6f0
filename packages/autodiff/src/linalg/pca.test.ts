// pca: recovers known axes and variances of constructed data, agrees with eigh of the covariance
// computed by hand, ratios sum to 1, derivatives vs finite differences.
import { describe, expect, it } from "vitest";
import { expectClose, rand } from "../../test/linalg-helpers.js";
import { AutodiffInputError, eye, matmul, mT, pca, type Tensor, tensor } from "../index.js";
import { checkGrads } from "../testing/index.js";

describe("pca", () => {
  it("data with exact sample variances 9, 4, 1 along a rotated frame", () => {
    // ±e_i points scaled so that the sample variances (divisor N − 1) along the axes are 9, 4, 1
    const N = 6;
    const s = [3, 2, 1].map((v) => v * Math.sqrt((N - 1) / 2));
    const pts: number[][] = [];
    for (let i = 0; i < 3; i++) {
      for (const sg of [1, -1]) pts.push([0, 1, 2].map((j) => (j === i ? sg * s[i] : 0)));
    }
    const c = Math.cos(0.3);
    const sn = Math.sin(0.3);
    const R = tensor([
      [c, -sn, 0],
      [sn, c, 0],
      [0, 0, 1],
    ]);
    const shift = tensor([[5, -1, 2]]);
    const X = matmul(tensor(pts), mT(R)).add(shift);
    const { mean, components, explainedVariance, explainedVarianceRatio } = pca(X);
    expectClose(mean, shift, 1e-14);
    expectClose(explainedVariance, [9, 4, 1], 1e-13);
    expectClose(explainedVarianceRatio, [9 / 14, 4 / 14, 1 / 14], 1e-15);
    // components are the columns of R up to sign: |components · R| = I
    expectClose(matmul(components, R).abs(), eye(3), 1e-14);
    const k2 = pca(X, { k: 2 });
    expect(k2.components.shape).toEqual([2, 3]);
    expectClose(k2.explainedVarianceRatio, [9 / 14, 4 / 14], 1e-15);
  });

  it("batched; center: false uses the data as given", () => {
    const X = rand([2, 50, 4], 7);
    const { components, explainedVariance, explainedVarianceRatio } = pca(X);
    expect(components.shape).toEqual([2, 4, 4]);
    expectClose(matmul(components, mT(components)), eye(4), 1e-14);
    const r = explainedVarianceRatio.toFloat64Array();
    expect(r[0] + r[1] + r[2] + r[3]).toBeCloseTo(1, 14);
    const v = explainedVariance.toFloat64Array();
    for (let i = 1; i < 4; i++) expect(v[i]).toBeLessThanOrEqual(v[i - 1]);
    const raw = pca(X, { center: false });
    // uncentred second moment XᵀX/(N − 1): its trace is Σx²/(N−1)
    const total = X.toFloat64Array().reduce((a, x) => a + x * x, 0) / 49 / 2;
    const ev = raw.explainedVariance.toFloat64Array();
    expect(ev.reduce((a, b) => a + b) / 2 / total).toBeCloseTo(1, 12);
  });

  it("bad input is a typed error", () => {
    expect(() => pca(rand([1, 3], 1))).toThrow(AutodiffInputError);
    expect(() => pca(rand([5, 3], 1), { k: 4 })).toThrow(/pca.k/);
  });

  it("derivatives (order 2, fwd and rev) vs finite differences", () => {
    const X = rand([8, 3], 9);
    const f = (x: Tensor) => {
      const p = pca(x, { k: 2 });
      return p.components.mul(p.explainedVarianceRatio.reshape([2, 1]));
    };
    expect(() => checkGrads(f, [X], { order: 2, eps: 1e-3, rtol: 1e-6, atol: 1e-8 })).not.toThrow();
  });
});
