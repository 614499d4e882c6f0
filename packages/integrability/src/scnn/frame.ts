// The two-body problem's centre-of-mass/relative coordinates as a fixed linear canonical map, for
// feeding a learned transformation coordinates in which the total momentum is already a momentum
// and only the relative motion is left to be put into polar-like form.

/**
 * The map (x1, y1, x2, y2, px1, py1, px2, py2) ↦ (X, Y, r_x, r_y, P_x, P_y, p_x, p_y) for two unit
 * masses in the plane, row-major 8×8: X = (q1 + q2)/2, r = q1 − q2, P = p1 + p2, p = (p1 − p2)/2.
 * It is canonical ({X, P_x} = {r_x, p_x} = 1, every other bracket 0); the relative angular
 * momentum is L = r_x p_y − r_y p_x.
 */
export const CENTRE_OF_MASS_MAP: readonly (readonly number[])[] = [
  [0.5, 0, 0.5, 0, 0, 0, 0, 0],
  [0, 0.5, 0, 0.5, 0, 0, 0, 0],
  [1, 0, -1, 0, 0, 0, 0, 0],
  [0, 1, 0, -1, 0, 0, 0, 0],
  [0, 0, 0, 0, 1, 0, 1, 0],
  [0, 0, 0, 0, 0, 1, 0, 1],
  [0, 0, 0, 0, 0.5, 0, -0.5, 0],
  [0, 0, 0, 0, 0, 0.5, 0, -0.5],
];

/**
 * The largest entry of |M Ω Mᵀ − Ω| for a d×d map M (Ω the symplectic form of (q₁…q_n, p₁…p_n)):
 * 0 exactly when M preserves every Poisson bracket.
 */
export function symplecticDefect(M: readonly (readonly number[])[]): number {
  const d = M.length;
  const n = d / 2;
  // Ω_{i, n+i} = 1, Ω_{n+i, i} = −1, so (M Ω Mᵀ)_{ab} = Σ_i M_{a,i} M_{b,n+i} − M_{a,n+i} M_{b,i}
  let worst = 0;
  for (let a = 0; a < d; a++)
    for (let b = 0; b < d; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += M[a][i] * M[b][n + i] - M[a][n + i] * M[b][i];
      const omega = b === a + n ? 1 : a === b + n ? -1 : 0;
      worst = Math.max(worst, Math.abs(s - omega));
    }
  return worst;
}
