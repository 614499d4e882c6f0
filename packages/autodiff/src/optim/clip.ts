// Gradient clipping.
import { AutodiffInputError } from "../errors.js";
import { mul } from "../ops/elementwise.js";
import { type TreeLike, treeLeaves, treeMap } from "../transforms/tree.js";

/** √(Σ g²) over every leaf of the tree. */
export function globalNorm(tree: TreeLike): number {
  let s = 0;
  for (const l of treeLeaves(tree, "grads")) {
    const d = l._raw();
    for (let i = 0; i < d.length; i++) s += d[i] * d[i];
  }
  return Math.sqrt(s);
}

/** Scales the whole gradient tree by min(1, maxNorm/‖g‖) so its global norm is at most maxNorm. */
export function clipByGlobalNorm<T extends TreeLike>(grads: T, maxNorm: number): T {
  if (!(maxNorm > 0) || !Number.isFinite(maxNorm)) {
    throw new AutodiffInputError("clipByGlobalNorm.maxNorm", "a finite number > 0", maxNorm);
  }
  const n = globalNorm(grads);
  if (n <= maxNorm) return grads;
  const f = maxNorm / n;
  return treeMap((g) => mul(g, f), grads);
}
