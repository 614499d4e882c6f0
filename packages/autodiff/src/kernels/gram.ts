// Weighted Gram products per sample, H_b = J_b·diag(c_b)·J_bᵀ (J [B, d, n], c [B, n]), and their
// reverse rule: the terms of an MLP's input Hessian (nn/mlp-hessian.ts). H is symmetric, so only
// its upper triangle is summed; the reverse rule forms P = (Ḡ + Ḡᵀ)·J once and reads J̄ = P ⊙ c and
// c̄ = ½ Σ_i J_i ⊙ P_i off it, without a [B, d, n] temporary.
//
// Operation order (the SIMD kernels of wasm-gram.ts do the same, so both give identical bits):
// - H_ij: t_k = J_ik·c_k; eight partial sums s_r = Σ_{k ≡ r mod 8} t_k·J_jk, each from 0 in k
//   order; H_ij = ((s0 + s2) + (s4 + s6)) + ((s1 + s3) + (s5 + s7)), and H_ji = H_ij.
// - P_ik = Σ_j (Ḡ_ij + Ḡ_ji)·J_jk from 0 in j order; J̄_ik = P_ik·c_k;
//   c̄_k = (Σ_i J_ik·P_ik, from 0 in i order)·0.5.
import type { Data } from "./types.js";
import { wasmGram, wasmGramVjp } from "./wasm-gram.js";

/** From this many multiply-adds on, the SIMD kernels repay their copies. */
const WASM_MIN_WORK = 8192;

/** h[b] = J_b·diag(c_b)·J_bᵀ for b < B: j [B, d, n], c [B, n], h [B, d, d], row-major. */
export function gramKernel(j: Data, c: Data, h: Data, B: number, d: number, n: number): void {
  const f64 = j instanceof Float64Array && c instanceof Float64Array && h instanceof Float64Array;
  if (f64 && B * d * d * n >= WASM_MIN_WORK && wasmGram(j, c, h, B, d, n)) return;
  gramJs(j, c, h, B, d, n);
}

/** dj = P ⊙ c and dc = ½ Σ_i J_i ⊙ P_i with P_b = (g_b + g_bᵀ)·J_b: the cotangents of J and c for ⟨g, H⟩. */
export function gramVjpKernel(
  j: Data,
  c: Data,
  g: Data,
  dj: Data,
  dc: Data,
  B: number,
  d: number,
  n: number,
): void {
  const f64 =
    j instanceof Float64Array &&
    c instanceof Float64Array &&
    g instanceof Float64Array &&
    dj instanceof Float64Array &&
    dc instanceof Float64Array;
  if (f64 && B * d * d * n >= WASM_MIN_WORK && wasmGramVjp(j, c, g, dj, dc, B, d, n)) return;
  gramVjpJs(j, c, g, dj, dc, B, d, n);
}

/** The JavaScript kernel of {@link gramKernel} (reference and fallback). */
export function gramJs(j: Data, c: Data, h: Data, B: number, d: number, n: number): void {
  const t = new Float64Array(n);
  const s = new Float64Array(8);
  for (let b = 0; b < B; b++) {
    const jb = b * d * n;
    const cb = b * n;
    const hb = b * d * d;
    for (let i = 0; i < d; i++) {
      for (let k = 0; k < n; k++) t[k] = j[jb + i * n + k] * c[cb + k];
      for (let q = i; q < d; q++) {
        s.fill(0);
        const r = jb + q * n;
        for (let k = 0; k < n; k++) s[k & 7] += t[k] * j[r + k];
        const v = s[0] + s[2] + (s[4] + s[6]) + (s[1] + s[3] + (s[5] + s[7]));
        h[hb + i * d + q] = v;
        h[hb + q * d + i] = v;
      }
    }
  }
}

/** The JavaScript kernel of {@link gramVjpKernel} (reference and fallback). */
export function gramVjpJs(
  j: Data,
  c: Data,
  g: Data,
  dj: Data,
  dc: Data,
  B: number,
  d: number,
  n: number,
): void {
  const acc = new Float64Array(n);
  for (let b = 0; b < B; b++) {
    const jb = b * d * n;
    const cb = b * n;
    const gb = b * d * d;
    acc.fill(0);
    for (let i = 0; i < d; i++) {
      for (let k = 0; k < n; k++) {
        let p = 0;
        for (let q = 0; q < d; q++) p += (g[gb + i * d + q] + g[gb + q * d + i]) * j[jb + q * n + k];
        dj[jb + i * n + k] = p * c[cb + k];
        acc[k] += j[jb + i * n + k] * p;
      }
    }
    for (let k = 0; k < n; k++) dc[cb + k] = acc[k] * 0.5;
  }
}
