// A parameter tree as one flat vector (its leaves in tree order) and back: the form the polish's
// iterates take (L-BFGS's stored state, Levenberg–Marquardt's steps).
import { tensor, treeLeaves, treeUnflatten } from "@physml/autodiff";

/** The leaves of `tree`, concatenated in tree order. */
export function flatParams(tree: object): Float64Array {
  const leaves = treeLeaves(tree);
  const v = new Float64Array(leaves.reduce((a, l) => a + l.size, 0));
  let k = 0;
  for (const l of leaves) {
    v.set(l.toFloat64Array(), k);
    k += l.size;
  }
  return v;
}

/** A tree shaped like `template` whose leaves hold `v`'s entries in tree order. */
export function paramsFrom<P extends object>(template: P, v: Float64Array): P {
  let k = 0;
  return treeUnflatten(
    template,
    treeLeaves(template).map((l) => tensor(v.slice(k, (k += l.size)), l.shape)),
  );
}
