// The optimiser interface (optax style: pure update with explicit state) and shared helpers.
import type { Tensor } from "../core/tensor.js";
import { Tensor as T } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { type TreeLike, treeLeaves, treeUnflatten } from "../transforms/tree.js";

/** A learning-rate schedule: step number (0, 1, …) → learning rate. */
export type Schedule = (step: number) => number;
export type LearningRate = number | Schedule;

/** A pure optimiser: `step` never mutates its inputs and returns new params and state. */
export interface Optimizer<S> {
  init(params: TreeLike): S;
  step<P extends TreeLike>(params: P, grads: P, state: S): { params: P; state: S };
}

export function lrAt(lr: LearningRate, step: number, field: string): number {
  const v = typeof lr === "function" ? lr(step) : lr;
  if (!Number.isFinite(v) || v < 0) throw new AutodiffInputError(field, "a finite learning rate >= 0", v);
  return v;
}

export function checkPositive(v: number, field: string, allowZero = false): number {
  if (!Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
    throw new AutodiffInputError(field, allowZero ? "a finite number >= 0" : "a finite number > 0", v);
  }
  return v;
}

/** The concrete Float64 data of every leaf (values only; transforms stripped). */
export function leafData(tree: TreeLike, field: string): Float64Array[] {
  return treeLeaves(tree, field).map((x) => Float64Array.from(x._raw()));
}

/** Checks that params and grads have the same leaves and shapes. */
export function pairLeaves(params: TreeLike, grads: TreeLike): [Tensor[], Tensor[]] {
  const p = treeLeaves(params, "params");
  const g = treeLeaves(grads, "grads");
  if (p.length !== g.length)
    throw new AutodiffInputError("grads", `a tree with ${p.length} leaves like params`, g.length);
  p.forEach((x, i) => {
    if (x.size !== g[i].size) throw new AutodiffInputError("grads", `leaf ${i} of size ${x.size}`, g[i].size);
  });
  return [p, g];
}

/** New params tree from updated Float64 leaf arrays (dtype of each original leaf is kept). */
export function rebuild<P extends TreeLike>(
  params: P,
  leaves: readonly Tensor[],
  data: readonly Float64Array[],
): P {
  return treeUnflatten(
    params,
    leaves.map((x, i) => T._of(x.dtype === "float32" ? Float32Array.from(data[i]) : data[i], x.shape)),
  ) as P;
}
