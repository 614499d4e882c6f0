// Matrix exponential of one n×n row-major block by scaling and squaring with a diagonal Padé
// approximant (Higham, SIAM J. Matrix Anal. Appl. 26 (2005) 1179, Algorithm 2.3): the degree
// m ∈ {3, 5, 7, 9, 13} and the number of squarings s are chosen from the 1-norm so that the
// backward error of r_m(2⁻ˢA)^(2ˢ) is below the unit roundoff.
import type { Data } from "./types.js";

/** Largest ‖A‖₁ for which degree m needs no scaling (Higham 2005, Table 2.3). */
const THETA: readonly [number, number][] = [
  [3, 1.495585217958292e-2],
  [5, 2.53939833006323e-1],
  [7, 9.504178996162932e-1],
  [9, 2.097847961257068],
  [13, 5.371920351148152],
];

/** Padé coefficients c_j = (2m−j)!·m! / ((2m)!·j!·(m−j)!), j = 0…m (q(x) = p(−x)). */
function padeCoefficients(m: number): Float64Array {
  const c = new Float64Array(m + 1);
  c[0] = 1;
  for (let j = 0; j < m; j++) c[j + 1] = (c[j] * (m - j)) / ((j + 1) * (2 * m - j));
  return c;
}
const COEF = new Map(THETA.map(([m]) => [m, padeCoefficients(m)]));

/** Scratch for one size n. */
export interface ExpmScratch {
  readonly n: number;
  /** a (scaled input), powers A², A⁴, A⁶, A⁸, u, v, tmp, lu */
  readonly m: Float64Array[];
  readonly piv: Int32Array;
}

export function expmScratch(n: number): ExpmScratch {
  return { n, m: Array.from({ length: 9 }, () => new Float64Array(n * n)), piv: new Int32Array(n) };
}

function mm(n: number, a: Float64Array, b: Float64Array, o: Float64Array): void {
  o.fill(0);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const x = a[i * n + k];
      if (x === 0) continue;
      for (let j = 0; j < n; j++) o[i * n + j] += x * b[k * n + j];
    }
  }
}

/** o = Σ_i w_i·M_i + w_I·I over the given terms. */
function comb(n: number, o: Float64Array, terms: [number, Float64Array][], wI: number): void {
  o.fill(0);
  for (const [w, M] of terms) for (let i = 0; i < n * n; i++) o[i] += w * M[i];
  for (let i = 0; i < n; i++) o[i * n + i] += wI;
}

/** Solves L·X = B in place in `b` (n×n) with the LU of `lu` (partial pivoting). False if singular. */
function luSolve(n: number, lu: Float64Array, piv: Int32Array, b: Float64Array): boolean {
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(lu[i * n + k]) > Math.abs(lu[p * n + k])) p = i;
    if (lu[p * n + k] === 0) return false;
    piv[k] = p;
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        let t = lu[k * n + j];
        lu[k * n + j] = lu[p * n + j];
        lu[p * n + j] = t;
        t = b[k * n + j];
        b[k * n + j] = b[p * n + j];
        b[p * n + j] = t;
      }
    }
    const d = lu[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const f = (lu[i * n + k] /= d);
      if (f === 0) continue;
      for (let j = k + 1; j < n; j++) lu[i * n + j] -= f * lu[k * n + j];
      for (let j = 0; j < n; j++) b[i * n + j] -= f * b[k * n + j];
    }
  }
  for (let c = 0; c < n; c++) {
    for (let i = n - 1; i >= 0; i--) {
      let s = b[i * n + c];
      for (let k = i + 1; k < n; k++) s -= lu[i * n + k] * b[k * n + c];
      b[i * n + c] = s / lu[i * n + i];
    }
  }
  return true;
}

/** e^A of the n×n block of `x` at `xo` into `o` at `oo`. False for non-finite input. */
export function expmBlock(x: Data, xo: number, s: ExpmScratch, o: Data, oo: number): boolean {
  const { n } = s;
  const [A, A2, A4, A6, A8, U, V, T, LU] = s.m;
  let norm = 0;
  for (let j = 0; j < n; j++) {
    let c = 0;
    for (let i = 0; i < n; i++) c += Math.abs(x[xo + i * n + j]);
    norm = Math.max(norm, c);
  }
  if (!Number.isFinite(norm)) return false;
  let deg = 13;
  let sq = 0;
  for (const [m, theta] of THETA) {
    if (norm <= theta) {
      deg = m;
      break;
    }
  }
  if (deg === 13 && norm > THETA[4][1]) sq = Math.max(0, Math.ceil(Math.log2(norm / THETA[4][1])));
  const scale = 2 ** -sq;
  for (let i = 0; i < n * n; i++) A[i] = x[xo + i] * scale;
  const c = COEF.get(deg)!;
  mm(n, A, A, A2);
  if (deg >= 5) mm(n, A2, A2, A4);
  if (deg >= 7) mm(n, A4, A2, A6);
  if (deg === 9) mm(n, A6, A2, A8);
  if (deg === 13) {
    // odd part (p = 1) U = A·[A6(c13 A6 + c11 A4 + c9 A2) + c7 A6 + c5 A4 + c3 A2 + c1 I],
    // even part (p = 0) V = A6(c12 A6 + c10 A4 + c8 A2) + c6 A6 + c4 A4 + c2 A2 + c0 I
    for (const p of [1, 0]) {
      const X = p ? U : V;
      comb(
        n,
        T,
        [
          [c[p + 12], A6],
          [c[p + 10], A4],
          [c[p + 8], A2],
        ],
        0,
      );
      mm(n, A6, T, X);
      comb(
        n,
        T,
        [
          [1, X],
          [c[p + 6], A6],
          [c[p + 4], A4],
          [c[p + 2], A2],
        ],
        c[p],
      );
      if (p) mm(n, A, T, U);
      else V.set(T);
    }
  } else {
    const pw = [A2, A4, A6, A8];
    const odd: [number, Float64Array][] = [];
    const even: [number, Float64Array][] = [];
    for (let k = 1; 2 * k <= deg; k++) {
      odd.push([c[2 * k + 1], pw[k - 1]]);
      even.push([c[2 * k], pw[k - 1]]);
    }
    comb(n, T, odd, c[1]);
    mm(n, A, T, U);
    comb(n, V, even, c[0]);
  }
  // r = (V − U)⁻¹(V + U)
  for (let i = 0; i < n * n; i++) {
    LU[i] = V[i] - U[i];
    T[i] = V[i] + U[i];
  }
  if (!luSolve(n, LU, s.piv, T)) return false;
  for (let k = 0; k < sq; k++) {
    mm(n, T, T, U);
    T.set(U);
  }
  for (let i = 0; i < n * n; i++) o[oo + i] = T[i];
  return true;
}
