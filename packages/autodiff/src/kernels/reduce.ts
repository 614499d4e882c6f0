// Sum / max over a set of axes of a contiguous array.
import type { Shape } from "../core/shape.js";
import type { Data } from "./types.js";

/**
 * Reduces `x` (shape `shape`) over `axes` into `o` (the kept dims, row-major). Adjacent dims with
 * the same reduced/kept flag are merged first so the common cases become one or two flat loops.
 */
export function reduceKernel(
  kind: "sum" | "max",
  x: Data,
  shape: Shape,
  axes: readonly number[],
  o: Data,
): void {
  const init = kind === "sum" ? 0 : Number.NEGATIVE_INFINITY;
  o.fill(init);
  if (x.length === 0) return;
  const sh: number[] = [];
  const red: boolean[] = [];
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const r = axes.includes(d);
    if (sh.length > 0 && red[red.length - 1] === r) sh[sh.length - 1] *= shape[d];
    else {
      sh.push(shape[d]);
      red.push(r);
    }
  }
  if (sh.length === 0) {
    o[0] = x[0];
    return;
  }
  const nd = sh.length;
  if (kind === "sum" && nd === 2 && red[0] && !red[1]) {
    sumLeading(x, sh[0], sh[1], o);
    return;
  }
  // output strides over merged dims (0 for reduced dims)
  const ost = new Array<number>(nd).fill(0);
  let acc = 1;
  for (let d = nd - 1; d >= 0; d--) {
    if (!red[d]) {
      ost[d] = acc;
      acc *= sh[d];
    }
  }
  const inner = sh[nd - 1];
  const innerRed = red[nd - 1];
  const outer = x.length / inner;
  const cnt = new Int32Array(nd);
  let pi = 0;
  let po = 0;
  const isSum = kind === "sum";
  for (let r = 0; r < outer; r++) {
    if (innerRed) {
      let s = init;
      if (isSum) for (let j = 0; j < inner; j++) s += x[pi + j];
      else
        for (let j = 0; j < inner; j++) {
          const v = x[pi + j];
          if (v > s || Number.isNaN(v)) s = v;
        }
      if (isSum) o[po] += s;
      else if (s > o[po] || Number.isNaN(s)) o[po] = s;
    } else if (isSum) {
      for (let j = 0; j < inner; j++) o[po + j] += x[pi + j];
    } else {
      for (let j = 0; j < inner; j++) {
        const v = x[pi + j];
        if (v > o[po + j] || Number.isNaN(v)) o[po + j] = v;
      }
    }
    pi += inner;
    for (let d = nd - 2; d >= 0; d--) {
      cnt[d]++;
      po += ost[d];
      if (cnt[d] < sh[d]) break;
      po -= ost[d] * sh[d];
      cnt[d] = 0;
    }
  }
}

/**
 * o[j] = Σ_r x[r·C + j]: the sum over leading axes (bias gradients, sumTo over a batch). Eight
 * column sums are kept in registers while the rows stream past, so the inner loop has no stores
 * (V8 reloads typed-array fields after each store). Same order of additions as the general loop.
 */
function sumLeading(x: Data, R: number, C: number, o: Data): void {
  let j = 0;
  for (; j + 8 <= C; j += 8) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let s5 = 0;
    let s6 = 0;
    let s7 = 0;
    for (let r = 0, p = j; r < R; r++, p += C) {
      s0 += x[p];
      s1 += x[p + 1];
      s2 += x[p + 2];
      s3 += x[p + 3];
      s4 += x[p + 4];
      s5 += x[p + 5];
      s6 += x[p + 6];
      s7 += x[p + 7];
    }
    o[j] = s0;
    o[j + 1] = s1;
    o[j + 2] = s2;
    o[j + 3] = s3;
    o[j + 4] = s4;
    o[j + 5] = s5;
    o[j + 6] = s6;
    o[j + 7] = s7;
  }
  for (; j < C; j++) {
    let s = 0;
    for (let r = 0, p = j; r < R; r++, p += C) s += x[p];
    o[j] = s;
  }
}
