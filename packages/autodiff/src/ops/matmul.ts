// Batched matrix product with NumPy broadcasting over leading dims.
import { bind, type Primitive } from "../core/bind.js";
import { alloc } from "../core/create.js";
import { broadcastShapes, broadcastStrides, sizeOf } from "../core/shape.js";
import { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { matmulKernel } from "../kernels/matmul.js";
import { add } from "./elementwise.js";
import { mT, reshape } from "./shape.js";
import { alignT, fitT, sumTo } from "./util.js";

function matmulImpl([a, b]: readonly Tensor[]): Tensor {
  const M = a.shape[a.ndim - 2];
  const K = a.shape[a.ndim - 1];
  const N = b.shape[b.ndim - 1];
  const aB = a.shape.slice(0, -2);
  const bB = b.shape.slice(0, -2);
  const dt = a.dtype === "float32" && b.dtype === "float32" ? "float32" : "float64";
  const ad = a._data!;
  const bd = b._data!;
  if (bB.length === 0) {
    // fold every batch dim of a into the row dim: one big product
    const rows = sizeOf(aB) * M;
    const o = alloc(dt, rows * N);
    matmulKernel(ad, 0, bd, 0, o, 0, rows, K, N);
    return Tensor._of(o, [...aB, M, N]);
  }
  const oB = broadcastShapes(aB, bB, "matmul batch dims");
  const nB = sizeOf(oB);
  const o = alloc(dt, nB * M * N);
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
    matmulKernel(ad, pa * M * K, bd, pb * K * N, o, t * M * N, M, K, N);
    for (let d = oB.length - 1; d >= 0; d--) {
      if (++idx[d] < oB[d]) break;
      idx[d] = 0;
    }
  }
  return Tensor._of(o, [...oB, M, N]);
}

const P_MATMUL: Primitive<null> = {
  name: "matmul",
  impl: matmulImpl,
  jvp([a, b], [ta, tb], out, _p, nb) {
    const n = out.ndim;
    const x = ta ? matmul(alignT(ta, a.ndim, n, nb), b) : null;
    const y = tb ? matmul(a, alignT(tb, b.ndim, n, nb)) : null;
    return fitT(x && y ? add(x, y) : (x ?? y), out.shape, nb);
  },
  vjp(g, [a, b], _o, _p, need) {
    let ga: Tensor | null = null;
    let gb: Tensor | null = null;
    if (need[0]) ga = sumTo(matmul(g, mT(b)), a.shape);
    if (need[1]) {
      if (b.ndim === 2 && a.ndim > 2) {
        // Σ over the batch of aᵀg as one product of the folded matrices
        const K = a.shape[a.ndim - 1];
        const N = g.shape[g.ndim - 1];
        gb = matmul(mT(reshape(a, [-1, K])), reshape(g, [-1, N]));
      } else gb = sumTo(matmul(mT(a), g), b.shape);
    }
    return [ga, gb];
  },
};

/**
 * Matrix product. 2-D and higher operands are batches of matrices broadcast over the leading
 * dims; a 1-D operand is a vector (its axis is dropped from the result), as in NumPy.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (!(a instanceof Tensor) || !(b instanceof Tensor)) {
    throw new AutodiffInputError("matmul", "two Tensors", typeof (a instanceof Tensor ? b : a));
  }
  if (a.ndim === 0 || b.ndim === 0) throw new AutodiffInputError("matmul", "operands with ndim >= 1", [a.ndim, b.ndim]);
  const av = a.ndim === 1;
  const bv = b.ndim === 1;
  const a2 = av ? reshape(a, [1, a.shape[0]]) : a;
  const b2 = bv ? reshape(b, [b.shape[0], 1]) : b;
  const K = a2.shape[a2.ndim - 1];
  if (b2.shape[b2.ndim - 2] !== K) {
    throw new AutodiffInputError("matmul.b", `an inner dim of ${K}`, [...b.shape], `a has shape [${a.shape.join(",")}]`);
  }
  broadcastShapes(a2.shape.slice(0, -2), b2.shape.slice(0, -2), "matmul batch dims");
  let out = bind(P_MATMUL, [a2, b2], null);
  if (av || bv) {
    const s = [...out.shape];
    if (bv) s.splice(s.length - 1, 1);
    if (av) s.splice(s.length - (bv ? 1 : 2), 1);
    out = reshape(out, s);
  }
  return out;
}
