// A Float64 tanh without Math.tanh (V8 calls out to fdlibm for it, ~25 ns per element; this scalar
// path takes ~7 ns and the SIMD path of wasm-tanh.ts ~4.5 ns),
// accurate to a few ulp (≤ 4 ulp measured against Math.tanh; see tanh.test.ts).
//
// Range reduction by the addition formula: with j = round(x) and r = x − j (exact, by
// Sterbenz, and |r| ≤ 1/2), tanh x = (T_j + t_r) / (1 + T_j·t_r) where T_j = tanh(j) is tabled
// and t_r = r·N(r²)/D(r²) is the depth-7 convergent of Lambert's continued fraction
// tanh r = r / (1 + r²/(3 + r²/(5 + …))) — integer coefficients, relative error < 2e-19 on
// |r| ≤ 1/2. Writing t_r = n/d folds both into a single division:
// tanh x = (T_j·d + n) / (d + T_j·n). No cancellation: for j ≠ 0, |T_j| ≥ 0.76 > |t_r| ≤ 0.47.
// x is clamped to [−20, 20] first: tanh 20 rounds to 1 in Float64. The SIMD kernel
// (wasm-tanh.ts) computes the same operations in the same order, so both agree bit for bit.

import type { Data } from "./types.js";
import { TANH_DEN, TANH_NUM, wasmTanh } from "./wasm-tanh.js";

const TABLE = new Float64Array(41); // T_j for j = −20…20
for (let j = -20; j <= 20; j++) TABLE[j + 20] = Math.tanh(j);

const [N0, N1, N2, N3] = TANH_NUM;
const [D0, D1, D2, D3] = TANH_DEN;

/** tanh of one number (see the file comment for the method and accuracy). */
export function fastTanh(a: number): number {
  if (a === 0 || Number.isNaN(a)) return a; // keeps the sign of −0; NaN stays NaN
  // biome-ignore lint/complexity/useMathMinMax: a plain compare is cheaper than Math.min/max's NaN handling (NaN returned above)
  const c = a > 20 ? 20 : a < -20 ? -20 : a;
  // j = nearest integer, ties to even, exactly like the SIMD kernel's f64x2.nearest
  let j = Math.floor(c + 0.5); // exact for |c| ≤ 20; Math.round would be a slow call
  if (j - c === 0.5 && (j & 1) !== 0) j -= 1;
  const r = c - j;
  const z = r * r;
  const n = r * (N0 + z * (N1 + z * (N2 + z * N3)));
  const d = D0 + z * (D1 + z * (D2 + z * (D3 + z)));
  const tj = TABLE[j + 20];
  return (tj * d + n) / (d + tj * n);
}

/** o[i] = tanh(x[i]) for i < n: WebAssembly SIMD for long arrays, else this file's scalar loop. */
export function tanhKernel(x: Data, o: Data, n: number): void {
  let i = 0;
  if (n >= WASM_MIN && wasmTanh(x, o, n)) i = n & ~1;
  for (; i < n; i++) o[i] = fastTanh(x[i]);
}

/** Below this length the copy in and out of the module's memory is not worth it. */
const WASM_MIN = 64;
