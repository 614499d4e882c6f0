// The metric of a potential K = c log D with D = s G s̄, from the products M_ab = r_aᵀ G r̄_b of
// the section rows r₀ = s and r_a = ∂_a s: D = M₀₀, ∂_a D = M_a0, ∂̄_b D = M_0b, ∂_a∂̄_b D = M_ab,
// so g_ab̄ = c (M_ab/D − M_a0 M_0b/D²). The algebraic metric (ambient rows, k = 5) and its loss
// gradient (rows pulled back to X, k = 4) both evaluate it this way.

/**
 * M_ab = Σ_β U_aβ conj(r_bβ) for a, b < k: the products of the k rows of `rows` from row `first`
 * on with the same rows of U = rows·G (both [Re | Im] split, 2N columns), into `M` (k × k,
 * interleaved complex).
 */
export function rowProducts(
  U: Float64Array,
  rows: Float64Array,
  first: number,
  k: number,
  N: number,
  M: Float64Array,
): void {
  const W = 2 * N;
  for (let a = 0; a < k; a++) {
    const ua = (first + a) * W;
    for (let b = 0; b < k; b++) {
      const rb = (first + b) * W;
      let sr = 0;
      let si = 0;
      for (let q = 0; q < N; q++) {
        const ur = U[ua + q];
        const ui = U[ua + N + q];
        const xr = rows[rb + q];
        const xi = rows[rb + N + q];
        sr += ur * xr + ui * xi;
        si += ui * xr - ur * xi;
      }
      M[2 * (k * a + b)] = sr;
      M[2 * (k * a + b) + 1] = si;
    }
  }
}

/**
 * g_ab̄ = c (M_{a+1,b+1}/D − M_{a+1,0} M_{0,b+1}/D²) with D = M₀₀ for a, b < k − 1: the metric
 * from `M` (k × k, interleaved) into `g` ((k − 1) × (k − 1), interleaved).
 */
export function potentialMetric(M: Float64Array, k: number, c: number, g: Float64Array): void {
  const D = M[0];
  const m = k - 1;
  for (let a = 0; a < m; a++) {
    const dar = M[2 * (k * (a + 1))];
    const dai = M[2 * (k * (a + 1)) + 1];
    for (let b = 0; b < m; b++) {
      const dbr = M[2 * (b + 1)];
      const dbi = M[2 * (b + 1) + 1];
      const o = 2 * (k * (a + 1) + b + 1);
      g[2 * (m * a + b)] = c * (M[o] / D - (dar * dbr - dai * dbi) / (D * D));
      g[2 * (m * a + b) + 1] = c * (M[o + 1] / D - (dar * dbi + dai * dbr) / (D * D));
    }
  }
}
