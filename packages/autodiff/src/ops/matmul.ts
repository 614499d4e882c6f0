// Batched matrix product with NumPy broadcasting over leading dims. The primitive carries
// transpose flags (op(a)·op(b)) so that derivative rules never materialise a transposed copy.
import { bind, type Primitive } from "../core/bind.js";
import { allocShared, allocUninit } from "../core/create.js";
import { arenaRecord, callRecycling, POOL_MIN_LENGTH, setViewOwner } from "../core/pool.js";
import { definePrimitive } from "../core/registry.js";
import { broadcastShapes, forBroadcast, sizeOf } from "../core/shape.js";
import { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { matmulBatchKernel, matmulKernel } from "../kernels/matmul.js";
import { type MatmulEpilogue, residentArray } from "../kernels/wasm-matmul.js";
import { isResident, residentCallEnded } from "../kernels/wasm-resident.js";
import { broadcastBatch } from "./batching.js";
import { add } from "./elementwise.js";
import { reshape } from "./shape.js";
import { alignT, fitT, sumTo } from "./util.js";

export interface MP {
  ta: boolean;
  tb: boolean;
}

const last2 = (x: Tensor, t: boolean): [number, number] => {
  const r = x.shape[x.ndim - 2];
  const c = x.shape[x.ndim - 1];
  return t ? [c, r] : [r, c];
};

/** op(a)·op(b) on concrete tensors, with ops/dense.ts's epilogue; not a public export. */
export function matmulImpl(
  [a, b]: readonly Tensor[],
  { ta, tb }: MP,
  epilogue: MatmulEpilogue | null = null,
): Tensor {
  const [M, K] = last2(a, ta);
  const N = last2(b, tb)[1];
  const aB = a.shape.slice(0, -2);
  const bB = b.shape.slice(0, -2);
  const dt = a.dtype === "float32" && b.dtype === "float32" ? "float32" : "float64";
  const ad = a._data!;
  const bd = b._data!;
  if (bB.length === 0 && !ta) {
    // fold every batch dim of a into the row dim: one big product
    const rows = sizeOf(aB) * M;
    // a Float64 dense layer's output (ops/dense.ts) goes where the product's worker threads write
    // their blocks of it, and the next layer's and the backward pass's read it (denseOutput)
    const o = epilogue !== null && dt === "float64" ? denseOutput(rows, N) : allocUninit(dt, rows * N);
    matmulKernel(ad, 0, bd, 0, o, 0, rows, K, N, false, tb, epilogue);
    return Tensor._of(o, [...aB, M, N]);
  }
  if (epilogue !== null) throw new Error("matmulImpl: an epilogue needs a 2-D right operand");
  const nOut = sizeOf(broadcastShapes(aB, bB, "matmul batch dims"));
  const o = allocUninit(dt, nOut * M * N);
  const aOffs = new Float64Array(nOut);
  const bOffs = new Float64Array(nOut);
  const oB = forBroadcast(aB, bB, "matmul batch dims", (t, pa, pb) => {
    aOffs[t] = pa * M * K;
    bOffs[t] = pb * K * N;
  });
  matmulBatchKernel(ad, aOffs, bd, bOffs, o, M, K, N, ta, tb);
  return Tensor._of(o, [...oB, M, N]);
}

// a grad call's dense outputs and input gradients may live in the product module's memory
// (kernels/wasm-resident.ts): the pool must not keep them, and says when the call ends
setViewOwner(isResident, residentCallEnded);

/**
 * A dense layer's output or input gradient [rows, N] (ops/dense.ts; not a public export): in the
 * product module's resident region inside a grad call that will release it (whole rows of 4 and
 * N a multiple of 4, as the products write it in place), else on a SharedArrayBuffer where there
 * is one.
 */
export function denseOutput(rows: number, N: number): Float64Array {
  const n = rows * N;
  if (rows % 4 === 0 && N % 4 === 0 && n >= POOL_MIN_LENGTH && callRecycling()) {
    const d = residentArray(n);
    if (d !== null) {
      arenaRecord(d);
      return d;
    }
  }
  return allocShared(n);
}

const P_MATMUL: Primitive<MP> = definePrimitive({
  name: "matmul",
  impl: matmulImpl,
  jvp: ([a, b], [ta, tb], out, p, nb) => matmulJvp(a, b, ta, tb, out.shape, p, nb),
  vjp: (g, [a, b], _o, p, need) => matmulVjp(g, a, b, p, need),
  batch: (xs, bds, p) => broadcastBatch(P_MATMUL, xs, bds, p),
});

/** The matmul JVP (tangents with `nb` batch dims), shared with ops/dense.ts; not a public export. */
export function matmulJvp(
  a: Tensor,
  b: Tensor,
  ta: Tensor | null,
  tb: Tensor | null,
  outShape: readonly number[],
  p: MP,
  nb: number,
): Tensor | null {
  const n = outShape.length;
  const x = ta ? matmulT(alignT(ta, a.ndim, n, nb), b, p.ta, p.tb) : null;
  const y = tb ? matmulT(a, alignT(tb, b.ndim, n, nb), p.ta, p.tb) : null;
  return fitT(x && y ? add(x, y) : (x ?? y), outShape, nb);
}

/**
 * The matmul VJP, shared with ops/dense.ts (not a public export). out = op(a)·op(b): ∂op(a) = g·op(b)ᵀ,
 * ∂op(b) = op(a)ᵀ·g, transposed back where op transposes.
 */
export function matmulVjp(
  g: Tensor,
  a: Tensor,
  b: Tensor,
  p: MP,
  need: readonly boolean[],
): [Tensor | null, Tensor | null] {
  let ga: Tensor | null = null;
  let gb: Tensor | null = null;
  if (need[0]) ga = sumTo(p.ta ? matmulT(b, g, p.tb, true) : matmulT(g, b, false, !p.tb), a.shape);
  if (need[1]) {
    if (b.ndim === 2 && a.ndim > 2 && !p.ta) {
      // Σ over the batch as one product of the folded matrices
      const a2 = reshape(a, [-1, a.shape[a.ndim - 1]]);
      const g2 = reshape(g, [-1, g.shape[g.ndim - 1]]);
      gb = p.tb ? matmulT(g2, a2, true, false) : matmulT(a2, g2, true, false);
    } else gb = sumTo(p.tb ? matmulT(g, a, true, p.ta) : matmulT(a, g, !p.ta, false), b.shape);
  }
  return [ga, gb];
}

/**
 * op(a)·op(b) for batches of matrices (ndim ≥ 2 each), op = swap of the last two axes when the
 * flag is set; no transposed copy is made.
 */
export function matmulT(a: Tensor, b: Tensor, transA = false, transB = false): Tensor {
  if (a.ndim < 2 || b.ndim < 2)
    throw new AutodiffInputError("matmulT", "operands with ndim >= 2", [a.ndim, b.ndim]);
  const K = last2(a, transA)[1];
  if (last2(b, transB)[0] !== K) {
    throw new AutodiffInputError(
      "matmul.b",
      `an inner dim of ${K}`,
      [...b.shape],
      `a has shape [${a.shape.join(",")}]`,
    );
  }
  broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2), "matmul batch dims");
  return bind(P_MATMUL, [a, b], { ta: transA, tb: transB });
}

/**
 * Matrix product. 2-D and higher operands are batches of matrices broadcast over the leading
 * dims; a 1-D operand is a vector (its axis is dropped from the result), as in NumPy.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (!(a instanceof Tensor) || !(b instanceof Tensor)) {
    throw new AutodiffInputError("matmul", "two Tensors", typeof (a instanceof Tensor ? b : a));
  }
  if (a.ndim === 0 || b.ndim === 0)
    throw new AutodiffInputError("matmul", "operands with ndim >= 1", [a.ndim, b.ndim]);
  const av = a.ndim === 1;
  const bv = b.ndim === 1;
  let out = matmulT(av ? reshape(a, [1, a.shape[0]]) : a, bv ? reshape(b, [b.shape[0], 1]) : b);
  if (av || bv) {
    const s = [...out.shape];
    if (bv) s.splice(s.length - 1, 1);
    if (av) s.splice(s.length - (bv ? 1 : 2), 1);
    out = reshape(out, s);
  }
  return out;
}
