// Shape arithmetic shared by kernels, primitives and rules: NumPy broadcasting, axis
// normalisation, row-major strides.
import { AutodiffInputError } from "../errors.js";

export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** NumPy broadcasting of two shapes (right-aligned, size-1 dims stretch). */
export function broadcastShapes(a: Shape, b: Shape, field = "broadcast"): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da !== db && da !== 1 && db !== 1) {
      throw new AutodiffInputError(
        field,
        "shapes that broadcast (equal or 1 per aligned dim)",
        [...a],
        `vs [${b.join(",")}]`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides of `shape` viewed inside the broadcast shape `out` (0 on stretched dims). */
export function broadcastStrides(shape: Shape, out: Shape): number[] {
  const st = stridesOf(shape);
  const off = out.length - shape.length;
  const r = new Array<number>(out.length).fill(0);
  for (let i = 0; i < shape.length; i++) r[i + off] = shape[i] === 1 ? 0 : st[i];
  return r;
}

/**
 * Walks the broadcast of two batch shapes in row-major order, calling fn(t, ia, ib) with the flat
 * output index and the flat index into each operand's batch. Returns the broadcast shape.
 */
export function forBroadcast(
  aB: Shape,
  bB: Shape,
  field: string,
  fn: (t: number, ia: number, ib: number) => void,
): number[] {
  const oB = broadcastShapes(aB, bB, field);
  const nB = sizeOf(oB);
  const sa = broadcastStrides(aB, oB);
  const sb = broadcastStrides(bB, oB);
  const idx = new Array<number>(oB.length).fill(0);
  for (let t = 0; t < nB; t++) {
    let pa = 0;
    let pb = 0;
    for (let d = 0; d < oB.length; d++) {
      pa += idx[d] * sa[d];
      pb += idx[d] * sb[d];
    }
    fn(t, pa, pb);
    for (let d = oB.length - 1; d >= 0; d--) {
      if (++idx[d] < oB[d]) break;
      idx[d] = 0;
    }
  }
  return oB;
}

/** Normalises `axes` (number, list, or undefined = all) to sorted unique non-negative axes. */
export function normAxes(
  axes: number | readonly number[] | undefined,
  ndim: number,
  field = "axes",
): number[] {
  if (axes === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof axes === "number" ? [axes] : axes;
  const seen = new Set<number>();
  for (const a of list) {
    if (!Number.isInteger(a) || a < -ndim || a >= ndim) {
      throw new AutodiffInputError(field, `integer axes in [${-ndim}, ${ndim - 1}]`, a);
    }
    seen.add(a < 0 ? a + ndim : a);
  }
  return [...seen].sort((x, y) => x - y);
}

export function normAxis(axis: number, ndim: number, field = "axis"): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new AutodiffInputError(field, `an integer axis in [${-ndim}, ${ndim - 1}]`, axis);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Shape after reducing `axes` (keepdims keeps them as size 1). */
export function reducedShape(shape: Shape, axes: readonly number[], keepdims: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (axes.includes(i)) {
      if (keepdims) out.push(1);
    } else out.push(shape[i]);
  }
  return out;
}

export function checkShape(shape: readonly number[], field = "shape"): number[] {
  if (!Array.isArray(shape)) throw new AutodiffInputError(field, "an array of non-negative integers", shape);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0)
      throw new AutodiffInputError(field, "non-negative integer dims", [...shape]);
  }
  return [...shape];
}
