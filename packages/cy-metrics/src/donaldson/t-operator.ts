// Donaldson's T-operator as a Monte Carlo integral over weighted points:
//   T(G)_{αβ} = (N / Vol_CY) ∫_X s̄_α s_β / D_G dVol_CY,   D_G = Σ s_γ G_{γδ} s̄_δ,
// and the balanced metric is its fixed point G = T(G)⁻¹ (then tr(G T(G)) = N identically).
// Hot loop as two real matrix products per chunk: D from [Re s | Im s]·block(G), and
// T = Yᵀ Y with rows Y_i = sqrt(w_i / D_i) [Re s_i | Im s_i] (the weights are positive).
import { hermitianInverse, type SplitMatrix } from "../complex.js";
import type { PointSet } from "../geometry/sample.js";
import { complexBlock, complexFromBlockProduct, gemm } from "./gemm.js";
import { type SectionBasis, sectionRows } from "./sections.js";

const CHUNK = 4096;

/** T(G) from the points (self-normalised: Vol_CY is estimated by Σ w over the same points). */
export function tOperator(basis: SectionBasis, G: SplitMatrix, points: PointSet): SplitMatrix {
  const N = basis.size;
  const W = 2 * N;
  const block = complexBlock(G.re, G.im, N);
  const rows = new Float64Array(CHUNK * W);
  const acc = new Float64Array(W * W);
  let wSum = 0;
  for (let from = 0; from < points.n; from += CHUNK) {
    const to = Math.min(points.n, from + CHUNK);
    const c = to - from;
    sectionRows(basis, points, from, to, false, rows);
    const U = gemm(rows, c, W, block, W, W);
    for (let i = 0; i < c; i++) {
      let D = 0;
      for (let q = 0; q < W; q++) D += U[i * W + q] * rows[i * W + q];
      const w = points.weight[from + i];
      wSum += w;
      const s = Math.sqrt(w / D);
      for (let q = 0; q < W; q++) rows[i * W + q] *= s;
    }
    const M = gemm(rows, c, W, rows, c, W, true, false);
    for (let q = 0; q < W * W; q++) acc[q] += M[q];
  }
  // T = Σ (w/D) s̄ sᵀ: Re = AᵀA + BᵀB, Im_{αβ} = Σ a_α b_β − b_α a_β
  return complexFromBlockProduct(acc, N, N / wSum);
}

/** One step of Donaldson's iteration: G ← T(G)⁻¹. */
export function donaldsonStep(basis: SectionBasis, G: SplitMatrix, points: PointSet): SplitMatrix {
  return hermitianInverse(tOperator(basis, G, points));
}
