// Strided copies: transpose, broadcastTo, slice (read with offset) and pad (write with offset).
import type { Shape } from "../core/shape.js";
import { mergeDims } from "./elementwise.js";
import type { Data } from "./types.js";

/** dst[dOff + Σ i_d·dSt_d] = src[sOff + Σ i_d·sSt_d] for every index i of `shape`. */
export function copyStrided(
  src: Data,
  sOff: number,
  sSt: readonly number[],
  dst: Data,
  dOff: number,
  dSt: readonly number[],
  shape: Shape,
): void {
  const m = mergeDims(shape, [sSt as number[], dSt as number[]]);
  const sh = m.shape;
  const nd = sh.length;
  if (nd === 0) {
    let total = 1;
    for (const d of shape) total *= d;
    if (total > 0) dst[dOff] = src[sOff];
    return;
  }
  let total = 1;
  for (const d of sh) total *= d;
  if (total === 0) return;
  const [ss, ds] = m.strides;
  const inner = sh[nd - 1];
  const si = ss[nd - 1];
  const di = ds[nd - 1];
  const outer = total / inner;
  const cnt = new Int32Array(nd);
  let ps = sOff;
  let pd = dOff;
  for (let r = 0; r < outer; r++) {
    if (si === 1 && di === 1) for (let j = 0; j < inner; j++) dst[pd + j] = src[ps + j];
    else for (let j = 0, a = ps, b = pd; j < inner; j++, a += si, b += di) dst[b] = src[a];
    for (let d = nd - 2; d >= 0; d--) {
      cnt[d]++;
      ps += ss[d];
      pd += ds[d];
      if (cnt[d] < sh[d]) break;
      ps -= ss[d] * sh[d];
      pd -= ds[d] * sh[d];
      cnt[d] = 0;
    }
  }
}

/** out[o, i, n] = x[o, idx[i], n] with x viewed as [outer, axisLen, inner]. */
export function gatherKernel(
  x: Data,
  outer: number,
  axisLen: number,
  inner: number,
  idx: Int32Array,
  o: Data,
): void {
  const m = idx.length;
  for (let a = 0; a < outer; a++) {
    for (let i = 0; i < m; i++) {
      const s = (a * axisLen + idx[i]) * inner;
      const d = (a * m + i) * inner;
      for (let n = 0; n < inner; n++) o[d + n] = x[s + n];
    }
  }
}

/** o[o, idx[i], n] += x[o, i, n]; `o` is zero-initialised with axis length `size`. */
export function scatterAddKernel(
  x: Data,
  outer: number,
  inner: number,
  idx: Int32Array,
  size: number,
  o: Data,
): void {
  const m = idx.length;
  for (let a = 0; a < outer; a++) {
    for (let i = 0; i < m; i++) {
      const d = (a * size + idx[i]) * inner;
      const s = (a * m + i) * inner;
      for (let n = 0; n < inner; n++) o[d + n] += x[s + n];
    }
  }
}
