// Reverse mode: vjp, grad, valueAndGrad. Inputs are boxed at a fresh reverse trace, the function
// runs (building a tape of nodes), and the pullback walks the tape in reverse topological order.
// Pullback arithmetic goes through ordinary ops, so outer transforms see and differentiate it.
import { newTrace } from "../core/bind.js";
import { zeros } from "../core/create.js";
import { arenaRecycle, withArena, withCallArena } from "../core/pool.js";
import { sameShape } from "../core/shape.js";
import { Tensor, type Trace } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import type { Data } from "../kernels/types.js";
import { add } from "../ops/elementwise.js";
import { type Tree, type TreeLike, treeLeaves, treeMap, treeUnflatten } from "./tree.js";

/** Strips `trace` from an output value. */
export function lower(y: Tensor, trace: Trace): Tensor {
  if (y._trace !== null && y._trace.level > trace.level) {
    throw new AutodiffInputError(
      "transform output",
      "a value that does not leak an inner transform",
      "a leaked box",
    );
  }
  return y._trace === trace ? y._primal! : y;
}

/** Reverse topological order (outputs first) of the nodes of `trace` reachable from `roots`. */
function topoOrder(roots: readonly Tensor[], trace: Trace): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  const stack: [Tensor, number][] = [];
  for (const r of roots) {
    if (r._trace !== trace || seen.has(r)) continue;
    seen.add(r);
    stack.push([r, 0]);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const parents = top[0]._node?.parents ?? [];
      if (top[1] < parents.length) {
        const p = parents[top[1]++];
        if (p._trace === trace && !seen.has(p)) {
          seen.add(p);
          stack.push([p, 0]);
        }
      } else {
        order.push(top[0]);
        stack.pop();
      }
    }
  }
  return order.reverse();
}

/**
 * Propagates cotangents from `outs` back to `leaves` (boxes of `trace`). Arrays that the pass
 * allocated and that provably died in it are recycled (core/pool.ts).
 */
export function backward(
  outs: readonly Tensor[],
  cots: readonly Tensor[],
  leaves: readonly Tensor[],
  trace: Trace,
): Tensor[] {
  return withArena(
    () => propagate(outs, cots, leaves, trace),
    (grads) => grads.map((g) => g._concrete()),
  );
}

function propagate(
  outs: readonly Tensor[],
  cots: readonly Tensor[],
  leaves: readonly Tensor[],
  trace: Trace,
): Tensor[] {
  const adj = new Map<Tensor, Tensor>();
  // cotangents that may have died: an accumulated pair, a processed node's adjoint
  const dead: Tensor[] = [];
  const acc = (t: Tensor, g: Tensor) => {
    const prev = adj.get(t);
    if (prev === undefined) adj.set(t, g);
    else {
      adj.set(t, add(prev, g));
      dead.push(prev, g);
    }
  };
  function* live(): Iterable<Data | null> {
    for (const v of adj.values()) yield v._data;
  }
  outs.forEach((y, i) => {
    if (y._trace === trace) acc(y, cots[i]);
  });
  const leafSet = new Set(leaves);
  for (const t of topoOrder(outs, trace)) {
    const g = adj.get(t);
    const node = t._node;
    if (g === undefined || node === null) continue;
    if (!leafSet.has(t)) adj.delete(t); // free intermediate adjoints early
    const gs = node.vjp(g);
    node.parents.forEach((p, i) => {
      const gi = gs[i];
      if (gi && p._trace === trace) acc(p, gi);
    });
    if (!leafSet.has(t)) dead.push(g);
    for (const d of dead) arenaRecycle(d._data, live);
    dead.length = 0;
  }
  return leaves.map((l) => adj.get(l) ?? zeros(l.shape, l.dtype));
}

/** Boxes every leaf of the given trees as an input of a new reverse trace. */
function boxInputs(trees: readonly TreeLike[], trace: Trace): { boxed: TreeLike[]; leaves: Tensor[][] } {
  const leaves: Tensor[][] = [];
  const boxed = trees.map((t, k) => {
    const ls = treeLeaves(t, `arg${k}`).map((x) => Tensor._box(trace, x, null, null));
    leaves.push(ls);
    return treeUnflatten(t, ls);
  });
  return { boxed, leaves };
}

/**
 * Runs `f(...primals)` and returns its output and the pullback: a function taking a cotangent
 * (same tree structure and shapes as the output) and returning one gradient tree per primal.
 * The pullback may be called many times (e.g. for a reverse-mode Jacobian).
 */
export function vjp<A extends TreeLike[], R extends TreeLike>(
  f: (...args: A) => R,
  ...primals: A
): [R, (cotangent: R) => Tree[]] {
  const trace = newTrace("rev");
  const { boxed, leaves } = boxInputs(primals, trace);
  const outB = f(...(boxed as A));
  const outLeaves = treeLeaves(outB, "vjp output");
  const out = treeMap((y) => lower(y, trace), outB);
  const pullback = (cot: R): Tree[] => {
    const cl = treeLeaves(cot, "cotangent");
    if (cl.length !== outLeaves.length) {
      throw new AutodiffInputError(
        "cotangent",
        `a tree with ${outLeaves.length} leaves like the output`,
        cl.length,
      );
    }
    cl.forEach((c, i) => {
      if (!sameShape(c.shape, outLeaves[i].shape)) {
        throw new AutodiffInputError("cotangent", `shape [${outLeaves[i].shape.join(",")}]`, [...c.shape]);
      }
    });
    const flat = leaves.flat();
    const g = backward(outLeaves, cl, flat, trace);
    let k = 0;
    return primals.map((p) => treeUnflatten(p, g.slice(k, (k += treeLeaves(p).length))) as Tree);
  };
  return [out, pullback];
}

type Argnums = number | readonly number[];

function checkArgnums(argnums: Argnums, n: number): number[] {
  const list = typeof argnums === "number" ? [argnums] : [...argnums];
  for (const a of list) {
    if (!Number.isInteger(a) || a < 0 || a >= n)
      throw new AutodiffInputError("argnums", `indices in [0, ${n - 1}]`, a);
  }
  return list;
}

/**
 * `valueAndGrad(f, argnums)(...args)` → `[f(...args), ∂f/∂args[argnums]]`. `f` must return a scalar
 * (size-1) tensor. With a list of argnums the gradient is a list of trees. Any order of nesting
 * with `grad`, `jvp`, `hessian` works.
 */
export function valueAndGrad<A extends unknown[], N extends number = 0>(
  f: (...args: A) => Tensor,
  argnums?: N,
): (...args: A) => [Tensor, A[N]];
export function valueAndGrad<A extends unknown[]>(
  f: (...args: A) => Tensor,
  argnums: readonly number[],
): (...args: A) => [Tensor, Tree[]];
export function valueAndGrad<A extends unknown[]>(
  f: (...args: A) => Tensor,
  argnums: Argnums = 0,
): (...args: A) => [Tensor, Tree | Tree[]] {
  return (...args: A) => {
    const nums = checkArgnums(argnums, args.length);
    const trace = newTrace("rev");
    // the call's arrays, forward pass included, are recycled when it returns (core/pool.ts)
    return withCallArena(
      trace.level,
      () => run(f, args, nums, trace, typeof argnums === "number"),
      ([y, g]) => [y, ...treeLeaves(g as Tree)].map((t) => (t as Tensor)._concrete()),
    );
  };
}

/** One valueAndGrad call at `trace`: the value lowered off it and the gradient tree(s). */
function run<A extends unknown[]>(
  f: (...args: A) => Tensor,
  args: A,
  nums: readonly number[],
  trace: Trace,
  single: boolean,
): [Tensor, Tree | Tree[]] {
  const a = [...args];
  const leaves: Tensor[] = [];
  const counts: number[] = [];
  for (const i of nums) {
    const ls = treeLeaves(args[i] as Tree, `arg${i}`).map((x) => Tensor._box(trace, x, null, null));
    leaves.push(...ls);
    counts.push(ls.length);
    a[i] = treeUnflatten(args[i] as Tree, ls);
  }
  const y = f(...(a as A));
  if (!(y instanceof Tensor) || y.size !== 1) {
    throw new AutodiffInputError(
      "grad: f(...) result",
      "a scalar (size-1) Tensor",
      y instanceof Tensor ? [...y.shape] : typeof y,
    );
  }
  const seed = Tensor._of(y.dtype === "float32" ? new Float32Array([1]) : new Float64Array([1]), y.shape);
  const g = backward([y], [seed], leaves, trace);
  let k = 0;
  const trees = nums.map((i, j) => treeUnflatten(args[i] as Tree, g.slice(k, (k += counts[j]))));
  return [lower(y, trace), single ? trees[0] : trees];
}

/** `grad(f, argnums)(...args)`: the gradient of scalar `f`, shaped like the differentiated argument(s). */
export function grad<A extends unknown[], N extends number = 0>(
  f: (...args: A) => Tensor,
  argnums?: N,
): (...args: A) => A[N];
export function grad<A extends unknown[]>(
  f: (...args: A) => Tensor,
  argnums: readonly number[],
): (...args: A) => Tree[];
export function grad<A extends unknown[]>(
  f: (...args: A) => Tensor,
  argnums: Argnums = 0,
): (...args: A) => Tree | Tree[] {
  const vg = valueAndGrad(f, argnums as readonly number[]);
  return (...args: A) => vg(...args)[1];
}
