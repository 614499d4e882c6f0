// Elementwise primitives (unary, binary with broadcasting, where) with their JVP and VJP rules,
// plus the activations composed from them.
import { bind, type Primitive } from "../core/bind.js";
import { allocUninit } from "../core/create.js";
import { definePrimitive } from "../core/registry.js";
import { broadcastShapes, broadcastStrides } from "../core/shape.js";
import type { TensorLike } from "../core/tensor.js";
import { Tensor } from "../core/tensor.js";
import {
  BINARY_EXPR,
  type BinaryName,
  naryKernel,
  type UnaryName,
  unaryKernel,
  WHERE_EXPR,
} from "../kernels/elementwise.js";
import { broadcastBatch, unaryBatch } from "./batching.js";
import { addT, alignT, fitT, lift, mulTo, negT, resultDtype, sumTo } from "./util.js";

// ---------------------------------------------------------------- unary
type UnaryRule = {
  jvp?: (t: Tensor, x: Tensor, out: Tensor) => Tensor;
  vjp?: (g: Tensor, x: Tensor, out: Tensor) => Tensor;
};

function unaryPrim(name: UnaryName, rule: UnaryRule): Primitive<null> {
  const p: Primitive<null> = {
    name,
    impl([x]) {
      const o = allocUninit(x.dtype, x.size);
      unaryKernel(name, x._data!, o);
      return Tensor._of(o, x.shape);
    },
  };
  const q: Primitive<null> = rule.jvp
    ? { ...p, jvp: ([x], [t], out) => rule.jvp!(t!, x, out), vjp: (g, [x], out) => [rule.vjp!(g, x, out)] }
    : p;
  q.batch = (xs, bds, prm) => unaryBatch(q, xs, bds, prm);
  return definePrimitive(q);
}

// The rules are written in ops, so they are differentiable again.
const P_NEG = unaryPrim("neg", { jvp: (t) => neg(t), vjp: (g) => neg(g) });
const P_EXP = unaryPrim("exp", { jvp: (t, _x, y) => mul(t, y), vjp: (g, _x, y) => mul(g, y) });
const P_LOG = unaryPrim("log", { jvp: (t, x) => div(t, x), vjp: (g, x) => div(g, x) });
const P_SQRT = unaryPrim("sqrt", {
  jvp: (t, _x, y) => div(t, mul(y, 2)),
  vjp: (g, _x, y) => div(g, mul(y, 2)),
});
const P_SIN = unaryPrim("sin", { jvp: (t, x) => mul(t, cos(x)), vjp: (g, x) => mul(g, cos(x)) });
const P_COS = unaryPrim("cos", { jvp: (t, x) => neg(mul(t, sin(x))), vjp: (g, x) => neg(mul(g, sin(x))) });
const P_TANH = unaryPrim("tanh", {
  jvp: (t, _x, y) => tanhGrad(y, t),
  vjp: (g, _x, y) => tanhGrad(y, g),
});
const P_SIGMOID = unaryPrim("sigmoid", {
  jvp: (t, _x, y) => mul(t, mul(y, sub(1, y))),
  vjp: (g, _x, y) => mul(g, mul(y, sub(1, y))),
});
const P_SOFTPLUS = unaryPrim("softplus", {
  jvp: (t, x) => mul(t, sigmoid(x)),
  vjp: (g, x) => mul(g, sigmoid(x)),
});
const P_ABS = unaryPrim("abs", { jvp: (t, x) => mul(t, sign(x)), vjp: (g, x) => mul(g, sign(x)) });
const P_SIGN = unaryPrim("sign", {});

function un(p: Primitive<null>, x: TensorLike, field: string): Tensor {
  return bind(p, [lift(x, "float64", field)], null);
}

export const neg = (x: TensorLike): Tensor => un(P_NEG, x, "neg.x");
export const exp = (x: TensorLike): Tensor => un(P_EXP, x, "exp.x");
/** Natural log (NaN for negative input, −∞ at 0, as in IEEE arithmetic). */
export const log = (x: TensorLike): Tensor => un(P_LOG, x, "log.x");
export const sqrt = (x: TensorLike): Tensor => un(P_SQRT, x, "sqrt.x");
export const sin = (x: TensorLike): Tensor => un(P_SIN, x, "sin.x");
export const cos = (x: TensorLike): Tensor => un(P_COS, x, "cos.x");
export const tanh = (x: TensorLike): Tensor => un(P_TANH, x, "tanh.x");
/** Logistic sigmoid 1/(1+e^{−x}), evaluated without overflow. */
export const sigmoid = (x: TensorLike): Tensor => un(P_SIGMOID, x, "sigmoid.x");
/** log(1+eˣ), evaluated without overflow; derivative sigmoid(x). */
export const softplus = (x: TensorLike): Tensor => un(P_SOFTPLUS, x, "softplus.x");
export const abs = (x: TensorLike): Tensor => un(P_ABS, x, "abs.x");
/** −1, 0 or 1 (zero derivative). */
export const sign = (x: TensorLike): Tensor => un(P_SIGN, x, "sign.x");

// ---------------------------------------------------------------- binary
type BinRule = {
  jvp?: (ta: Tensor | null, tb: Tensor | null, a: Tensor, b: Tensor, out: Tensor) => Tensor | null;
  vjp?: (
    g: Tensor,
    a: Tensor,
    b: Tensor,
    out: Tensor,
    need: readonly boolean[],
  ) => [Tensor | null, Tensor | null];
};

/** The forward pass of an elementwise primitive over any number of inputs, broadcast together (float32 only when every input is). */
function naryImpl(name: string, expr: string) {
  return (xs: readonly Tensor[]): Tensor => {
    let shape: number[] = [];
    for (const x of xs) shape = broadcastShapes(shape, x.shape, name);
    const dt = xs.every((x) => x.dtype === "float32") ? "float32" : "float64";
    const o = allocUninit(
      dt,
      shape.reduce((x, y) => x * y, 1),
    );
    naryKernel(
      name,
      expr,
      xs.map((x) => x._data!),
      xs.map((x) => broadcastStrides(x.shape, shape)),
      shape,
      o,
    );
    return Tensor._of(o, shape);
  };
}

function binaryPrim(name: BinaryName, rule: BinRule): Primitive<null> {
  const p: Primitive<null> = { name, impl: naryImpl(name, BINARY_EXPR[name]) };
  p.batch = (xs, bds, prm) => broadcastBatch(p, xs, bds, prm);
  if (!rule.jvp) return definePrimitive(p);
  const j = rule.jvp;
  const v = rule.vjp!;
  const q: Primitive<null> = {
    ...p,
    jvp: ([a, b], [ta, tb], out, _p, nb) => {
      const n = out.ndim;
      const ta2 = ta && alignT(ta, a.ndim, n, nb);
      const tb2 = tb && alignT(tb, b.ndim, n, nb);
      return fitT(j(ta2, tb2, a, b, out), out.shape, nb);
    },
    vjp: (g, [a, b], out, _p, need) => {
      const [ga, gb] = v(g, a, b, out, need);
      return [need[0] && ga ? sumTo(ga, a.shape) : null, need[1] && gb ? sumTo(gb, b.shape) : null];
    },
  };
  q.batch = (xs, bds, prm) => broadcastBatch(q, xs, bds, prm);
  return definePrimitive(q);
}

const mulT = (t: Tensor | null, y: Tensor): Tensor | null => (t === null ? null : mul(t, y));

const P_ADD = binaryPrim("add", { jvp: (ta, tb) => addT(ta, tb), vjp: (g) => [g, g] });
const P_SUB = binaryPrim("sub", {
  jvp: (ta, tb) => (ta === null ? negT(tb) : tb === null ? ta : sub(ta, tb)),
  vjp: (g, _a, _b, _o, need) => [g, need[1] ? neg(g) : null],
});
const P_MUL = binaryPrim("mul", {
  jvp: (ta, tb, a, b) => (ta && tb ? fma2(ta, b, a, tb) : addT(mulT(ta, b), mulT(tb, a))),
  // summed back to the operand's shape in the same pass (an operand broadcast over a batch)
  vjp: (g, a, b, _o, need) => [
    need[0] ? mulTo([g, b], a.shape) : null,
    need[1] ? mulTo([g, a], b.shape) : null,
  ],
});
const P_DIV = binaryPrim("div", {
  // d(a/b) = (da − out·db)/b
  jvp: (ta, tb, _a, b, out) => {
    if (ta && tb) return fma2(ta, div(1, b), tb, neg(div(out, b))); // one pass over the tangents
    const num = tb === null ? ta : neg(mul(tb, out));
    return num === null ? null : div(num, b);
  },
  vjp: (g, _a, b, out, need) => {
    const gb = div(g, b);
    return [gb, need[1] ? neg(mul(gb, out)) : null];
  },
});
const P_POW = binaryPrim("pow", {
  // d(a^b) = b·a^(b−1)·da + a^b·log(a)·db; the log term only when b is differentiated.
  jvp: (ta, tb, a, b, out) => addT(mulT(ta, mul(b, pow(a, sub(b, 1)))), mulT(tb, mul(out, log(a)))),
  vjp: (g, a, b, out, need) => [
    need[0] ? mul(g, mul(b, pow(a, sub(b, 1)))) : null,
    need[1] ? mul(g, mul(out, log(a))) : null,
  ],
});
// Ties split the derivative evenly (subgradient midpoint).
function pickMask(name: "maximum" | "minimum", a: Tensor, b: Tensor): Tensor {
  const first = name === "maximum" ? greater(a, b) : less(a, b);
  return add(first, mul(equal(a, b), 0.5));
}
function minmaxPrim(name: "maximum" | "minimum"): Primitive<null> {
  return binaryPrim(name, {
    jvp: (ta, tb, a, b) => {
      const m = pickMask(name, a, b);
      return addT(mulT(ta, m), mulT(tb, sub(1, m)));
    },
    vjp: (g, a, b) => {
      const m = pickMask(name, a, b);
      return [mul(g, m), mul(g, sub(1, m))];
    },
  });
}
const P_MAX = minmaxPrim("maximum");
const P_MIN = minmaxPrim("minimum");
const P_GT = binaryPrim("greater", {});
const P_GE = binaryPrim("greaterEqual", {});
const P_LT = binaryPrim("less", {});
const P_EQ = binaryPrim("equal", {});

function bin(p: Primitive<null>, a: TensorLike, b: TensorLike): Tensor {
  const dt = resultDtype([a, b]);
  return bind(p, [lift(a, dt, `${p.name}.a`), lift(b, dt, `${p.name}.b`)], null);
}

export const add = (a: TensorLike, b: TensorLike): Tensor => bin(P_ADD, a, b);
export const sub = (a: TensorLike, b: TensorLike): Tensor => bin(P_SUB, a, b);
export const mul = (a: TensorLike, b: TensorLike): Tensor => bin(P_MUL, a, b);
export const div = (a: TensorLike, b: TensorLike): Tensor => bin(P_DIV, a, b);
/** a^b elementwise. Integer and ½ exponents given as numbers use cheaper exact forms. */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  if (typeof b === "number" && typeof a !== "number") {
    if (b === 1) return a;
    if (b === 2) return mul(a, a);
    if (b === 0.5) return sqrt(a);
    if (b === -1) return div(1, a);
  }
  return bin(P_POW, a, b);
}
export const maximum = (a: TensorLike, b: TensorLike): Tensor => bin(P_MAX, a, b);
export const minimum = (a: TensorLike, b: TensorLike): Tensor => bin(P_MIN, a, b);
/** 1 where a > b else 0 (not differentiable: a constant to every transform). */
export const greater = (a: TensorLike, b: TensorLike): Tensor => bin(P_GT, a, b);
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor => bin(P_GE, a, b);
export const less = (a: TensorLike, b: TensorLike): Tensor => bin(P_LT, a, b);
export const equal = (a: TensorLike, b: TensorLike): Tensor => bin(P_EQ, a, b);

// ---------------------------------------------------------------- where
const P_WHERE: Primitive<null> = definePrimitive({
  name: "where",
  impl([c, a, b]) {
    const shape = broadcastShapes(broadcastShapes(c.shape, a.shape, "where"), b.shape, "where");
    const dt = a.dtype === "float32" && b.dtype === "float32" ? "float32" : "float64";
    const o = allocUninit(
      dt,
      shape.reduce((x, y) => x * y, 1),
    );
    const st = [c, a, b].map((x) => broadcastStrides(x.shape, shape));
    naryKernel("where", WHERE_EXPR, [c._data!, a._data!, b._data!], st, shape, o);
    return Tensor._of(o, shape);
  },
  jvp([c, a, b], [, ta, tb], out, _p, nb) {
    const n = out.ndim;
    const x = ta ? alignT(ta, a.ndim, n, nb) : 0;
    const y = tb ? alignT(tb, b.ndim, n, nb) : 0;
    if (x === 0 && y === 0) return null;
    return fitT(where(c, x, y), out.shape, nb);
  },
  vjp(g, [c, a, b], _o, _p, need) {
    return [
      null,
      need[1] ? sumTo(where(c, g, 0), a.shape) : null,
      need[2] ? sumTo(where(c, 0, g), b.shape) : null,
    ];
  },
  batch: (xs, bds, p) => broadcastBatch(P_WHERE, xs, bds, p),
});

/** Elementwise `cond ≠ 0 ? a : b` with broadcasting; `cond` is never differentiated. */
export function where(cond: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const dt = resultDtype([a, b]);
  return bind(
    P_WHERE,
    [lift(cond, "float64", "where.cond"), lift(a, dt, "where.a"), lift(b, dt, "where.b")],
    null,
  );
}

// ---------------------------------------------------------------- fused
// Two fused primitives that halve the passes over large (batched) tangents in the rules above:
// fma2 = a·b + c·d and tanhGrad(y, g) = g·(1 − y²). Their own rules use ops, so they nest too.

const P_FMA2: Primitive<null> = definePrimitive({
  name: "fma2",
  impl: naryImpl("fma2", "a0 * a1 + a2 * a3"),
  jvp([a, b, c, d], [ta, tb, tc, td], out, _p, nb) {
    const n = out.ndim;
    const al = (t: Tensor | null, x: Tensor) => (t ? alignT(t, x.ndim, n, nb) : null);
    const pair = (tx: Tensor | null, y: Tensor, x: Tensor, ty: Tensor | null) =>
      tx && ty ? fma2(tx, y, x, ty) : addT(tx && mul(tx, y), ty && mul(x, ty));
    return fitT(addT(pair(al(ta, a), b, a, al(tb, b)), pair(al(tc, c), d, c, al(td, d))), out.shape, nb);
  },
  vjp(g, [a, b, c, d], _o, _p, need) {
    const [x, y, z, w] = [b, a, d, c].map((v, i) => (need[i] ? mulTo([g, v], [a, b, c, d][i].shape) : null));
    return [x, y, z, w];
  },
  batch: (xs, bds, p) => broadcastBatch(P_FMA2, xs, bds, p),
});

/** a·b + c·d elementwise with broadcasting, in one pass. */
export function fma2(a: TensorLike, b: TensorLike, c: TensorLike, d: TensorLike): Tensor {
  const dt = resultDtype([a, b, c, d]);
  return bind(
    P_FMA2,
    [a, b, c, d].map((x, i) => lift(x, dt, `fma2.${"abcd"[i]}`)),
    null,
  );
}

const P_TANH_GRAD: Primitive<null> = definePrimitive({
  name: "tanhGrad",
  impl: naryImpl("tanhGrad", "a1 * (1 - a0 * a0)"),
  // d[g(1 − y²)] = (1 − y²)·dg − 2yg·dy
  jvp([y, g], [ty, tg], out, _p, nb) {
    const n = out.ndim;
    const tyl = ty ? alignT(ty, y.ndim, n, nb) : null;
    const tgl = tg ? alignT(tg, g.ndim, n, nb) : null;
    const m = tyl ? mul(mul(y, g), -2) : null;
    const r = tyl && tgl ? fma2(tgl, sub(1, mul(y, y)), tyl, m!) : tgl ? tanhGrad(y, tgl) : mul(tyl!, m!);
    return fitT(r, out.shape, nb);
  },
  vjp(G, [y, g], _o, _p, need) {
    return [
      need[0] ? mulTo(product3(G, y, g, -2), y.shape) : null,
      need[1] ? sumTo(tanhGrad(y, G), g.shape) : null,
    ];
  },
  batch: (xs, bds, p) => broadcastBatch(P_TANH_GRAD, xs, bds, p),
});

/**
 * The factors of c·x·y·z, for mulTo, with the scalar on the smallest and the two smallest
 * multiplied first: with batched tangents one factor can be 10× the others, and unfused every
 * product is a pass over its result (×2 is exact, so the order only moves the last bit of one
 * product).
 */
function product3(x: Tensor, y: Tensor, z: Tensor, c: number): TensorLike[] {
  const [s, m, l] = [x, y, z].sort((p, q) => p.size - q.size);
  return [s, c, m, l];
}

/** g·(1 − y²): the tanh derivative applied to g, given y = tanh(x). */
export function tanhGrad(y: TensorLike, g: TensorLike): Tensor {
  const dt = resultDtype([y, g]);
  return bind(P_TANH_GRAD, [lift(y, dt, "tanhGrad.y"), lift(g, dt, "tanhGrad.g")], null);
}

// ---------------------------------------------------------------- composed
export const square = (x: TensorLike): Tensor => mul(x, x);
/** max(x, 0) with derivative 0 at 0. */
export const relu = (x: TensorLike): Tensor => where(greater(x, 0), x, 0);
/** GELU, tanh approximation (JAX's default): ½x(1 + tanh(√(2/π)(x + 0.044715x³))). */
export function gelu(x: TensorLike): Tensor {
  const inner = mul(add(x, mul(0.044715, mul(x, mul(x, x)))), Math.sqrt(2 / Math.PI));
  return mul(mul(x, 0.5), add(1, tanh(inner)));
}
/** Clamps to [lo, hi]. */
export const clip = (x: TensorLike, lo: number, hi: number): Tensor => minimum(maximum(x, lo), hi);
export const reciprocal = (x: TensorLike): Tensor => div(1, x);
