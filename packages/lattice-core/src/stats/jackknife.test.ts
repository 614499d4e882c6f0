import { describe, expect, it } from "vitest";
import { gaussian } from "../../test/helpers.js";
import { PhysmlInputError } from "../errors.js";
import { seededUniform } from "../testing/index.js";
import { covarianceEstimate } from "./covariance.js";
import { binnedError } from "./estimate.js";
import { jackknife } from "./jackknife.js";

function normals(n: number, seed: number): Float64Array {
  const g = gaussian(seededUniform(seed));
  return Float64Array.from({ length: n }, g);
}

describe("jackknife", () => {
  it("for f = mean it reproduces the binned error exactly", () => {
    const x = normals(10_000, 1);
    for (const blockSize of [1, 10, 100]) {
      const j = jackknife([x], (m) => m[0], { blockSize });
      expect(j.error).toBeCloseTo(binnedError(x, blockSize), 14);
      expect(j.bias).toBeCloseTo(0, 14);
    }
  });

  it("bias-corrects the variance: blocks of 1 turn the plug-in variance into the unbiased one", () => {
    const x = normals(500, 2);
    const x2 = x.map((v) => v * v);
    const j = jackknife([x, x2], (m) => m[1] - m[0] * m[0], { blockSize: 1 });
    expect(j.biasCorrected).toBeCloseTo((j.value * 500) / 499, 12);
  });

  it("variance of N(0, 4) data: value within the stated error of 4, error ≈ σ²√(2/n)", () => {
    const n = 40_000;
    const x = normals(n, 3).map((v) => 2 * v);
    const j = jackknife([x, x.map((v) => v * v)], (m) => m[1] - m[0] * m[0]);
    expect(j.nBlocks).toBeGreaterThanOrEqual(32);
    expect(Math.abs(j.biasCorrected - 4)).toBeLessThan(4 * j.error);
    // Expected error 4√(2/n); a jackknife with B blocks knows it to ≈ 1/√(2B) relative.
    expect(Math.abs(j.error / (4 * Math.sqrt(2 / n)) - 1)).toBeLessThan(4 / Math.sqrt(2 * j.nBlocks));
  });

  it("rejects mismatched lengths and bad block sizes", () => {
    expect(() =>
      jackknife(
        [
          [1, 2, 3],
          [1, 2],
        ],
        (m) => m[0],
      ),
    ).toThrow(/samples\[1\].length: expected 3/);
    expect(() => jackknife([[1, 2, 3, 4]], (m) => m[0], { blockSize: 3 })).toThrow(PhysmlInputError);
    expect(() => jackknife([[1, 2, 3, 4]], () => Number.NaN, { blockSize: 1 })).toThrow(/^f: expected/);
  });
});

describe("covarianceEstimate", () => {
  it("recovers a known covariance within its stated error (iid and autocorrelated)", () => {
    const n = 100_000;
    const g = gaussian(seededUniform(9));
    // a = ξ, b = 0.6 ξ + 0.8 η → Cov = 0.6; with AR(1) memory ρ = 0.8 in the shared driver.
    for (const rho of [0, 0.8]) {
      const a = new Float64Array(n);
      const b = new Float64Array(n);
      let xi = g();
      let eta = g();
      const k = Math.sqrt(1 - rho * rho);
      for (let t = 0; t < n; t++) {
        a[t] = xi;
        b[t] = 0.6 * xi + 0.8 * eta;
        xi = rho * xi + k * g();
        eta = rho * eta + k * g();
      }
      const c = covarianceEstimate(a, b);
      expect(Math.abs(c.mean - 0.6)).toBeLessThan(4 * c.error);
      if (rho > 0) expect(c.tauInt).toBeGreaterThan(1.5);
    }
  });

  it("Cov(a, a) is the unbiased sample variance; bad input is a typed error", () => {
    const a = [1, 4, 2, 8, 5];
    const m = 4;
    const v = a.reduce((s, x) => s + (x - m) ** 2, 0) / 4;
    expect(covarianceEstimate(a, a).mean).toBeCloseTo(v, 14);
    expect(() => covarianceEstimate([1, 2, 3], [1, 2])).toThrow(/b.length: expected 3/);
    expect(() => covarianceEstimate([1, 2, 3], [1, Number.NaN, 2])).toThrow(
      /b\[1\]: expected a finite number/,
    );
  });
});
