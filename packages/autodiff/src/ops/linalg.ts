// Batched dense linear algebra (…, n, n), any n: det, logdet, inverse, solve, cholesky (LU and
// Cholesky kernels in kernels/linalg.ts). Derivative rules use inverse/solve/matmul, so they
// differentiate again.
import { bind, type Primitive } from "../core/bind.js";
import { alloc } from "../core/create.js";
import { definePrimitive } from "../core/registry.js";
import { broadcastShapes, forBroadcast, sizeOf } from "../core/shape.js";
import { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { choleskyBlock, inverseBatch, slogdetBatch, solveLu } from "../kernels/linalg.js";
import { broadcastBatch, leadingBatch } from "./batching.js";
import { add, mul, neg, sub } from "./elementwise.js";
import { matmul, matmulT } from "./matmul.js";
import { checkSquare } from "./matrix-shape.js";
import { sum } from "./reduce.js";
import { expandDims, mT } from "./shape.js";
import { alignT, fitT, sumTo } from "./util.js";

const P_SLOGDET: Primitive<{ wantDet: boolean }> = definePrimitive({
  name: "logdet",
  impl([x], { wantDet }) {
    const n = x.shape[x.ndim - 1];
    const nb = x.size / (n * n);
    const o = alloc(x.dtype, nb);
    if (wantDet) {
      const ld = new Float64Array(nb);
      const sign = new Float64Array(nb);
      slogdetBatch(x._data!, n, nb, ld, sign);
      for (let b = 0; b < nb; b++) o[b] = sign[b] * Math.exp(ld[b]);
    } else {
      slogdetBatch(x._data!, n, nb, o, null);
    }
    return Tensor._of(o, x.shape.slice(0, -2));
  },
  // d log|det A| = tr(A⁻¹ dA);  d det A = det A · tr(A⁻¹ dA)
  jvp([x], [t], out, { wantDet }, nb) {
    const tr = sum(mul(mT(inverse(x)), alignT(t!, x.ndim, x.ndim, nb)), [-2, -1]);
    return fitT(wantDet ? mul(out, tr) : tr, out.shape, nb);
  },
  vjp(g, [x], out, { wantDet }) {
    const s = wantDet ? mul(g, out) : g;
    return [mul(expandDims(expandDims(s, -1), -1), mT(inverse(x)))];
  },
  batch: (xs, bds, p, size) => leadingBatch(P_SLOGDET, xs, bds, p, size),
});

/** log|det A| of a batch of n×n matrices (−∞ for a singular matrix). */
export function logdet(x: Tensor): Tensor {
  checkSquare(x, "logdet.x");
  return bind(P_SLOGDET, [x], { wantDet: false });
}

/** det A of a batch of n×n matrices (LU with partial pivoting). */
export function det(x: Tensor): Tensor {
  checkSquare(x, "det.x");
  return bind(P_SLOGDET, [x], { wantDet: true });
}

// ---------------------------------------------------------------- solve (and inverse)
function solveImpl(a: Tensor, b: Tensor, field: string): Tensor {
  const n = a.shape[a.ndim - 1];
  const m = b.shape[b.ndim - 1];
  const aB = a.shape.slice(0, -2);
  const bB = b.shape.slice(0, -2);
  const o = alloc(
    a.dtype === "float32" && b.dtype === "float32" ? "float32" : "float64",
    sizeOf(broadcastShapes(aB, bB, field)) * n * m,
  );
  const solveBlock = solveLu(n);
  const oB = forBroadcast(aB, bB, field, (t, pa, pb) => {
    if (!solveBlock(a._data!, pa * n * n, b._data!, pb * n * m, m, o, t * n * m, n)) {
      throw new AutodiffInputError(field, "non-singular matrices", "a singular matrix", `batch entry ${t}`);
    }
  });
  return Tensor._of(o, [...oB, n, m]);
}

const P_SOLVE: Primitive<null> = definePrimitive({
  name: "solve",
  impl: ([a, b]) => solveImpl(a, b, "solve.a"),
  // X = A⁻¹B:  dX = A⁻¹(dB − dA·X)
  jvp([a, b], [ta, tb], out, _p, nb) {
    const n = out.ndim;
    const tb2 = tb ? alignT(tb, b.ndim, n, nb) : null;
    const ta2 = ta ? matmul(alignT(ta, a.ndim, n, nb), out) : null;
    const r = tb2 && ta2 ? sub(tb2, ta2) : (tb2 ?? neg(ta2!));
    return fitT(solve(a, r), out.shape, nb);
  },
  vjp(g, [a, b], out, _p, need) {
    const gb = solve(mT(a), g);
    return [
      need[0] ? sumTo(neg(matmulT(gb, out, false, true)), a.shape) : null,
      need[1] ? sumTo(gb, b.shape) : null,
    ];
  },
  batch: (xs, bds, p) => broadcastBatch(P_SOLVE, xs, bds, p),
});

/**
 * Solves A·X = B for a batch of n×n matrices A and right-hand sides B of shape […, n, m], or
 * […, n] (a vector per matrix). Batch dims broadcast.
 */
export function solve(a: Tensor, b: Tensor): Tensor {
  const n = checkSquare(a, "solve.a");
  const vec = b.ndim === a.ndim - 1;
  const b2 = vec ? expandDims(b, -1) : b;
  if (b2.ndim < 2 || b2.shape[b2.ndim - 2] !== n) {
    throw new AutodiffInputError("solve.b", `shape […, ${n}, m] or […, ${n}]`, [...b.shape]);
  }
  const x = bind(P_SOLVE, [a, b2], null);
  return vec ? x.reshape(x.shape.slice(0, -1)) : x;
}

const P_INVERSE: Primitive<null> = definePrimitive({
  name: "inverse",
  impl([x]) {
    const n = x.shape[x.ndim - 1];
    const nb = x.size / (n * n);
    const o = alloc("float64", x.size); // float64 for a float32 x too, as solve(x, eye(n)) gives
    const t = inverseBatch(x._data!, n, nb, o);
    if (t >= 0) {
      throw new AutodiffInputError(
        "inverse.x",
        "non-singular matrices",
        "a singular matrix",
        `batch entry ${t}`,
      );
    }
    return Tensor._of(o, x.shape);
  },
  // d(A⁻¹) = −A⁻¹ dA A⁻¹
  jvp: ([x], [t], out, _p, nb) =>
    fitT(neg(matmul(matmul(out, alignT(t!, x.ndim, x.ndim, nb)), out)), out.shape, nb),
  vjp: (g, _x, out) => [neg(matmulT(matmulT(out, g, true, false), out, false, true))],
  batch: (xs, bds, p, size) => leadingBatch(P_INVERSE, xs, bds, p, size),
});

/** A⁻¹ for a batch of n×n matrices; a singular matrix is an error. */
export function inverse(x: Tensor): Tensor {
  checkSquare(x, "inverse.x");
  return bind(P_INVERSE, [x], null);
}

// ---------------------------------------------------------------- cholesky
// Φ keeps the strictly lower triangle and halves the diagonal.
function phiMask(n: number): Tensor {
  const m = alloc("float64", n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) m[i * n + j] = 1;
    m[i * n + i] = 0.5;
  }
  return Tensor._of(m, [n, n]);
}

const P_CHOLESKY: Primitive<null> = definePrimitive({
  name: "cholesky",
  impl([x]) {
    const n = x.shape[x.ndim - 1];
    const nb = x.size / (n * n);
    const o = alloc(x.dtype, x.size);
    for (let b = 0; b < nb; b++) {
      if (!choleskyBlock(x._data!, b * n * n, o, b * n * n, n)) {
        throw new AutodiffInputError(
          "cholesky.x",
          "symmetric positive-definite matrices",
          "a non-positive-definite matrix",
          `batch entry ${b}`,
        );
      }
    }
    return Tensor._of(o, x.shape);
  },
  // dL = L Φ(L⁻¹ dA L⁻ᵀ)
  jvp([x], [t], L, _p, nb) {
    const n = L.shape[L.ndim - 1];
    const Li = inverse(L);
    const inner = matmul(matmul(Li, alignT(t!, x.ndim, x.ndim, nb)), mT(Li));
    return fitT(matmul(L, mul(inner, phiMask(n))), L.shape, nb);
  },
  // Ā = sym(L⁻ᵀ Φ(Lᵀ L̄) L⁻¹): the adjoint of the rule above on symmetric perturbations
  vjp(g, _x, L) {
    const n = L.shape[L.ndim - 1];
    const Li = inverse(L);
    const P = mul(matmul(mT(L), g), phiMask(n));
    const S = matmul(matmul(mT(Li), P), Li);
    return [mul(add(S, mT(S)), 0.5)];
  },
  batch: (xs, bds, p, size) => leadingBatch(P_CHOLESKY, xs, bds, p, size),
});

/**
 * Lower Cholesky factor L (A = L·Lᵀ) of a batch of symmetric positive-definite matrices. Only the
 * lower triangle is read; derivatives are those of the symmetric input (perturbations symmetrised).
 */
export function cholesky(x: Tensor): Tensor {
  checkSquare(x, "cholesky.x");
  return bind(P_CHOLESKY, [x], null);
}

/** Trace over the last two axes. */
export function trace(x: Tensor): Tensor {
  const n = checkSquare(x, "trace.x");
  const m = alloc("float64", n * n);
  for (let i = 0; i < n; i++) m[i * n + i] = 1;
  return sum(mul(x, Tensor._of(m, [n, n])), [-2, -1]);
}
