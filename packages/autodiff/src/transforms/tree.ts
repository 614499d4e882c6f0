// Parameter trees: nested arrays / plain objects with Tensor leaves.
import { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";

/** A nested structure of tensors (arrays and plain objects), e.g. network parameters. */
export type Tree = Tensor | Tree[] | { [k: string]: Tree };

/** The leaves of a tree in a fixed order (array order, then object keys in insertion order). */
export function treeLeaves(tree: Tree, field = "tree"): Tensor[] {
  const out: Tensor[] = [];
  const walk = (t: unknown, path: string) => {
    if (t instanceof Tensor) out.push(t);
    else if (Array.isArray(t)) t.forEach((c, i) => walk(c, `${path}[${i}]`));
    else if (t !== null && typeof t === "object" && Object.getPrototypeOf(t) === Object.prototype) {
      for (const k of Object.keys(t)) walk((t as Record<string, unknown>)[k], `${path}.${k}`);
    } else throw new AutodiffInputError(path, "a Tensor, an array or a plain object of tensors", typeof t);
  };
  walk(tree, field);
  return out;
}

/** Rebuilds `tree`'s structure with new leaves (in `treeLeaves` order). */
export function treeUnflatten(tree: Tree, leaves: readonly Tensor[]): Tree {
  let i = 0;
  const walk = (t: Tree): Tree => {
    if (t instanceof Tensor) return leaves[i++];
    if (Array.isArray(t)) return t.map(walk);
    const o: { [k: string]: Tree } = {};
    for (const k of Object.keys(t)) o[k] = walk(t[k]);
    return o;
  };
  return walk(tree);
}

/** Applies `f` to every leaf (with the matching leaves of `others`, which share the structure). */
export function treeMap(f: (x: Tensor, ...rest: Tensor[]) => Tensor, tree: Tree, ...others: Tree[]): Tree {
  const leaves = treeLeaves(tree);
  const o = others.map((t, k) => treeLeaves(t, `tree${k + 1}`));
  for (const l of o) {
    if (l.length !== leaves.length) {
      throw new AutodiffInputError("tree", `trees with ${leaves.length} leaves (same structure)`, l.length);
    }
  }
  return treeUnflatten(
    tree,
    leaves.map((x, i) => f(x, ...o.map((l) => l[i]))),
  );
}

/** Flattened "path → tensor" entries, paths like `0.w` or `layers.1.b`. */
export function treePaths(tree: Tree): [string, Tensor][] {
  const out: [string, Tensor][] = [];
  const walk = (t: Tree, path: string[]) => {
    if (t instanceof Tensor) out.push([path.join("."), t]);
    else if (Array.isArray(t)) t.forEach((c, i) => walk(c, [...path, String(i)]));
    else for (const k of Object.keys(t)) walk(t[k], [...path, k]);
  };
  walk(tree, []);
  return out;
}
