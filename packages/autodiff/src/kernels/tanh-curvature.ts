// nn/mlp-hessian-curvature.ts's op c = g ⊙ tanh''(z) = ((g·a)·(−2))·(1 − a·a) for a = tanh(z), with
// g either the shape of a or one row broadcast over a's rows. The value is the same IEEE
// operations as mul, mul and tanhGrad in a row (elementwise.ts's generated loop); the reverse rule
// takes both cotangents in one pass, each term in the order those ops' rules compute it:
//   t̄ = (c̄·(1 − a·a))·(−2),  ā = ((c̄·(−2))·a)·((g·a)·(−2)) + t̄·g,  ḡ = t̄·a
// (ḡ summed over the rows, from 0 in row order, for a broadcast g).
import type { Data } from "./types.js";

/** Elementwise expression of the value in a0 = a, a1 = g, for elementwise.ts's naryKernel. */
export const TANH_CURVATURE_EXPR = "a1 * a0 * -2 * (1 - a0 * a0)";

/** da [R·C] and dg ([R·C], or [C] when `rowG`) from dc and a ([R, C]) and g. */
export function tanhCurvatureVjpKernel(
  dc: Data,
  a: Data,
  g: Data,
  da: Data,
  dg: Data,
  R: number,
  C: number,
  rowG: boolean,
): void {
  if (rowG) dg.fill(0);
  for (let r = 0, p = 0; r < R; r++) {
    for (let k = 0; k < C; k++, p++) {
      const av = a[p];
      const gv = g[rowG ? k : p];
      const cv = dc[p];
      const t = cv * (1 - av * av) * -2;
      da[p] = cv * -2 * av * (gv * av * -2) + t * gv;
      if (rowG) dg[k] += t * av;
      else dg[p] = t * av;
    }
  }
}
