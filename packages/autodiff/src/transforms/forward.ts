// Forward mode: jvp (optionally with a batch of tangents carried as extra leading dims),
// forward/reverse Jacobians and the Hessian (forward-over-reverse).
import { newTrace } from "../core/bind.js";
import { eye, zeros } from "../core/create.js";
import { sameShape } from "../core/shape.js";
import { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { broadcastTo, moveAxis, reshape, stack } from "../ops/shape.js";
import { grad, lower, vjp } from "./reverse.js";
import { type TreeLike, treeLeaves, treeMap, treeUnflatten } from "./tree.js";

/**
 * Forward-mode product with `nb` batch dims: every tangent has shape [...batch, ...primal.shape]
 * (the same batch for all) and so does every output tangent. One pass pushes all of them.
 */
export function jvpBatched<A extends TreeLike[], R extends TreeLike>(
  f: (...args: A) => R,
  primals: A,
  tangents: A,
  nb: number,
): [R, R] {
  if (primals.length !== tangents.length) {
    throw new AutodiffInputError(
      "jvp.tangents",
      `${primals.length} tangents (one per primal)`,
      tangents.length,
    );
  }
  const trace = newTrace("fwd", nb);
  let batch: readonly number[] | null = null;
  const boxed = primals.map((p, k) => {
    const ps = treeLeaves(p, `primals[${k}]`);
    const ts = treeLeaves(tangents[k], `tangents[${k}]`);
    if (ts.length !== ps.length)
      throw new AutodiffInputError(`tangents[${k}]`, `${ps.length} leaves like the primal`, ts.length);
    return treeUnflatten(
      p,
      ps.map((x, i) => {
        const t = ts[i];
        const b = t.shape.slice(0, nb);
        if (!sameShape(t.shape.slice(nb), x.shape) || (batch !== null && !sameShape(batch, b))) {
          throw new AutodiffInputError(
            `tangents[${k}]`,
            `shape [${[...(batch ?? b), ...x.shape].join(",")}]`,
            [...t.shape],
          );
        }
        batch = b;
        return Tensor._box(trace, x, t, null);
      }),
    );
  });
  const out = f(...(boxed as A));
  const lead = batch ?? [];
  const primalOut = treeMap((y) => lower(y, trace), out);
  const tangentOut = treeMap(
    (y) => (y._trace === trace && y._tangent !== null ? y._tangent : zeros([...lead, ...y.shape], y.dtype)),
    out,
  );
  return [primalOut, tangentOut];
}

/** `jvp(f, primals, tangents)` → `[f(...primals), J·tangents]` (tangents shaped like the primals). */
export function jvp<A extends TreeLike[], R extends TreeLike>(
  f: (...args: A) => R,
  primals: A,
  tangents: A,
): [R, R] {
  return jvpBatched(f, primals, tangents, 0);
}

function checkTensorArg(x: unknown, field: string): Tensor {
  if (!(x instanceof Tensor)) throw new AutodiffInputError(field, "a Tensor", typeof x);
  return x;
}

/** Identity tangents for every entry of `x`: shape [x.size, ...x.shape]. */
function basis(x: Tensor): Tensor {
  return reshape(eye(x.size, x.dtype), [x.size, ...x.shape]);
}

/**
 * Jacobian of `f: Tensor → Tensor` at `x`, shape [...out.shape, ...x.shape]. `"fwd"` pushes all
 * x.size tangents in one batched forward pass; `"rev"` reuses one tape for out.size pullbacks.
 */
export function jacobian(f: (x: Tensor) => Tensor, mode: "rev" | "fwd" = "rev"): (x: Tensor) => Tensor {
  if (mode !== "rev" && mode !== "fwd") throw new AutodiffInputError("jacobian.mode", '"rev" or "fwd"', mode);
  return (x0: Tensor) => {
    const x = checkTensorArg(x0, "jacobian.x");
    if (mode === "fwd") {
      const [y, t] = jvpBatched((z) => f(z as Tensor), [x], [basis(x)], 1);
      // t: [x.size, ...y.shape] → [...y.shape, x.size] → [...y.shape, ...x.shape]
      return reshape(moveAxis(t, 0, -1 + t.ndim), [...y.shape, ...x.shape]);
    }
    const [y, pull] = vjp((z: Tensor) => f(z), x);
    const rows: Tensor[] = [];
    const e = basis(y);
    for (let i = 0; i < y.size; i++) {
      rows.push(
        pull(reshape(e.slice([i, ...y.shape.map(() => 0)], [i + 1, ...y.shape]), y.shape))[0] as Tensor,
      );
    }
    if (rows.length === 0) return zeros([...y.shape, ...x.shape], x.dtype);
    return reshape(stack(rows, 0), [...y.shape, ...x.shape]);
  };
}

/** Hessian of scalar `f` at `x` (shape [...x.shape, ...x.shape]): forward-over-reverse, one batched pass. */
export function hessian(f: (x: Tensor) => Tensor): (x: Tensor) => Tensor {
  return jacobian(
    grad((z: Tensor) => f(z)),
    "fwd",
  );
}

/**
 * Per-sample Jacobian of a batched map `f: [B, ...in] → [B, ...out]` whose samples do not interact:
 * shape [B, ...out, ...in]. All prod(in) tangent directions travel as one extra batch axis, so the
 * cost is one forward pass with a wider tangent, not B graphs.
 */
export function perSampleJacobian(f: (x: Tensor) => Tensor): (x: Tensor) => Tensor {
  return (x0: Tensor) => {
    const x = checkTensorArg(x0, "perSampleJacobian.x");
    if (x.ndim < 1)
      throw new AutodiffInputError("perSampleJacobian.x", "a tensor with a leading batch axis", []);
    const B = x.shape[0];
    const inShape = x.shape.slice(1);
    const K = x.size / Math.max(B, 1);
    const e = reshape(eye(K, x.dtype), [K, 1, ...inShape]);
    const T = broadcastTo(e, [K, ...x.shape]);
    const [y, t] = jvpBatched((z) => f(z as Tensor), [x], [T], 1);
    if (y.ndim < 1 || y.shape[0] !== B) {
      throw new AutodiffInputError("perSampleJacobian: f(x)", `a tensor with leading batch axis ${B}`, [
        ...y.shape,
      ]);
    }
    // t: [K, B, ...out] → [B, ...out, K] → [B, ...out, ...in]
    return reshape(moveAxis(t, 0, t.ndim - 1), [...y.shape, ...inShape]);
  };
}

/**
 * Per-sample Hessian of `f: [B, ...in] → [B]` (one scalar per independent sample): shape
 * [B, ...in, ...in]. Forward-over-reverse with the input directions batched.
 */
export function perSampleHessian(f: (x: Tensor) => Tensor): (x: Tensor) => Tensor {
  const g = grad((z: Tensor) => {
    const y = f(z);
    if (y.ndim !== 1)
      throw new AutodiffInputError("perSampleHessian: f(x)", "shape [B] (one scalar per sample)", [
        ...y.shape,
      ]);
    return y.sum();
  });
  return perSampleJacobian(g);
}
