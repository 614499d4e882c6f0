// nn/mlp-hessian-tangent.ts's op T = J ⊙ (1 − y²) (y [B, n], J [B, d, n] or one [d, n] for every
// sample): the value in one pass with y's factors computed once per sample and no broadcast
// strides, as tanhGrad computes each entry; and the reverse rule in one pass over the cotangent
// Ḡ [B, d, n]:
//   J̄ = Ḡ ⊙ (1 − y²)                    (summed over b, from 0 in b order, for a shared J),
//   ȳ_bk = Σ_i ((y_bk·(−2))·Ḡ_bik)·J_bik (from 0 in i order; ((J_ik·(−2))·y_bk)·Ḡ_bik for a
//   shared J, the smaller factors first as tanhGrad's rule takes them).
// These are the IEEE operations, in the same order, of tanhGrad's rules (ops/elementwise.ts) on
// y viewed as [B, 1, n], where they take a [B, d, n] temporary per product and a reduction over
// the middle axis; so both give identical bits.
import type { Data } from "./types.js";
import { wasmTanhTangent, wasmTanhTangentVjp } from "./wasm-tanh-tangent.js";

/** From this many entries of Ḡ on, the SIMD kernel repays its copies. */
const WASM_MIN = 8192;

/** o [B, d, n] = J ⊙ (1 − y²), as tanhGrad computes it (J [B, d, n], or [d, n] when `shared`). */
export function tanhTangentKernel(
  y: Data,
  j: Data,
  o: Data,
  B: number,
  d: number,
  n: number,
  shared: boolean,
): void {
  if (
    B * d * n >= WASM_MIN &&
    y instanceof Float64Array &&
    j instanceof Float64Array &&
    o instanceof Float64Array &&
    wasmTanhTangent(y, j, o, B, d, n, shared)
  )
    return;
  tanhTangentJs(y, j, o, B, d, n, shared);
}

/** The JavaScript kernel of {@link tanhTangentKernel} (reference and fallback). */
export function tanhTangentJs(
  y: Data,
  j: Data,
  o: Data,
  B: number,
  d: number,
  n: number,
  shared: boolean,
): void {
  const s = new Float64Array(n);
  for (let b = 0; b < B; b++) {
    for (let k = 0; k < n; k++) {
      const v = y[b * n + k];
      s[k] = 1 - v * v;
    }
    for (let i = 0; i < d; i++) {
      const oi = (b * d + i) * n;
      const ji = shared ? i * n : oi;
      for (let k = 0; k < n; k++) o[oi + k] = j[ji + k] * s[k];
    }
  }
}

/**
 * dy [B, n] and dj ([B, d, n], or [d, n] when `shared`) from g [B, d, n], y [B, n] and j (the
 * layout of dj).
 */
export function tanhTangentVjpKernel(
  g: Data,
  y: Data,
  j: Data,
  dy: Data,
  dj: Data,
  B: number,
  d: number,
  n: number,
  shared: boolean,
): void {
  if (
    B * d * n >= WASM_MIN &&
    g instanceof Float64Array &&
    y instanceof Float64Array &&
    j instanceof Float64Array &&
    dy instanceof Float64Array &&
    dj instanceof Float64Array &&
    wasmTanhTangentVjp(g, y, j, dy, dj, B, d, n, shared)
  )
    return;
  tanhTangentVjpJs(g, y, j, dy, dj, B, d, n, shared);
}

/** The JavaScript kernel of {@link tanhTangentVjpKernel} (reference and fallback). */
export function tanhTangentVjpJs(
  g: Data,
  y: Data,
  j: Data,
  dy: Data,
  dj: Data,
  B: number,
  d: number,
  n: number,
  shared: boolean,
): void {
  const m = new Float64Array(n);
  const s = new Float64Array(n);
  const acc = new Float64Array(n);
  if (shared) dj.fill(0);
  for (let b = 0; b < B; b++) {
    const yb = b * n;
    for (let k = 0; k < n; k++) {
      const v = y[yb + k];
      m[k] = v * -2;
      s[k] = 1 - v * v;
    }
    acc.fill(0);
    for (let i = 0; i < d; i++) {
      const gi = (b * d + i) * n;
      const ji = shared ? i * n : gi;
      if (shared)
        for (let k = 0; k < n; k++) {
          const gv = g[gi + k];
          acc[k] += j[ji + k] * -2 * y[yb + k] * gv;
          dj[ji + k] += gv * s[k];
        }
      else
        for (let k = 0; k < n; k++) {
          const gv = g[gi + k];
          acc[k] += m[k] * gv * j[ji + k];
          dj[ji + k] = gv * s[k];
        }
    }
    for (let k = 0; k < n; k++) dy[yb + k] = acc[k];
  }
}
