// 2-D convolution (cross-correlation, stride 1, "same" output size, odd kernels) on NCHW arrays.
// Float64 lattices whose width is a multiple of 4 go to the direct SIMD kernel (wasm-conv.ts);
// the others are computed here as matrix products: the active taps of a chunk of samples are unrolled into a column matrix
// cols[Ci·T, S·H·W] (T = number of active taps, so a masked kernel skips its zero taps), and
// out = Wp[Co, Ci·T]·cols runs in the package's matrix-product kernel (WebAssembly SIMD, threads).
// The weight gradient is the transposed product, dWp = g·colsᵀ, summed over the chunks.
import { BINARY_EXPR, naryKernel, unaryKernel } from "./elementwise.js";
import { matmulKernel } from "./matmul.js";
import type { ConvGeom, Data } from "./types.js";
import { type ConvEpilogue, wasmConvForward, wasmConvWeightGrad } from "./wasm-conv.js";

/** Samples per column chunk: about 2 MB of columns, fixed by the geometry alone (not the thread count). */
function chunkOf(g: ConvGeom): number {
  const perSample = g.Ci * g.taps.length * g.H * g.W;
  return Math.max(1, Math.min(g.N, Math.floor(262144 / Math.max(1, perSample))));
}

let scratch64: Float64Array[] = [];
let scratch32: Float32Array[] = [];

/** Reusable scratch array `i` of at least n elements, of x's element type. */
function scratch(like: Data, i: number, n: number): Data {
  if (like instanceof Float32Array) {
    if (!scratch32[i] || scratch32[i].length < n) {
      scratch32 = [...scratch32];
      scratch32[i] = new Float32Array(n);
    }
    return scratch32[i];
  }
  if (!scratch64[i] || scratch64[i].length < n) {
    scratch64 = [...scratch64];
    scratch64[i] = new Float64Array(n);
  }
  return scratch64[i];
}

/**
 * Writes the shifted row src[so + (j + d) mod W] (circular) or src[so + j + d] with zeros outside
 * [0, W) into dst[d0 … d0 + W).
 */
function shiftRow(
  src: Data,
  so: number,
  dst: Data,
  d0: number,
  W: number,
  d: number,
  circular: boolean,
): void {
  if (d >= 0) {
    const n = W - d; // j in [0, n): src j + d
    for (let j = 0; j < n; j++) dst[d0 + j] = src[so + j + d];
    if (circular) for (let j = n; j < W; j++) dst[d0 + j] = src[so + j - n];
    else for (let j = n; j < W; j++) dst[d0 + j] = 0;
  } else {
    const m = -d; // j in [0, m): src j + d < 0
    if (circular) for (let j = 0; j < m; j++) dst[d0 + j] = src[so + W - m + j];
    else for (let j = 0; j < m; j++) dst[d0 + j] = 0;
    for (let j = m; j < W; j++) dst[d0 + j] = src[so + j - m];
  }
}

/**
 * cols[ci·T + t, s·HW + p] for samples n0 … n0 + S − 1 (row stride S·HW), row by row of the
 * lattice (a per-site index table was measured slower: 33–45 against 26–35 ms for the 32-channel
 * layer's columns, same process).
 */
function im2col(x: Data, g: ConvGeom, n0: number, S: number, cols: Data): void {
  const { Ci, H, W, kh, kw, taps, circular } = g;
  const HW = H * W;
  const T = taps.length;
  const rh = kh >> 1;
  const rw = kw >> 1;
  const ld = S * HW;
  for (let s = 0; s < S; s++) {
    const xs = (n0 + s) * Ci * HW;
    for (let ci = 0; ci < Ci; ci++) {
      const plane = xs + ci * HW;
      for (let t = 0; t < T; t++) {
        const da = ((taps[t] / kw) | 0) - rh;
        const db = (taps[t] % kw) - rw;
        const row = (ci * T + t) * ld + s * HW;
        for (let i = 0; i < H; i++) {
          let si = i + da;
          const d0 = row + i * W;
          if (si < 0 || si >= H) {
            if (!circular) {
              for (let j = 0; j < W; j++) cols[d0 + j] = 0;
              continue;
            }
            si = si < 0 ? si + H : si - H;
          }
          shiftRow(x, plane + si * W, cols, d0, W, db, circular);
        }
      }
    }
  }
}

/** Wp[co, ci·T + t] = w[co, ci, taps[t]]. */
function packWeights(w: Data, g: ConvGeom, wp: Data): void {
  const { Ci, Co, kh, kw, taps } = g;
  const T = taps.length;
  const K = kh * kw;
  for (let co = 0; co < Co; co++)
    for (let ci = 0; ci < Ci; ci++)
      for (let t = 0; t < T; t++) wp[co * Ci * T + ci * T + t] = w[(co * Ci + ci) * K + taps[t]];
}

/**
 * y[N, Co, H, W] = Σ over Ci and the active taps of w·x, as described at the top of the file,
 * then the optional layer epilogue y ← act(y + bias) (the add and tanh ops' arithmetic).
 */
export function convForward(x: Data, w: Data, y: Data, g: ConvGeom, epi: ConvEpilogue | null = null): void {
  if (wasmConvForward(x, w, y, g, epi)) return;
  convProducts(x, w, y, g);
  if (epi === null) return;
  const { N, Co, H, W } = g;
  const HW = H * W;
  naryKernel(
    "add",
    BINARY_EXPR.add,
    [y, epi.bias],
    [
      [Co * HW, HW, 1],
      [0, 1, 0],
    ],
    [N, Co, HW],
    y,
  );
  if (epi.tanh) unaryKernel("tanh", y.subarray(0, N * Co * HW), y.subarray(0, N * Co * HW));
}

/** The forward convolution as matrix products over column chunks. */
function convProducts(x: Data, w: Data, y: Data, g: ConvGeom): void {
  const { N, Ci, Co, H, W, taps } = g;
  const HW = H * W;
  const Kd = Ci * taps.length;
  if (Kd === 0) {
    y.fill(0, 0, N * Co * HW);
    return;
  }
  const wp = scratch(x, 0, Co * Kd);
  packWeights(w, g, wp);
  const S = chunkOf(g);
  const cols = scratch(x, 1, Kd * S * HW);
  for (let n0 = 0; n0 < N; n0 += S) {
    const s = Math.min(S, N - n0);
    im2col(x, g, n0, s, cols);
    if (s === 1) {
      matmulKernel(wp, 0, cols, 0, y, n0 * Co * HW, Co, Kd, HW);
      continue;
    }
    // [Co, s·HW] → y[n0 + j, co, ·]
    const tmp = scratch(x, 2, Co * s * HW);
    matmulKernel(wp, 0, cols, 0, tmp, 0, Co, Kd, s * HW);
    for (let co = 0; co < Co; co++)
      for (let j = 0; j < s; j++) {
        const src = co * s * HW + j * HW;
        y.set(tmp.subarray(src, src + HW), ((n0 + j) * Co + co) * HW);
      }
  }
}

/**
 * dw[Co, Ci, kh, kw] = Σ_n Σ_p gy[n, co, p]·x[n, ci, p + offset(tap)] at the active taps, zero at
 * the others: the weight gradient of convForward for output cotangent gy.
 */
export function convWeightGrad(x: Data, gy: Data, dw: Data, g: ConvGeom): void {
  const { N, Ci, Co, H, W, kh, kw, taps } = g;
  const HW = H * W;
  const T = taps.length;
  const Kd = Ci * T;
  const K = kh * kw;
  if (Kd > 0 && wasmConvWeightGrad(x, gy, dw, g)) return;
  dw.fill(0, 0, Co * Ci * K);
  if (Kd === 0) return;
  const S = chunkOf(g);
  const cols = scratch(x, 1, Kd * S * HW);
  const acc = scratch(x, 3, Co * Kd);
  const part = scratch(x, 4, Co * Kd);
  acc.fill(0, 0, Co * Kd);
  for (let n0 = 0; n0 < N; n0 += S) {
    const s = Math.min(S, N - n0);
    im2col(x, g, n0, s, cols);
    let gm = gy;
    let go = n0 * Co * HW;
    if (s > 1) {
      // gy[n0 + j, co, ·] → [Co, s·HW]
      gm = scratch(x, 2, Co * s * HW);
      go = 0;
      for (let co = 0; co < Co; co++)
        for (let j = 0; j < s; j++) {
          const src = ((n0 + j) * Co + co) * HW;
          gm.set(gy.subarray(src, src + HW), (co * s + j) * HW);
        }
    }
    matmulKernel(gm, go, cols, 0, part, 0, Co, s * HW, Kd, false, true);
    for (let i = 0; i < Co * Kd; i++) acc[i] += part[i];
  }
  for (let co = 0; co < Co; co++)
    for (let ci = 0; ci < Ci; ci++)
      for (let t = 0; t < T; t++) dw[(co * Ci + ci) * K + taps[t]] = acc[co * Kd + ci * T + t];
}
