// Parameter trees: nested arrays / plain objects with Tensor leaves.
import { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";

/** A nested structure of tensors (arrays and plain objects), e.g. network parameters. */
export type Tree = Tensor | Tree[] | { [k: string]: Tree };

/**
 * What tree-accepting functions take: any object, so that interfaces, readonly arrays and
 * optional fields (`b?: Tensor`) type-check. The structure is validated at run time: leaves must
 * be Tensors, inner nodes arrays or plain objects; `undefined` fields are treated as absent.
 */
export type TreeLike = object;

type Node = Tensor | readonly unknown[] | Record<string, unknown>;

function isPlain(t: unknown): t is Record<string, unknown> {
  if (t === null || typeof t !== "object") return false;
  const p = Object.getPrototypeOf(t);
  return p === Object.prototype || p === null;
}

/** The leaves of a tree in a fixed order (array order, then object keys in insertion order). */
export function treeLeaves(tree: TreeLike, field = "tree"): Tensor[] {
  const out: Tensor[] = [];
  const walk = (t: unknown, path: string) => {
    if (t instanceof Tensor) out.push(t);
    else if (Array.isArray(t)) {
      for (let i = 0; i < t.length; i++) walk(t[i], `${path}[${i}]`);
    } else if (isPlain(t)) {
      for (const k of Object.keys(t)) if (t[k] !== undefined) walk(t[k], `${path}.${k}`);
    } else throw new AutodiffInputError(path, "a Tensor, an array or a plain object of tensors", typeof t);
  };
  walk(tree, field);
  return out;
}

/** Rebuilds `tree`'s structure with new leaves (in `treeLeaves` order). */
export function treeUnflatten<T extends TreeLike>(tree: T, leaves: readonly Tensor[]): T {
  let i = 0;
  const walk = (t: Node): unknown => {
    if (t instanceof Tensor) return leaves[i++];
    if (Array.isArray(t)) return t.map(walk);
    const o: Record<string, unknown> = {};
    const r = t as Record<string, unknown>;
    for (const k of Object.keys(r)) if (r[k] !== undefined) o[k] = walk(r[k] as Node);
    return o;
  };
  return walk(tree as Node) as T;
}

/**
 * The leaves of `tree` concatenated in {@link treeLeaves} order as one Float64 vector (JAX's
 * `ravel_pytree`): the form a flat-vector method (L-BFGS, Levenberg–Marquardt) works in.
 */
export function treeRavel(tree: TreeLike, field = "tree"): Float64Array {
  const leaves = treeLeaves(tree, field);
  const out = new Float64Array(leaves.reduce((a, l) => a + l.size, 0));
  let k = 0;
  for (const l of leaves) {
    out.set(l._raw(), k);
    k += l.size;
  }
  return out;
}

/**
 * The inverse of {@link treeRavel}: a tree shaped like `template` (leaf shapes and dtypes) whose
 * leaves hold `v`'s entries in {@link treeLeaves} order.
 */
export function treeUnravel<T extends TreeLike>(template: T, v: Float64Array): T {
  let k = 0;
  const leaves = treeLeaves(template).map((l) => {
    const part = v.slice(k, (k += l.size));
    return Tensor._of(l.dtype === "float32" ? Float32Array.from(part) : part, l.shape);
  });
  return treeUnflatten(template, leaves);
}

/** Applies `f` to every leaf (with the matching leaves of `others`, which share the structure). */
export function treeMap<T extends TreeLike>(
  f: (x: Tensor, ...rest: Tensor[]) => Tensor,
  tree: T,
  ...others: TreeLike[]
): T {
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
export function treePaths(tree: TreeLike): [string, Tensor][] {
  treeLeaves(tree);
  const out: [string, Tensor][] = [];
  const walk = (t: Node, path: string[]) => {
    if (t instanceof Tensor) out.push([path.join("."), t]);
    else if (Array.isArray(t)) {
      for (let i = 0; i < t.length; i++) walk(t[i], [...path, String(i)]);
    } else {
      const r = t as Record<string, unknown>;
      for (const k of Object.keys(r)) if (r[k] !== undefined) walk(r[k] as Node, [...path, k]);
    }
  };
  walk(tree as Node, []);
  return out;
}
