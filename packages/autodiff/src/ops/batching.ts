// Helpers for batching rules (vmap, core/bind.ts): most primitives are batched by one of a few
// patterns — elementwise (keep the mapped axis where it is), broadcasting (mapped axis in front,
// unit dims after it so the example dims align from the right), "maps over leading dims" (mapped
// axis in front on every input), or as a last resort a loop over the examples. Rules call these
// when they run, never at module load (the op modules import each other in a cycle).
import { bind, type Primitive } from "../core/bind.js";
import type { Tensor } from "../core/tensor.js";
import { broadcastTo, moveAxis, reshape, stack } from "./shape.js";

export type BatchRule<P> = NonNullable<Primitive<P>["batch"]>;

/** The mapped axis moved to the front. */
export function toFront(x: Tensor, bd: number): Tensor {
  return bd === 0 ? x : moveAxis(x, bd, 0);
}

/**
 * A mapped operand laid out for NumPy broadcasting against examples of rank `n`: mapped axis in
 * front, then unit dims up to rank n + 1. Unmapped operands are returned as they are (they
 * broadcast from the right).
 */
export function alignFront(x: Tensor, bd: number | null, n: number): Tensor {
  if (bd === null) return x;
  const f = toFront(x, bd);
  const k = f.ndim - 1;
  return k >= n ? f : reshape(f, [f.shape[0], ...new Array<number>(n - k).fill(1), ...f.shape.slice(1)]);
}

/** The mapped axis in front; an unmapped input is broadcast to [size, ...shape]. */
export function materialize(x: Tensor, bd: number | null, size: number): Tensor {
  return bd === null ? broadcastTo(reshape(x, [1, ...x.shape]), [size, ...x.shape]) : toFront(x, bd);
}

/** Per-example rank of an input (its rank without the mapped axis). */
export const exampleRank = (x: Tensor, bd: number | null): number => x.ndim - (bd === null ? 0 : 1);

/** Unary elementwise: the mapped axis stays where it is. */
export function unaryBatch<P>(
  prim: Primitive<P>,
  [x]: readonly Tensor[],
  [bd]: readonly (number | null)[],
  p: P,
): [Tensor, number | null] {
  return [bind(prim, [x], p), bd];
}

/** Elementwise with NumPy broadcasting over any number of inputs (also batched matrix products and solves). */
export function broadcastBatch<P>(
  prim: Primitive<P>,
  xs: readonly Tensor[],
  bds: readonly (number | null)[],
  p: P,
): [Tensor, number | null] {
  let n = 0;
  xs.forEach((x, i) => {
    n = Math.max(n, exampleRank(x, bds[i]));
  });
  return [
    bind(
      prim,
      xs.map((x, i) => alignFront(x, bds[i], n)),
      p,
    ),
    0,
  ];
}

/** Primitives that map over leading dims (linear algebra): every input gets the mapped axis in front. */
export function leadingBatch<P>(
  prim: Primitive<P>,
  xs: readonly Tensor[],
  bds: readonly (number | null)[],
  p: P,
  size: number,
): [Tensor, number | null] {
  return [
    bind(
      prim,
      xs.map((x, i) => materialize(x, bds[i], size)),
      p,
    ),
    0,
  ];
}

/** The fallback: one call per example, stacked (correct for any primitive, and as slow as a loop). */
export function loopBatch<P>(
  prim: Primitive<P>,
  xs: readonly Tensor[],
  bds: readonly (number | null)[],
  p: P,
  size: number,
): [Tensor, number | null] {
  const outs: Tensor[] = [];
  for (let i = 0; i < size; i++)
    outs.push(
      bind(
        prim,
        xs.map((x, k) => example(x, bds[k], i)),
        p,
      ),
    );
  return [stack(outs, 0), 0];
}

/** Example i of a mapped input (the input itself if unmapped). */
export function example(x: Tensor, bd: number | null, i: number): Tensor {
  if (bd === null) return x;
  const starts = x.shape.map((_d, k) => (k === bd ? i : 0));
  const ends = x.shape.map((d, k) => (k === bd ? i + 1 : d));
  const s = x.slice(starts, ends);
  return reshape(
    s,
    x.shape.filter((_d, k) => k !== bd),
  );
}
