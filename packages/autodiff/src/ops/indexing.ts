// gather / scatterAdd along one axis (an adjoint pair) and one-hot encoding.
import { bind, type Primitive } from "../core/bind.js";
import { alloc } from "../core/create.js";
import { definePrimitive } from "../core/registry.js";
import { normAxis, sizeOf } from "../core/shape.js";
import { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { gatherKernel, scatterAddKernel } from "../kernels/copy.js";
import { toFront } from "./batching.js";

interface GP {
  idx: Int32Array;
  axis: number;
  size: number;
}

const P_GATHER: Primitive<GP> = definePrimitive({
  name: "gather",
  impl([x], { idx, axis }) {
    const shape = [...x.shape];
    shape[axis] = idx.length;
    const o = alloc(x.dtype, sizeOf(shape));
    gatherKernel(
      x._data!,
      sizeOf(x.shape.slice(0, axis)),
      x.shape[axis],
      sizeOf(x.shape.slice(axis + 1)),
      idx,
      o,
    );
    return Tensor._of(o, shape);
  },
  jvp: (_x, [t], _o, p, nb) => bind(P_GATHER, [t!], { ...p, axis: p.axis + nb }),
  vjp: (g, _x, _o, p) => [bind(P_SCATTER, [g], p)],
  batch: ([x], [bd], p) => [bind(P_GATHER, [toFront(x, bd!)], { ...p, axis: p.axis + 1 }), 0],
});

const P_SCATTER: Primitive<GP> = definePrimitive({
  name: "scatterAdd",
  impl([x], { idx, axis, size }) {
    const shape = [...x.shape];
    shape[axis] = size;
    const o = alloc(x.dtype, sizeOf(shape));
    scatterAddKernel(x._data!, sizeOf(x.shape.slice(0, axis)), sizeOf(x.shape.slice(axis + 1)), idx, size, o);
    return Tensor._of(o, shape);
  },
  jvp: (_x, [t], _o, p, nb) => bind(P_SCATTER, [t!], { ...p, axis: p.axis + nb }),
  vjp: (g, _x, _o, p) => [bind(P_GATHER, [g], p)],
  batch: ([x], [bd], p) => [bind(P_SCATTER, [toFront(x, bd!)], { ...p, axis: p.axis + 1 }), 0],
});

function checkIdx(indices: Int32Array | readonly number[], size: number, field: string): Int32Array {
  const idx = indices instanceof Int32Array ? indices : Int32Array.from(indices);
  for (let i = 0; i < idx.length; i++) {
    if (idx[i] < 0 || idx[i] >= size || (!(indices instanceof Int32Array) && !Number.isInteger(indices[i]))) {
      throw new AutodiffInputError(field, `integers in [0, ${size - 1}]`, indices[i]);
    }
  }
  return idx;
}

/** Takes entries `indices` along `axis`: out[…, i, …] = x[…, indices[i], …]. */
export function gather(x: Tensor, indices: Int32Array | readonly number[], axis = 0): Tensor {
  const a = normAxis(axis, x.ndim, "gather.axis");
  const idx = checkIdx(indices, x.shape[a], "gather.indices");
  return bind(P_GATHER, [x], { idx, axis: a, size: x.shape[a] });
}

/** The adjoint of gather: out (axis length `size`) with out[…, indices[i], …] += x[…, i, …]. */
export function scatterAdd(
  x: Tensor,
  indices: Int32Array | readonly number[],
  axis: number,
  size: number,
): Tensor {
  const a = normAxis(axis, x.ndim, "scatterAdd.axis");
  if (!Number.isInteger(size) || size < 0)
    throw new AutodiffInputError("scatterAdd.size", "a non-negative integer", size);
  const idx = checkIdx(indices, size, "scatterAdd.indices");
  if (idx.length !== x.shape[a]) {
    throw new AutodiffInputError("scatterAdd.indices", `${x.shape[a]} indices (x.shape[axis])`, idx.length);
  }
  return bind(P_SCATTER, [x], { idx, axis: a, size });
}

/** One-hot rows: shape [indices.length, n] (a constant). */
export function oneHot(indices: Int32Array | readonly number[], n: number): Tensor {
  const idx = checkIdx(indices, n, "oneHot.indices");
  const o = alloc("float64", idx.length * n);
  for (let i = 0; i < idx.length; i++) o[i * n + idx[i]] = 1;
  return Tensor._of(o, [idx.length, n]);
}
