// JAX-style derivative checker: compares forward (jvp) and reverse (vjp) derivatives of `f`
// with central finite differences along random directions, recursively to the given order.
import { tensor } from "../core/create.js";
import type { Tensor } from "../core/tensor.js";
import { AutodiffInputError } from "../errors.js";
import { type Key, key as makeKey, normal, split } from "../random.js";
import { jvp } from "../transforms/forward.js";
import { vjp } from "../transforms/reverse.js";

export interface CheckGradsOptions {
  /** Highest derivative order to check (default 2). */
  order?: number;
  modes?: readonly ("fwd" | "rev")[];
  /** Finite-difference step (default 1e-5 relative to max(1, |x|)). */
  eps?: number;
  /** Allowed relative error (default 1e-6). */
  rtol?: number;
  /** Absolute floor for the comparison (default 1e-9). */
  atol?: number;
  seed?: number;
  /** Random directions per check (default 2). */
  directions?: number;
}

/** Thrown when a derivative disagrees with finite differences. */
export class GradCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GradCheckError";
  }
}

const dot = (a: Tensor, b: Tensor): number => {
  const x = a._raw();
  const y = b._raw();
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
};

function axpy(x: Tensor, v: Tensor, h: number): Tensor {
  const a = x.toFloat64Array();
  const b = v._raw();
  for (let i = 0; i < a.length; i++) a[i] += h * b[i];
  return tensor(a, x.shape);
}

type F = (...xs: Tensor[]) => Tensor;

/** Fourth-order central difference of ⟨u, f(x + h·v)⟩ along v (error O(h⁴)). */
function fdDirectional(f: F, xs: Tensor[], vs: Tensor[], u: Tensor, h: number): number {
  const at = (s: number) => dot(u, f(...xs.map((x, i) => axpy(x, vs[i], s * h))));
  return (8 * (at(1) - at(-1)) - (at(2) - at(-2))) / (12 * h);
}

function compare(a: number, b: number, rtol: number, atol: number, what: string): void {
  const err = Math.abs(a - b);
  if (!(err <= rtol * Math.max(Math.abs(a), Math.abs(b)) + atol)) {
    throw new GradCheckError(`${what}: ${a} vs finite differences ${b} (abs err ${err.toExponential(2)})`);
  }
}

function check(
  f: F,
  xs: Tensor[],
  order: number,
  o: Required<CheckGradsOptions>,
  k: Key,
  path: string,
): void {
  const y = f(...xs);
  const [kd, ku, kn] = split(k, 3);
  for (let d = 0; d < o.directions; d++) {
    const [kv, kuu] = split(split(kd, o.directions)[d], 2);
    const vs = xs.map((x, i) => normal(split(kv, xs.length)[i], x.shape));
    const u = normal(kuu, y.shape);
    const scale = Math.max(1, ...xs.map((x) => Math.max(...x.toFloat64Array().map(Math.abs))));
    const fd = fdDirectional(f, xs, vs, u, o.eps * scale);
    if (o.modes.includes("fwd")) {
      const [, t] = jvp((...a) => f(...(a as Tensor[])), xs, vs);
      compare(dot(u, t as Tensor), fd, o.rtol, o.atol, `${path} jvp (direction ${d})`);
    }
    if (o.modes.includes("rev")) {
      const [, pull] = vjp((...a: Tensor[]) => f(...a), ...xs);
      const gs = pull(u) as Tensor[];
      compare(
        xs.reduce((s, _x, i) => s + dot(gs[i], vs[i]), 0),
        fd,
        o.rtol,
        o.atol,
        `${path} vjp (direction ${d})`,
      );
    }
  }
  if (order <= 1) return;
  // Recurse on the derivative maps themselves (their outputs are differentiable functions of x).
  const vs = xs.map((x, i) => normal(split(kn, xs.length)[i], x.shape));
  const u = normal(ku, y.shape);
  if (o.modes.includes("fwd")) {
    const g: F = (...a) => jvp((...b) => f(...(b as Tensor[])), a, vs)[1] as Tensor;
    check(g, xs, order - 1, o, split(kn, 2)[0], `${path}→jvp`);
  }
  if (o.modes.includes("rev")) {
    // ⟨g(x), v⟩ with g the pullback of u: a scalar whose derivatives are second derivatives of f.
    const g: F = (...a) => {
      const [, pull] = vjp((...b: Tensor[]) => f(...b), ...a);
      const gs = pull(u) as Tensor[];
      let s = gs[0].mul(vs[0]).sum();
      for (let i = 1; i < gs.length; i++) s = s.add(gs[i].mul(vs[i]).sum());
      return s;
    };
    check(g, xs, order - 1, o, split(kn, 2)[1], `${path}→vjp`);
  }
}

/**
 * Checks every derivative of `f` up to `order` in the given modes against finite differences;
 * throws `GradCheckError` naming the failing path (e.g. `f→vjp jvp`).
 */
export function checkGrads(f: F, args: readonly Tensor[], opts: CheckGradsOptions = {}): void {
  const o: Required<CheckGradsOptions> = {
    order: opts.order ?? 2,
    modes: opts.modes ?? ["fwd", "rev"],
    eps: opts.eps ?? 1e-3,
    rtol: opts.rtol ?? 1e-6,
    atol: opts.atol ?? 1e-9,
    seed: opts.seed ?? 0,
    directions: opts.directions ?? 2,
  };
  if (!Number.isInteger(o.order) || o.order < 1)
    throw new AutodiffInputError("checkGrads.order", "an integer >= 1", o.order);
  check(f, [...args], o.order, o, makeKey(o.seed), "f");
}
