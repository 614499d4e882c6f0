// vmap: f written for one example runs on a batch. Mapped inputs are boxed at a batch trace
// (core/bind.ts): each box is one example, its value carries the mapped axis, and every
// primitive applied to it runs its batching rule once on the whole batch. Batch traces nest
// with each other and with grad/jvp in any order, like the other transforms.
import { MissingBatchRuleError, newTrace } from "../core/bind.js";
import { normAxis } from "../core/shape.js";
import { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { broadcastTo, moveAxis, reshape } from "../ops/shape.js";
import { type TreeLike, treeLeaves, treeMap, treeUnflatten } from "./tree.js";

export { MissingBatchRuleError };

/** Mapped axis per argument: one for all, or one per argument (null = not mapped: the same for every example). */
export type InAxes = number | null | readonly (number | null)[];
/** Axis of the mapped dim in each output: one for all, or one per entry of an array output. */
export type OutAxes = number | readonly number[];

/**
 * `vmap(f, inAxes, outAxes)(...args)`: applies `f` (written for one example) to every example
 * along the mapped axes, in one pass, and stacks the results along `outAxes`. Arguments may be
 * trees (every leaf of a mapped argument is mapped along the same axis). Composes with `grad`,
 * `jvp`, `jacobian`, `hessian` and `vmap` in either order. Throws `MissingBatchRuleError`
 * naming the op if `f` uses one without a batching rule; reading values inside `f`
 * (`toArray`, `item`) sees the whole batch and is not supported.
 */
export function vmap<A extends TreeLike[], R extends TreeLike>(
  f: (...args: A) => R,
  inAxes: InAxes = 0,
  outAxes: OutAxes = 0,
): (...args: A) => R {
  return (...args: A): R => {
    const axes = Array.isArray(inAxes) ? inAxes : args.map(() => inAxes as number | null);
    if (axes.length !== args.length)
      throw new AutodiffInputError("vmap.inAxes", `${args.length} entries (one per argument)`, axes.length);
    let size = -1;
    const plan = args.map((a, k) => {
      const ax = axes[k];
      if (ax === null) return null;
      if (!Number.isInteger(ax)) throw new AutodiffInputError("vmap.inAxes", "integers or null", ax);
      return treeLeaves(a, `vmap args[${k}]`).map((x) => {
        const b = normAxis(ax, x.ndim, `vmap.inAxes[${k}]`);
        if (size >= 0 && x.shape[b] !== size)
          throw new AutodiffInputError(`vmap args[${k}]`, `mapped axis of size ${size}`, [...x.shape]);
        size = x.shape[b];
        return b;
      });
    });
    if (size < 0) throw new AutodiffInputError("vmap.inAxes", "at least one mapped argument", "none");
    const trace = newTrace("batch", size);
    const boxed = args.map((a, k) => {
      const bds = plan[k];
      if (bds === null) return a;
      return treeUnflatten(
        a,
        treeLeaves(a).map((x, i) => Tensor._boxBatch(trace, x, bds[i])),
      );
    });
    const out = f(...(boxed as A));
    const outList = Array.isArray(outAxes);
    if (outList && (!Array.isArray(out) || out.length !== (outAxes as readonly number[]).length))
      throw new AutodiffInputError(
        "vmap.outAxes",
        "one axis per entry of the array f returns",
        outAxes as number[],
      );
    const unbox = (y: Tensor, oa: number): Tensor => {
      if (y._trace !== null && y._trace.level > trace.level)
        throw new AutodiffInputError(
          "vmap output",
          "a value that does not leak an inner transform",
          "a leaked box",
        );
      const o = normAxis(oa, y.ndim + 1, "vmap.outAxes");
      if (y._trace === trace) return y._bdim === o ? y._primal! : moveAxis(y._primal!, y._bdim, o);
      // does not depend on the mapped inputs: the same for every example
      const s = [...y.shape];
      s.splice(o, 0, 1);
      const t = [...y.shape];
      t.splice(o, 0, size);
      return broadcastTo(reshape(y, s), t);
    };
    if (outList) {
      return (out as TreeLike[]).map((o, i) =>
        treeMap((y) => unbox(y, (outAxes as readonly number[])[i]), o),
      ) as unknown as R;
    }
    return treeMap((y) => unbox(y, outAxes as number), out);
  };
}
