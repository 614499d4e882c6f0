// The single dispatch point of every primitive. Given the inputs, find the innermost transform
// (highest trace level) among them, strip that level, apply the primitive one level down
// (recursively), then rebox: a forward trace adds the JVP of the primitive, a reverse trace
// records a tape node whose pullback is the VJP rule. Rules are written in differentiable ops,
// so the work they do is itself seen by every outer transform.
import { AutodiffInputError, EscapedTensorError } from "../errors.js";
import type { RevNode, Tensor, Trace } from "./tensor.js";
import { Tensor as T } from "./tensor.js";

/** One primitive: a concrete implementation plus its derivative rules. */
export interface Primitive<P> {
  readonly name: string;
  /** Computes on concrete inputs (every `x._data` is set). */
  impl(inputs: readonly Tensor[], params: P): Tensor;
  /**
   * Forward rule. Tangents have shape [...batch, ...primalShape] with `nb` batch dims (null = 0).
   * Returns the output tangent with shape [...batch, ...out.shape], or null for zero.
   */
  jvp?(
    primals: readonly Tensor[],
    tangents: readonly (Tensor | null)[],
    out: Tensor,
    params: P,
    nb: number,
  ): Tensor | null;
  /**
   * Batching rule (vmap): `values` are the inputs with their mapped axis at `bdims[i]` (null =
   * not mapped), `size` the mapped axis length. Returns the output and the axis mapped in it
   * (null if the output does not depend on the mapped axis). Helpers: ops/batching.ts.
   */
  batch?(
    values: readonly Tensor[],
    bdims: readonly (number | null)[],
    params: P,
    size: number,
  ): [Tensor, number | null];
  /** Reverse rule: cotangent `g` (shape of `out`) to input cotangents; only `need[i]` must be computed. */
  vjp?(
    g: Tensor,
    primals: readonly Tensor[],
    out: Tensor,
    params: P,
    need: readonly boolean[],
  ): (Tensor | null)[];
}

let nextLevel = 1;

/** Opens a new transform level (higher than every live one). */
export function newTrace(kind: "fwd" | "rev" | "batch", nb = 0): Trace {
  return { level: nextLevel++, kind, nb };
}

export function bind<P>(prim: Primitive<P>, inputs: readonly Tensor[], params: P): Tensor {
  let top: Trace | null = null;
  for (const x of inputs) {
    const t = x._trace;
    if (t !== null && (top === null || t.level > top.level)) top = t;
  }
  if (top === null) {
    // a concrete tensor without data was expired when its grad call ended (core/pool.ts)
    for (const x of inputs) if (x._data === null) throw new EscapedTensorError();
    return prim.impl(inputs, params);
  }
  if (top.kind === "batch") return bindBatch(prim, inputs, params, top);
  const primals = inputs.map((x) => (x._trace === top ? x._primal! : x));
  const out = bind(prim, primals, params);
  if (!prim.jvp && !prim.vjp) return out; // non-differentiable (comparisons): a constant
  if (top.kind === "fwd") {
    let any = false;
    const tangents = inputs.map((x) => {
      const t = x._trace === top ? x._tangent : null;
      if (t) any = true;
      return t;
    });
    const tOut = any ? prim.jvp!(primals, tangents, out, params, top.nb) : null;
    return T._box(top, out, tOut, null);
  }
  const need = inputs.map((x) => x._trace === top);
  const node: RevNode = {
    parents: inputs,
    vjp: (g) => prim.vjp!(g, primals, out, params, need),
  };
  return T._box(top, out, null, node);
}

/** Thrown by vmap when an op has no batching rule. */
export class MissingBatchRuleError extends AutodiffInputError {
  /** The primitive's name. */
  readonly op: string;
  constructor(op: string) {
    super("vmap", "ops with a batching rule", op, `no batching rule for "${op}"; vmap over a loop instead`);
    this.name = "MissingBatchRuleError";
    this.op = op;
  }
}

function bindBatch<P>(prim: Primitive<P>, inputs: readonly Tensor[], params: P, top: Trace): Tensor {
  if (!prim.batch) throw new MissingBatchRuleError(prim.name);
  const values = inputs.map((x) => (x._trace === top ? x._primal! : x));
  const bdims = inputs.map((x) => (x._trace === top ? x._bdim : null));
  const [out, bd] = prim.batch(values, bdims, params, top.nb);
  return bd === null ? out : T._boxBatch(top, out, bd);
}
