// The algebraic metric of a Hermitian matrix G on the sections: K = (1/πk) log D with
// D = Σ s_α G_{αβ} s̄_β (the H^{αβ̄}), so g_{ab̄} = (1/πk)(D_{ab̄}/D − D_a D_b̄/D²) in the
// affine coordinates, pulled back to X. All derivatives are closed forms: with rows r₀ = s and
// r_a = ∂_a s, the 5 × 5 matrix M_{ab} = r_aᵀ G r̄_b holds D = M₀₀, ∂_a D = M_{a0} and
// ∂_a∂̄_b D = M_{ab}. The products r·G for a chunk of points are one real matrix product.
import { hermitianDet3, type SplitMatrix, sandwich } from "../complex.js";
import { embeddingJacobian } from "../geometry/patches.js";
import type { PointsView } from "../geometry/sample.js";
import { complexBlock, gemm } from "./gemm.js";
import { potentialMetric, rowProducts } from "./potential-metric.js";
import { type SectionBasis, sectionRows } from "./sections.js";

/** An algebraic metric: a section basis and the Hermitian matrix G of its Kähler potential. */
export interface AlgebraicMetric {
  basis: SectionBasis;
  G: SplitMatrix;
}

/** Metric values at points. */
export interface MetricValues {
  /** det of the 3 × 3 metric on X in each point's local coordinates. */
  det: Float64Array;
  /** With `metrics: true`: n × 9 interleaved complex entries g_{ab̄} on X. */
  g?: Float64Array;
  /** With `metrics: true`: n × 16 interleaved complex entries of the ambient 4 × 4 metric. */
  ambient?: Float64Array;
}

/** Points per chunk: bounds the temporary rows to a few MB for N = 205. */
const CHUNK = 512;

/**
 * The algebraic metric on X at every point of `points` (closed-form derivatives).
 * With `metrics`, the full 3 × 3 and ambient 4 × 4 metrics are returned too.
 */
export function evaluateMetric(
  metric: AlgebraicMetric,
  points: PointsView,
  opts: { metrics?: boolean } = {},
): MetricValues {
  const { basis, G } = metric;
  const N = basis.size;
  const W = 2 * N;
  const block = complexBlock(G.re, G.im, N);
  const rows = new Float64Array(5 * CHUNK * W);
  const det = new Float64Array(points.n);
  const g = opts.metrics ? new Float64Array(18 * points.n) : undefined;
  const ambientOut = opts.metrics ? new Float64Array(32 * points.n) : undefined;
  const M = new Float64Array(50);
  const amb = new Float64Array(32);
  const jac = new Float64Array(24);
  const tmp = new Float64Array(24);
  const g3 = new Float64Array(18);
  const c = 1 / (Math.PI * basis.k);
  for (let from = 0; from < points.n; from += CHUNK) {
    const to = Math.min(points.n, from + CHUNK);
    const nr = 5 * (to - from);
    sectionRows(basis, points, from, to, true, rows);
    const U = gemm(rows, nr, W, block, W, W);
    for (let i = from; i < to; i++) {
      rowProducts(U, rows, 5 * (i - from), 5, N, M);
      potentialMetric(M, 5, c, amb);
      embeddingJacobian(points.grad, 10 * i, points.patch[i], points.dependent[i], jac);
      sandwich(jac, amb, 3, 4, g3, tmp);
      det[i] = hermitianDet3(g3);
      if (g) g.set(g3, 18 * i);
      if (ambientOut) ambientOut.set(amb, 32 * i);
    }
  }
  return { det, g, ambient: ambientOut };
}

/** The Kähler potential K = (1/πk) log D at every point (in each point's patch normalisation). */
export function kahlerPotential(metric: AlgebraicMetric, points: PointsView): Float64Array {
  const { basis, G } = metric;
  const N = basis.size;
  const W = 2 * N;
  const block = complexBlock(G.re, G.im, N);
  const rows = new Float64Array(CHUNK * W);
  const out = new Float64Array(points.n);
  for (let from = 0; from < points.n; from += CHUNK) {
    const to = Math.min(points.n, from + CHUNK);
    sectionRows(basis, points, from, to, false, rows);
    const U = gemm(rows, to - from, W, block, W, W);
    for (let i = from; i < to; i++) {
      let D = 0;
      for (let q = 0; q < W; q++) D += U[(i - from) * W + q] * rows[(i - from) * W + q];
      out[i] = Math.log(D) / (Math.PI * basis.k);
    }
  }
  return out;
}
