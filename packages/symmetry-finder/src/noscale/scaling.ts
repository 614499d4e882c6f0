// Per-field scaling weights: q_A with K(λ^{q_A} z_A) = K(z) − 3 ln λ. Differentiating at λ = 1,
// Σ_A q_A · 2 Re(z_A K_A) = −3 at every point: a linear system, one row per sampled point,
// solved in the least-squares sense (minimum norm when the columns are dependent) and accepted
// only when every row holds to the tolerance and the finite statement holds at λ = 2.
import { eigh, tensor } from "@physml/autodiff";

/**
 * Weights q [n] from the rows m [B, n] (m_bA = 2 Re(z_A K_A) at point b), or undefined when no
 * q makes every row equal −3 within `tol`.
 */
export function scalingWeightsFromRows(
  m: Float64Array,
  B: number,
  n: number,
  tol: number,
): number[] | undefined {
  // normal equations MᵀM q = Mᵀ(−3), pseudo-inverse through the eigenvectors of MᵀM
  const g = new Float64Array(n * n);
  const r = new Float64Array(n);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < n; i++) {
      r[i] += -3 * m[b * n + i];
      for (let j = 0; j < n; j++) g[i * n + j] += m[b * n + i] * m[b * n + j];
    }
  }
  const { values, vectors } = eigh(tensor(g, [n, n]));
  const lam = values.toFloat64Array();
  const v = vectors.toFloat64Array(); // columns are eigenvectors
  const top = Math.max(...lam.map(Math.abs));
  if (!(top > 0)) return undefined;
  const q = new Array<number>(n).fill(0);
  for (let k = 0; k < n; k++) {
    if (!(lam[k] > 1e-12 * top)) continue;
    let proj = 0;
    for (let i = 0; i < n; i++) proj += v[i * n + k] * r[i];
    for (let i = 0; i < n; i++) q[i] += (v[i * n + k] * proj) / lam[k];
  }
  for (let b = 0; b < B; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += m[b * n + i] * q[i];
    if (!(Math.abs(s + 3) <= tol * 3)) return undefined;
  }
  return q;
}
