// Flaschka's Lax pair of the periodic Toda lattice, the reference for the learned pairs:
// a_i = ½ exp((q_i − q_{i+1})/2), b_i = −½ p_i; L symmetric tridiagonal with the corner entries
// a_n, M antisymmetric with M_{i+1,i} = a_i, so that L̇ = [L, M] and tr L² = H/2.

/** L and M (each n×n, row-major) at one state z = (q, p) of the n-particle periodic Toda lattice. */
export function flaschkaPair(z: ArrayLike<number>, n: number): { L: Float64Array; M: Float64Array } {
  const L = new Float64Array(n * n);
  const M = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    const a = 0.5 * Math.exp((z[i] - z[j]) / 2);
    L[i * n + i] = -0.5 * z[n + i];
    L[i * n + j] += a;
    L[j * n + i] += a;
    M[j * n + i] += a;
    M[i * n + j] -= a;
  }
  return { L, M };
}
