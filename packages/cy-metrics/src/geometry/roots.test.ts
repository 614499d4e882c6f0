import { random } from "@physml/autodiff";
import { describe, expect, it } from "vitest";
import { polynomialRoots } from "./roots.js";

/** Coefficients a₀…a_n of lead · Π (x − r_k). */
function fromRoots(r: Float64Array, lead: [number, number]): Float64Array {
  const n = r.length / 2;
  const a = new Float64Array(2 * (n + 1));
  a[0] = lead[0];
  a[1] = lead[1];
  for (let k = 0; k < n; k++) {
    for (let d = k + 1; d >= 0; d--) {
      const hr = d > 0 ? a[2 * (d - 1)] : 0;
      const hi = d > 0 ? a[2 * (d - 1) + 1] : 0;
      const lr = a[2 * d];
      const li = a[2 * d + 1];
      a[2 * d] = hr - (lr * r[2 * k] - li * r[2 * k + 1]);
      a[2 * d + 1] = hi - (lr * r[2 * k + 1] + li * r[2 * k]);
    }
  }
  return a;
}

/** Largest distance from each true root to the nearest found root (a matching for distinct roots). */
function matchError(found: Float64Array, truth: Float64Array): number {
  const n = truth.length / 2;
  const used = new Array<boolean>(n).fill(false);
  let worst = 0;
  for (let k = 0; k < n; k++) {
    let best = Infinity;
    let bi = -1;
    for (let j = 0; j < n; j++) {
      if (used[j]) continue;
      const d = Math.hypot(found[2 * j] - truth[2 * k], found[2 * j + 1] - truth[2 * k + 1]);
      if (d < best) {
        best = d;
        bi = j;
      }
    }
    used[bi] = true;
    worst = Math.max(worst, best / Math.max(1, Math.hypot(truth[2 * k], truth[2 * k + 1])));
  }
  return worst;
}

describe("polynomialRoots", () => {
  it("finds all 5 roots of random quintic polynomials with known roots", () => {
    const g = random.normal(random.key(3), [200, 12]).toFloat64Array();
    for (let t = 0; t < 200; t++) {
      const roots = g.subarray(12 * t, 12 * t + 10);
      const a = fromRoots(roots, [g[12 * t + 10], g[12 * t + 11]]);
      const r = polynomialRoots(a, 5);
      expect(r.converged).toBe(true);
      // well-separated random roots: accuracy near the rounding level of the coefficients
      expect(matchError(r.roots, roots)).toBeLessThan(1e-9);
      // and the polynomial is rebuilt from them (Vieta) to rounding relative to its size
      const back = fromRoots(r.roots, [a[10], a[11]]);
      const size = Math.max(...a.map(Math.abs));
      for (let i = 0; i < 12; i++) expect(Math.abs(back[i] - a[i])).toBeLessThan(1e-11 * size);
    }
  });

  it("handles roots spread over many orders of magnitude and a near-double root", () => {
    const truth = new Float64Array([1e-3, 0, -2e3, 1, 0.5, 0.5, 0.5 + 1e-6, 0.5, 7, -3]);
    const r = polynomialRoots(fromRoots(truth, [1, 0]), 5);
    expect(r.converged).toBe(true);
    // a near-double root separated by 1e-6 is conditioned at ~sqrt(eps)·scale
    expect(matchError(r.roots, truth)).toBeLessThan(1e-7);
    // each found root is a root of the polynomial up to rounding: |p(x)| ≤ 1e-13 Σ|a_d||x|^d
    const a = fromRoots(truth, [1, 0]);
    for (let j = 0; j < 5; j++) {
      const x = [r.roots[2 * j], r.roots[2 * j + 1]];
      let [pr, pi, size] = [0, 0, 0];
      for (let d = 5; d >= 0; d--) {
        [pr, pi] = [pr * x[0] - pi * x[1] + a[2 * d], pr * x[1] + pi * x[0] + a[2 * d + 1]];
        size = size * Math.hypot(x[0], x[1]) + Math.hypot(a[2 * d], a[2 * d + 1]);
      }
      expect(Math.hypot(pr, pi)).toBeLessThan(1e-13 * size);
    }
  });
});
