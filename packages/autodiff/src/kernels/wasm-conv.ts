// The direct convolution (wasm-conv-code.ts) on the product module's memory and threads: each
// sample's input is copied in once as padded planes (boundary wrapped or zeroed), the kernels read
// its shifted rows in place through a table of tap offsets, and y comes out in NCHW order, one
// contiguous block per sample. Against the im2col path (conv.ts) this skips writing and reading
// the column matrix (T times the input) and repacking it into panels. Threads split the batch:
// blocks of samples are staged ahead of the workers and copied out as they finish. The weight
// gradient is summed per block of samples and the blocks are added in order, so every result is
// the same whatever the thread count.

import { runJob, threadPool } from "./matmul-threads.js";
import type { ConvGeom, Data } from "./types.js";
import { BASE, instance, memory } from "./wasm-matmul.js";
import { TANH_T0_BYTE } from "./wasm-tanh.js";

/** Samples per claimed block (more for batches past the claim word's ~1000 blocks), and per staging copy. */
const PER_BLOCK = 4;
const perBlockOf = (N: number): number => Math.max(PER_BLOCK, Math.ceil(N / 1000));
/** Multiply-adds from which the batch is split over threads (as for products). */
const PARALLEL_MIN_WORK = 2 ** 19;

type W = NonNullable<ReturnType<typeof instance>>;

/** Padded plane sizes and the tap offset table of a geometry. */
interface Pad {
  PH: number;
  PW: number;
  PS: number; // doubles per padded plane
  K: number; // Ci·T
}

function padOf(g: ConvGeom): Pad {
  const PH = g.H + 2 * (g.kh >> 1);
  const PW = g.W + 2 * (g.kw >> 1);
  return { PH, PW, PS: PH * PW, K: g.Ci * g.taps.length };
}

/**
 * Writes offs[k] (k = ci·T + t; `len` ≥ K entries, the extra ones 0) as byte offsets from a site's
 * padded position to the input under tap t of channel ci.
 */
function writeOffsets(f: Float64Array, off: number, g: ConvGeom, p: Pad, len: number): void {
  const o = new Int32Array(f.buffer, off * 8, len);
  const T = g.taps.length;
  const rh = g.kh >> 1;
  const rw = g.kw >> 1;
  o.fill(0);
  for (let ci = 0; ci < g.Ci; ci++)
    for (let t = 0; t < T; t++) {
      const da = ((g.taps[t] / g.kw) | 0) - rh;
      const db = (g.taps[t] % g.kw) - rw;
      o[ci * T + t] = (ci * p.PS + da * p.PW + db) * 8;
    }
}

/**
 * Copies samples [n0, n1) of x [N, Ci, H, W] into padded planes at `dst` (sample stride Ci·PS):
 * block by block of PER_BLOCK samples through the raw buffer at `raw`, padded there by convPad.
 */
function stagePadded(
  w: W,
  f: Float64Array,
  raw: number,
  dst: number,
  x: Data,
  g: ConvGeom,
  p: Pad,
  n0: number,
  n1: number,
): void {
  const plane = g.H * g.W;
  for (let a = n0; a < n1; a += PER_BLOCK) {
    const b = Math.min(n1, a + PER_BLOCK);
    f.set(x.subarray(a * g.Ci * plane, b * g.Ci * plane), raw);
    w.convPad(
      raw * 8,
      (dst + (a - n0) * g.Ci * p.PS) * 8,
      (b - a) * g.Ci,
      g.H,
      g.W,
      g.kh >> 1,
      g.kw >> 1,
      g.circular ? 1 : 0,
    );
  }
}

/** The weights at the active taps as panels [Mp/4][K][4]: a tile's four channels side by side, zero past Co. */
function stagePanels(f: Float64Array, off: number, wt: Data, g: ConvGeom, Mp: number): void {
  const { Ci, Co, taps } = g;
  const T = taps.length;
  const K = Ci * T;
  const KK = g.kh * g.kw;
  for (let i = 0; i < Mp; i++)
    for (let ci = 0; ci < Ci; ci++)
      for (let t = 0; t < T; t++)
        f[off + (i >> 2) * K * 4 + (ci * T + t) * 4 + (i & 3)] =
          i < Co ? wt[(i * Ci + ci) * KK + taps[t]] : 0;
}

function usable(g: ConvGeom, ...arrays: Data[]): W | null {
  if (g.W % 4 !== 0 || g.taps.length === 0 || arrays.some((a) => !(a instanceof Float64Array))) return null;
  return instance();
}

function poolOf(w: W, g: ConvGeom, M: number, K: number) {
  return w.shared && g.N > PER_BLOCK && M * K * g.H * g.W * g.N >= PARALLEL_MIN_WORK
    ? threadPool(w.module, w.mem, w)
    : null;
}

/** A convolution layer's epilogue y ← act(y + bias) with bias [Co] (the add and tanh ops' arithmetic). */
export interface ConvEpilogue {
  bias: Data;
  tanh: boolean;
}

/**
 * y[N, Co, H, W] = the convolution of x with w (ConvGeom's taps), then the optional epilogue, by
 * the direct kernel. Returns false, writing nothing, when it does not apply (Float32 data, W not a
 * multiple of 4, no SIMD, or the operands do not fit the module's memory).
 */
export function wasmConvForward(
  x: Data,
  wt: Data,
  y: Data,
  g: ConvGeom,
  epi: ConvEpilogue | null = null,
): boolean {
  const w = usable(g, x, wt, y);
  if (w === null || (epi !== null && !(epi.bias instanceof Float64Array))) return false;
  const p = padOf(g);
  const { N, Ci, Co, H, W } = g;
  const HW = H * W;
  const { K } = p;
  const Mp = (Co + 3) & ~3;
  // layout (doubles, after BASE): offsets [K i32] | bias [Mp] | weight panels [Mp·K] | raw x block
  // [PER_BLOCK·Ci·HW] | x [N·Ci·PS] | y [N·Mp·HW]
  const offsOff = BASE;
  const biasOff = offsOff + ((K + 1) >> 1);
  const wpOff = biasOff + Mp;
  const rawOff = wpOff + Mp * K;
  const xOff = rawOff + PER_BLOCK * Ci * HW;
  const cOff = xOff + N * Ci * p.PS;
  const f = memory(w, cOff + N * Mp * HW);
  if (f === null) return false;
  writeOffsets(f, offsOff, g, p, K);
  stagePanels(f, wpOff, wt, g, Mp);
  if (epi !== null) {
    f.set(epi.bias.subarray(0, Co), biasOff);
    f.fill(0, biasOff + Co, biasOff + Mp);
  }
  const bias = epi !== null ? biasOff * 8 : -1;
  const tanhT0 = epi?.tanh ? TANH_T0_BYTE : -1;
  const xs = Ci * p.PS * 8;
  const cs = Mp * HW * 8;
  const xc = (xOff + (g.kh >> 1) * p.PW + (g.kw >> 1)) * 8;
  const per = perBlockOf(N);
  const span = (b: number): [number, number] => [b * per, Math.min(N, (b + 1) * per)];
  const stage = (b: number) => {
    const [n0, n1] = span(b);
    stagePadded(w, f, rawOff, xOff + n0 * Ci * p.PS, x, g, p, n0, n1);
  };
  const copyOut = (b: number) => {
    const [n0, n1] = span(b);
    for (let n = n0; n < n1; n++) {
      const src = cOff + n * Mp * HW;
      y.set(f.subarray(src, src + Co * HW), n * Co * HW);
    }
  };
  const blocks = Math.ceil(N / per);
  const pool = poolOf(w, g, Co, K);
  if (pool === null) {
    // block by block, so the padded input and C are still in cache for tanh and the copy out
    for (let b = 0; b < blocks; b++) {
      const [n0, n1] = span(b);
      stage(b);
      const cb = (cOff + n0 * Mp * HW) * 8;
      w.convFwd(xc + n0 * xs, offsOff * 8, wpOff * 8, cb, Mp, K, H, W, p.PW, n1 - n0, xs, cs, bias);
      if (tanhT0 >= 0) w.tanh(cb, ((n1 - n0) * Mp * HW) >> 1, tanhT0);
      copyOut(b);
    }
    return true;
  }
  runJob(
    pool,
    {
      kind: 1,
      xc,
      offs: offsOff * 8,
      wg: wpOff * 8,
      out: cOff * 8,
      M: Mp,
      K,
      H,
      W,
      PW: p.PW,
      perBlock: per,
      xs,
      ys: cs,
      samples: N,
      outBlock: 0,
      bias,
      tanhT0,
    },
    stage,
    undefined,
    copyOut,
  );
  return true;
}

/**
 * dw[Co, Ci, kh, kw] = Σ_n Σ_p gy[n, co, p]·x[n, ci, p + offset(tap)] at the active taps, zero at
 * the others, by the direct kernel; false, writing nothing, when it does not apply (as
 * wasmConvForward).
 */
export function wasmConvWeightGrad(x: Data, gy: Data, dw: Data, g: ConvGeom): boolean {
  const w = usable(g, x, gy, dw);
  if (w === null) return false;
  const p = padOf(g);
  const { N, Ci, Co, H, W, taps } = g;
  const HW = H * W;
  const T = taps.length;
  const KK = g.kh * g.kw;
  const { K } = p;
  const Kp = (K + 1) & ~1;
  const Mp = (Co + 3) & ~3;
  const per = perBlockOf(N);
  const blocks = Math.ceil(N / per);
  // layout (doubles, after BASE): offsets [Kp i32] | raw x block [PER_BLOCK·Ci·HW] | x [N·Ci·PS] |
  // gy [N·Mp·HW] | per-block dw [Mp·Kp]
  const offsOff = BASE;
  const rawOff = offsOff + (Kp >> 1);
  const xOff = rawOff + PER_BLOCK * Ci * HW;
  const gOff = xOff + N * Ci * p.PS;
  const dOff = gOff + N * Mp * HW;
  const f = memory(w, dOff + blocks * Mp * Kp);
  if (f === null) return false;
  writeOffsets(f, offsOff, g, p, Kp);
  const xs = Ci * p.PS * 8;
  const gs = Mp * HW * 8;
  const xc = (xOff + (g.kh >> 1) * p.PW + (g.kw >> 1)) * 8;
  const stage = (n0: number, n1: number) => {
    stagePadded(w, f, rawOff, xOff + n0 * Ci * p.PS, x, g, p, n0, n1);
    for (let n = n0; n < n1; n++) {
      const d = gOff + n * Mp * HW;
      f.set(gy.subarray(n * Co * HW, (n + 1) * Co * HW), d);
      if (Mp > Co) f.fill(0, d + Co * HW, d + Mp * HW);
    }
  };
  const span = (b: number): [number, number] => [b * per, Math.min(N, (b + 1) * per)];
  const pool = poolOf(w, g, Co, K);
  if (pool === null) {
    stage(0, N);
    for (let b = 0; b < blocks; b++) {
      const [n0, n1] = span(b);
      w.convWG(
        xc + n0 * xs,
        offsOff * 8,
        gOff * 8 + n0 * gs,
        (dOff + b * Mp * Kp) * 8,
        Mp,
        Kp,
        H,
        W,
        p.PW,
        n1 - n0,
        xs,
        gs,
      );
    }
  } else {
    runJob(
      pool,
      {
        kind: 2,
        xc,
        offs: offsOff * 8,
        wg: gOff * 8,
        out: dOff * 8,
        M: Mp,
        K: Kp,
        H,
        W,
        PW: p.PW,
        perBlock: per,
        xs,
        ys: gs,
        samples: N,
        outBlock: Mp * Kp * 8,
        bias: -1,
        tanhT0: -1,
      },
      (b) => stage(...span(b)),
    );
  }
  // the blocks' sums in block order
  dw.fill(0, 0, Co * Ci * KK);
  for (let co = 0; co < Co; co++)
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let b = 0, q = dOff + co * Kp + k; b < blocks; b++, q += Mp * Kp) s += f[q];
      dw[(co * Ci + ((k / T) | 0)) * KK + taps[k % T]] = s;
    }
  return true;
}
