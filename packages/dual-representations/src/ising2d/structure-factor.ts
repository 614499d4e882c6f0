// The 2D DFT representation of a spin configuration: the structure factor S(k) = |ŝ(k)|² / N on
// the L × L momentum grid. The nearest-neighbour energy is linear in it,
//   Σ⟨ij⟩ s_i s_j = Σ_k (cos k_x + cos k_y) S(k),
// so in this representation the energy — the sufficient statistic of a temperature pair — is one
// linear read-out away.

/** S(k) for k = 2π(m_x, m_y)/L, row-major over (m_y, m_x), of the configuration at `at`. */
export function structureFactor(s: ArrayLike<number>, L: number, out: Float64Array, at = 0): void {
  const N = L * L;
  const c = Float64Array.from({ length: L }, (_, m) => Math.cos((2 * Math.PI * m) / L));
  const sn = Float64Array.from({ length: L }, (_, m) => Math.sin((2 * Math.PI * m) / L));
  // Row transforms first (along x), then columns: O(L³).
  const re = new Float64Array(N);
  const im = new Float64Array(N);
  for (let y = 0; y < L; y++)
    for (let mx = 0; mx < L; mx++) {
      let a = 0;
      let b = 0;
      for (let x = 0; x < L; x++) {
        const v = s[at + y * L + x];
        const p = (mx * x) % L;
        a += v * c[p];
        b -= v * sn[p];
      }
      re[y * L + mx] = a;
      im[y * L + mx] = b;
    }
  for (let my = 0; my < L; my++)
    for (let mx = 0; mx < L; mx++) {
      let a = 0;
      let b = 0;
      for (let y = 0; y < L; y++) {
        const p = (my * y) % L;
        const r = re[y * L + mx];
        const i = im[y * L + mx];
        a += r * c[p] + i * sn[p];
        b += i * c[p] - r * sn[p];
      }
      out[my * L + mx] = (a * a + b * b) / N;
    }
}

/** The weights λ(k) = cos k_x + cos k_y with Σ⟨ij⟩ s_i s_j = Σ_k λ(k) S(k). */
export function bondWeights(L: number): Float64Array {
  return Float64Array.from({ length: L * L }, (_, i) => {
    const mx = i % L;
    const my = Math.floor(i / L);
    return Math.cos((2 * Math.PI * mx) / L) + Math.cos((2 * Math.PI * my) / L);
  });
}
