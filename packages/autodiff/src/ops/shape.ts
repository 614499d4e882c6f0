// Movement primitives (reshape, transpose, broadcastTo, slice, pad) and ops composed from them.
import { bind, type Primitive } from "../core/bind.js";
import { alloc } from "../core/create.js";
import { definePrimitive } from "../core/registry.js";
import {
  broadcastShapes,
  broadcastStrides,
  checkShape,
  normAxis,
  sameShape,
  sizeOf,
  stridesOf,
} from "../core/shape.js";
import { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { copyStrided } from "../kernels/copy.js";
import { alignFront, toFront } from "./batching.js";
import { add } from "./elementwise.js";
import { alignT, sumTo } from "./util.js";

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const lead = (t: Tensor, nb: number) => t.shape.slice(0, nb);

// ---------------------------------------------------------------- reshape (shares the data)
const P_RESHAPE: Primitive<{ shape: number[] }> = definePrimitive({
  name: "reshape",
  impl: ([x], p) => Tensor._of(x._data!, p.shape),
  jvp: (_x, [t], _o, p, nb) => reshape(t!, [...lead(t!, nb), ...p.shape]),
  vjp: (g, [x]) => [reshape(g, x.shape)],
  batch: ([x], [bd], p, n) => [bind(P_RESHAPE, [toFront(x, bd!)], { shape: [n, ...p.shape] }), 0],
});

/** Reshape (row-major); one dim may be −1 and is inferred. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const s = [...shape];
  const neg = s.indexOf(-1);
  if (neg >= 0) {
    const rest = s.reduce((a, d, i) => (i === neg ? a : a * d), 1);
    s[neg] = rest === 0 ? 0 : x.size / rest;
  }
  checkShape(s, "reshape.shape");
  if (sizeOf(s) !== x.size)
    throw new AutodiffInputError("reshape.shape", `a shape of size ${x.size}`, [...shape]);
  if (sameShape(s, x.shape)) return x;
  return bind(P_RESHAPE, [x], { shape: s });
}

// ---------------------------------------------------------------- transpose
const P_TRANSPOSE: Primitive<{ perm: number[] }> = definePrimitive({
  name: "transpose",
  impl([x], { perm }) {
    const shape = perm.map((p) => x.shape[p]);
    const st = stridesOf(x.shape);
    const o = alloc(x.dtype, x.size);
    copyStrided(
      x._data!,
      0,
      perm.map((p) => st[p]),
      o,
      0,
      stridesOf(shape),
      shape,
    );
    return Tensor._of(o, shape);
  },
  jvp: (_x, [t], _o, { perm }, nb) => transpose(t!, [...range(nb), ...perm.map((p) => p + nb)]),
  vjp: (g, _x, _o, { perm }) => {
    const inv = new Array<number>(perm.length);
    perm.forEach((p, i) => {
      inv[p] = i;
    });
    return [transpose(g, inv)];
  },
  batch: ([x], [bd], p) => [
    bind(P_TRANSPOSE, [toFront(x, bd!)], { perm: [0, ...p.perm.map((a) => a + 1)] }),
    0,
  ],
});

/** Permutes axes (default: reverses them). */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const n = x.ndim;
  const p = perm ? [...perm] : range(n).reverse();
  const ok =
    p.length === n && p.every((a) => Number.isInteger(a) && a >= 0 && a < n) && new Set(p).size === n;
  if (!ok) throw new AutodiffInputError("transpose.perm", `a permutation of 0..${n - 1}`, p);
  if (p.every((a, i) => a === i)) return x;
  return bind(P_TRANSPOSE, [x], { perm: p });
}

/** Swaps the last two axes (matrix transpose of a batch). */
export function mT(x: Tensor): Tensor {
  const n = x.ndim;
  if (n < 2) throw new AutodiffInputError("mT.x", "a tensor with ndim >= 2", [...x.shape]);
  return transpose(x, [...range(n - 2), n - 1, n - 2]);
}

/** Moves axis `from` to position `to`. */
export function moveAxis(x: Tensor, from: number, to: number): Tensor {
  const f = normAxis(from, x.ndim, "moveAxis.from");
  const t = normAxis(to, x.ndim, "moveAxis.to");
  const perm = range(x.ndim).filter((a) => a !== f);
  perm.splice(t, 0, f);
  return transpose(x, perm);
}

// ---------------------------------------------------------------- broadcastTo
const P_BROADCAST: Primitive<{ shape: number[] }> = definePrimitive({
  name: "broadcastTo",
  impl([x], { shape }) {
    const o = alloc(x.dtype, sizeOf(shape));
    copyStrided(x._data!, 0, broadcastStrides(x.shape, shape), o, 0, stridesOf(shape), shape);
    return Tensor._of(o, shape);
  },
  jvp: ([x], [t], _o, { shape }, nb) =>
    broadcastTo(alignT(t!, x.ndim, shape.length, nb), [...lead(t!, nb), ...shape]),
  vjp: (g, [x]) => [sumTo(g, x.shape)],
  batch: ([x], [bd], p, n) => [
    bind(P_BROADCAST, [alignFront(x, bd, p.shape.length)], { shape: [n, ...p.shape] }),
    0,
  ],
});

/** Materialises NumPy broadcasting of `x` to `shape`. */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  const s = checkShape(shape, "broadcastTo.shape");
  const b = broadcastShapes(x.shape, s, "broadcastTo");
  if (!sameShape(b, s))
    throw new AutodiffInputError("broadcastTo.shape", `a shape that [${x.shape.join(",")}] broadcasts to`, s);
  if (sameShape(x.shape, s)) return x;
  return bind(P_BROADCAST, [x], { shape: s });
}

// ---------------------------------------------------------------- slice / pad (adjoint pair)
interface SliceP {
  starts: number[];
  ends: number[];
}
const P_SLICE: Primitive<SliceP> = definePrimitive({
  name: "slice",
  impl([x], { starts, ends }) {
    const shape = ends.map((e, i) => e - starts[i]);
    const st = stridesOf(x.shape);
    const off = starts.reduce((a, s, i) => a + s * st[i], 0);
    const o = alloc(x.dtype, sizeOf(shape));
    copyStrided(x._data!, off, st, o, 0, stridesOf(shape), shape);
    return Tensor._of(o, shape);
  },
  jvp: (_x, [t], _o, { starts, ends }, nb) =>
    slice(t!, [...new Array<number>(nb).fill(0), ...starts], [...lead(t!, nb), ...ends]),
  vjp: (g, [x], _o, { starts }) => [pad(g, starts, x.shape)],
  batch: ([x], [bd], p, n) => [
    bind(P_SLICE, [toFront(x, bd!)], { starts: [0, ...p.starts], ends: [n, ...p.ends] }),
    0,
  ],
});

interface PadP {
  starts: number[];
  shape: number[];
}
const P_PAD: Primitive<PadP> = definePrimitive({
  name: "pad",
  impl([x], { starts, shape }) {
    const st = stridesOf(shape);
    const off = starts.reduce((a, s, i) => a + s * st[i], 0);
    const o = alloc(x.dtype, sizeOf(shape));
    copyStrided(x._data!, 0, stridesOf(x.shape), o, off, st, x.shape);
    return Tensor._of(o, shape);
  },
  jvp: (_x, [t], _o, { starts, shape }, nb) =>
    pad(t!, [...new Array<number>(nb).fill(0), ...starts], [...lead(t!, nb), ...shape]),
  vjp: (g, [x], _o, { starts }) => [
    slice(
      g,
      starts,
      starts.map((s, i) => s + x.shape[i]),
    ),
  ],
  batch: ([x], [bd], p, n) => [
    bind(P_PAD, [toFront(x, bd!)], { starts: [0, ...p.starts], shape: [n, ...p.shape] }),
    0,
  ],
});

/** x[starts[0]:ends[0], …] (half-open, per axis; negative indices count from the end). */
export function slice(x: Tensor, starts: readonly number[], ends: readonly number[]): Tensor {
  const n = x.ndim;
  if (starts.length !== n || ends.length !== n) {
    throw new AutodiffInputError("slice.starts/ends", `${n} entries each`, [starts.length, ends.length]);
  }
  const s = starts.map((v, i) => (v < 0 ? v + x.shape[i] : v));
  const e = ends.map((v, i) => (v < 0 ? v + x.shape[i] : v));
  for (let i = 0; i < n; i++) {
    if (!Number.isInteger(s[i]) || !Number.isInteger(e[i]) || s[i] < 0 || e[i] > x.shape[i] || s[i] > e[i]) {
      throw new AutodiffInputError("slice", `0 <= start <= end <= ${x.shape[i]} on axis ${i}`, [
        starts[i],
        ends[i],
      ]);
    }
  }
  if (s.every((v) => v === 0) && e.every((v, i) => v === x.shape[i])) return x;
  return bind(P_SLICE, [x], { starts: s, ends: e });
}

/** Places `x` at offset `starts` inside zeros of `shape` (the adjoint of slice). */
export function pad(x: Tensor, starts: readonly number[], shape: readonly number[]): Tensor {
  const s = checkShape(shape, "pad.shape");
  if (
    starts.length !== x.ndim ||
    s.length !== x.ndim ||
    starts.some((v, i) => v < 0 || v + x.shape[i] > s[i])
  ) {
    throw new AutodiffInputError("pad", `starts/shape with x inside the output on each of ${x.ndim} axes`, [
      ...starts,
    ]);
  }
  if (sameShape(s, x.shape)) return x;
  return bind(P_PAD, [x], { starts: [...starts], shape: s });
}

// ---------------------------------------------------------------- composed
/** Joins tensors along `axis` (built from pad + add, so it is differentiable for free). */
export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  if (xs.length === 0) throw new AutodiffInputError("concat.xs", "at least one tensor", 0);
  const n = xs[0].ndim;
  const a = normAxis(axis, n, "concat.axis");
  for (const x of xs) {
    if (x.ndim !== n || x.shape.some((d, i) => i !== a && d !== xs[0].shape[i])) {
      throw new AutodiffInputError("concat.xs", `equal shapes except on axis ${a}`, [...x.shape]);
    }
  }
  if (xs.length === 1) return xs[0];
  const total = xs.reduce((s, x) => s + x.shape[a], 0);
  const shape = [...xs[0].shape];
  shape[a] = total;
  let off = 0;
  let out: Tensor | null = null;
  for (const x of xs) {
    const starts = new Array<number>(n).fill(0);
    starts[a] = off;
    off += x.shape[a];
    const p = pad(x, starts, shape);
    out = out === null ? p : add(out, p);
  }
  return out!;
}

/** Inserts a size-1 axis at `axis`. */
export function expandDims(x: Tensor, axis: number): Tensor {
  const a = normAxis(axis, x.ndim + 1, "expandDims.axis");
  const s = [...x.shape];
  s.splice(a, 0, 1);
  return reshape(x, s);
}

/** Removes size-1 axes (all of them, or the given ones). */
export function squeeze(x: Tensor, axes?: number | readonly number[]): Tensor {
  const list =
    axes === undefined ? null : (typeof axes === "number" ? [axes] : axes).map((a) => normAxis(a, x.ndim));
  const s = x.shape.filter((d, i) => !(d === 1 && (list === null || list.includes(i))));
  return reshape(x, s);
}

/** Stacks equal-shape tensors along a new axis. */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  if (xs.length === 0) throw new AutodiffInputError("stack.xs", "at least one tensor", 0);
  return concat(
    xs.map((x) => expandDims(x, axis < 0 ? axis + x.ndim + 1 : axis)),
    axis < 0 ? axis + xs[0].ndim + 1 : axis,
  );
}

export function flatten(x: Tensor): Tensor {
  return reshape(x, [x.size]);
}

/** The value of `x` with every derivative transform removed: a constant to all derivatives (a vmap batch stays). */
export function stopGradient(x: Tensor): Tensor {
  const t = x._trace;
  if (t === null) return x;
  // a vmap box is not a derivative: keep the batch, drop the derivative boxes inside it
  if (t.kind === "batch") return Tensor._boxBatch(t, stopGradient(x._primal!), x._bdim);
  return stopGradient(x._primal!);
}
