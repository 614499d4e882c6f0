// Sum / max over a set of axes of a contiguous array.
import type { Shape } from "../core/shape.js";
import type { Data } from "./elementwise.js";

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
