// Tensor constructors: from JS data, constants, ranges and identity matrices.
import { AutodiffInputError } from "../errors.js";
import type { Data } from "../kernels/types.js";
import { arenaRecord, POOL_MIN_LENGTH, poolTake, recycling } from "./pool.js";
import { checkShape, sizeOf } from "./shape.js";
import type { DType, NestedArray } from "./tensor.js";
import { Tensor } from "./tensor.js";

/** A zero-filled data array (from the pool of core/pool.ts when one of this size is free). */
export function alloc(dtype: DType, n: number): Data {
  const d = poolTake(dtype, n);
  if (d !== null) d.fill(0);
  return fresh(d, dtype, n);
}

/** A data array with arbitrary contents, for kernels that overwrite every element. */
export function allocUninit(dtype: DType, n: number): Data {
  return fresh(poolTake(dtype, n), dtype, n);
}

/**
 * A Float64 array with arbitrary contents on a SharedArrayBuffer where there is one (else an
 * ordinary array), for kernel outputs that worker threads write and later products' workers read
 * (kernels/matmul-threads.ts). Small arrays stay ordinary (no product splits over threads for
 * them), and so do arrays made outside a grad call: V8 collects garbage SharedArrayBuffers late
 * (0.4 GB more resident memory over a loop of forward passes, measured), so only arrays the pool
 * will take back are shared.
 */
export function allocShared(n: number): Float64Array {
  if (n < POOL_MIN_LENGTH || typeof SharedArrayBuffer !== "function" || !recycling())
    return allocUninit("float64", n) as Float64Array;
  const d =
    (poolTake("float64", n, true) as Float64Array | null) ?? new Float64Array(new SharedArrayBuffer(n * 8));
  arenaRecord(d);
  return d;
}

function fresh(pooled: Data | null, dtype: DType, n: number): Data {
  const d = pooled ?? (dtype === "float32" ? new Float32Array(n) : new Float64Array(n));
  arenaRecord(d);
  return d;
}

function checkDtype(dtype: unknown): DType {
  if (dtype !== "float64" && dtype !== "float32") {
    throw new AutodiffInputError("dtype", '"float64" or "float32"', dtype as string);
  }
  return dtype;
}

function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0];
  }
  return shape;
}

function flattenInto(data: NestedArray, shape: number[], axis: number, out: Data, pos: { i: number }): void {
  if (axis === shape.length) {
    if (typeof data !== "number")
      throw new AutodiffInputError("tensor.data", "numbers in a rectangular nested array", typeof data);
    out[pos.i++] = data;
    return;
  }
  if (!Array.isArray(data) || data.length !== shape[axis]) {
    throw new AutodiffInputError(
      "tensor.data",
      `a rectangular nested array (axis ${axis} of length ${shape[axis]})`,
      Array.isArray(data) ? data.length : typeof data,
    );
  }
  for (const d of data) flattenInto(d, shape, axis + 1, out, pos);
}

/**
 * Creates a concrete tensor. `data` may be a number, nested arrays, a flat number array or a typed
 * array (flat data needs `shape`, or is taken as 1-D). The data is copied.
 */
export function tensor(
  data: number | NestedArray | Float64Array | Float32Array | readonly number[],
  shape?: readonly number[],
  dtype: DType = "float64",
): Tensor {
  checkDtype(dtype);
  if (typeof data === "number") {
    const s = shape ? checkShape(shape) : [];
    if (sizeOf(s) !== 1)
      throw new AutodiffInputError("tensor.shape", "a shape of size 1 for a scalar", [...s]);
    const d = alloc(dtype, 1);
    d[0] = data;
    return Tensor._of(d, s);
  }
  if (data instanceof Float64Array || data instanceof Float32Array) {
    const s = shape ? checkShape(shape) : [data.length];
    if (sizeOf(s) !== data.length) {
      throw new AutodiffInputError("tensor.shape", `a shape of size ${data.length}`, [...s]);
    }
    const d = alloc(dtype, data.length);
    d.set(data);
    return Tensor._of(d, s);
  }
  if (!Array.isArray(data))
    throw new AutodiffInputError("tensor.data", "a number, nested array or typed array", typeof data);
  const inferred = inferShape(data as NestedArray);
  const d = alloc(dtype, sizeOf(inferred));
  flattenInto(data as NestedArray, inferred, 0, d, { i: 0 });
  if (shape) {
    const s = checkShape(shape);
    if (sizeOf(s) !== d.length)
      throw new AutodiffInputError("tensor.shape", `a shape of size ${d.length}`, [...s]);
    return Tensor._of(d, s);
  }
  return Tensor._of(d, inferred);
}

/** A tensor filled with `value`. */
export function full(shape: readonly number[], value: number, dtype: DType = "float64"): Tensor {
  const s = checkShape(shape);
  const d = alloc(checkDtype(dtype), sizeOf(s));
  if (value !== 0) d.fill(value);
  return Tensor._of(d, s);
}

export function zeros(shape: readonly number[], dtype: DType = "float64"): Tensor {
  return full(shape, 0, dtype);
}

export function ones(shape: readonly number[], dtype: DType = "float64"): Tensor {
  return full(shape, 1, dtype);
}

export function zerosLike(x: Tensor): Tensor {
  return full(x.shape, 0, x.dtype);
}

export function onesLike(x: Tensor): Tensor {
  return full(x.shape, 1, x.dtype);
}

/** [0, 1, …, n−1] (or [start, start+step, …) below `stop` when called as arange(start, stop, step)). */
export function arange(n: number, stop?: number, step = 1, dtype: DType = "float64"): Tensor {
  const start = stop === undefined ? 0 : n;
  const end = stop === undefined ? n : stop;
  if (!Number.isFinite(start) || !Number.isFinite(end) || !Number.isFinite(step) || step === 0) {
    throw new AutodiffInputError("arange", "finite start/stop and a non-zero step", step);
  }
  const len = Math.max(0, Math.ceil((end - start) / step));
  const d = alloc(dtype, len);
  for (let i = 0; i < len; i++) d[i] = start + i * step;
  return Tensor._of(d, [len]);
}

/** The n×n identity. */
export function eye(n: number, dtype: DType = "float64"): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new AutodiffInputError("eye.n", "a non-negative integer", n);
  const d = alloc(dtype, n * n);
  for (let i = 0; i < n; i++) d[i * n + i] = 1;
  return Tensor._of(d, [n, n]);
}

/** A scalar constant of the given dtype (used to lift plain numbers into ops). */
export function scalar(v: number, dtype: DType = "float64"): Tensor {
  const d = alloc(dtype, 1);
  d[0] = v;
  return Tensor._of(d, []);
}
