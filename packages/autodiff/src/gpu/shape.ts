// Shape arithmetic shared by the GPU kernels: row-major sizes and strides, NumPy broadcasting
// and axis normalisation. Pure functions; no GPU objects.
import { GpuInputError } from "./errors.js";

/** Number of elements of a shape (1 for a scalar shape `[]`). */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides of a contiguous array of this shape. */
export function rowMajorStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d];
  }
  return s;
}

/** Throws unless every entry is a non-negative integer. */
export function checkShape(field: string, shape: readonly number[]): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new GpuInputError(field, "non-negative integer dimensions", [...shape]);
    }
  }
}

/** NumPy broadcast of two shapes (aligned on the right); throws on a mismatch. */
export function broadcastShapes(field: string, a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new GpuInputError(
        field,
        `a shape that broadcasts with [${a.join(",")}]`,
        [...b],
        `axis ${i}: ${da} vs ${db}`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Strides with which an array of `shape` is read when broadcast to `outShape`: the row-major
 * stride, or 0 along axes where it is broadcast (size 1 or missing on the left).
 */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const own = rowMajorStrides(shape);
  const offset = outShape.length - shape.length;
  return outShape.map((_, i) => {
    const j = i - offset;
    return j < 0 || shape[j] === 1 ? 0 : own[j];
  });
}

/** Normalises reduction axes (negative counts from the end) to a sorted, duplicate-free list. */
export function normaliseAxes(
  field: string,
  axes: number | readonly number[] | undefined,
  rank: number,
): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === "number" ? [axes] : [...axes];
  const out = new Set<number>();
  for (const a of list) {
    if (!Number.isInteger(a) || a < -rank || a >= rank) {
      throw new GpuInputError(field, `integer axes in ${-rank}..${rank - 1}`, a);
    }
    out.add(a < 0 ? a + rank : a);
  }
  return [...out].sort((x, y) => x - y);
}
