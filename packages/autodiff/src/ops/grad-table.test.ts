// Every differentiable op: forward and reverse derivatives to second order against
// finite differences (random shapes, broadcasting included), JAX check_grads style.
import { describe, expect, it } from "vitest";
import { bind, type Primitive } from "../core/bind.js";
import {
  abs,
  add,
  broadcastTo,
  concat,
  cos,
  div,
  exp,
  fma2,
  gather,
  gelu,
  greater,
  jvp,
  log,
  logSoftmax,
  logsumexp,
  matmul,
  matmulT,
  max,
  maximum,
  mean,
  minimum,
  mul,
  neg,
  pow,
  random,
  relu,
  reshape,
  scatterAdd,
  sigmoid,
  sin,
  slice,
  softmax,
  softplus,
  sqrt,
  stack,
  sub,
  sum,
  type Tensor,
  tanh,
  tanhGrad,
  transpose,
  vjp,
  where,
} from "../index.js";
import { checkGrads, GradCheckError } from "../testing/index.js";

type Dom = "real" | "pos";
interface Spec {
  name: string;
  f: (...xs: Tensor[]) => Tensor;
  shapes: number[][];
  dom?: Dom[];
  order?: number;
  /** FD step: small for piecewise ops so no difference stencil straddles a kink. */
  eps?: number;
}

const specs: Spec[] = [
  { name: "neg", f: neg, shapes: [[3, 4]] },
  { name: "exp", f: exp, shapes: [[2, 3]] },
  { name: "log", f: log, shapes: [[5]], dom: ["pos"] },
  { name: "sqrt", f: sqrt, shapes: [[2, 2]], dom: ["pos"] },
  { name: "abs", f: abs, shapes: [[6]], eps: 1e-6 },
  { name: "sin", f: sin, shapes: [[3, 2]] },
  { name: "cos", f: cos, shapes: [[3, 2]] },
  { name: "tanh", f: tanh, shapes: [[4, 3]] },
  { name: "sigmoid", f: sigmoid, shapes: [[4, 3]] },
  { name: "relu", f: relu, shapes: [[7]], eps: 1e-6 },
  { name: "gelu", f: gelu, shapes: [[2, 5]] },
  { name: "softplus", f: softplus, shapes: [[2, 5]] },
  {
    name: "add (broadcast)",
    f: add,
    shapes: [
      [3, 1],
      [1, 4],
    ],
  },
  { name: "sub (broadcast)", f: sub, shapes: [[2, 3, 4], [4]] },
  {
    name: "mul (broadcast)",
    f: mul,
    shapes: [
      [2, 1, 3],
      [4, 1],
    ],
  },
  {
    name: "div (broadcast)",
    f: div,
    shapes: [
      [3, 4],
      [3, 1],
    ],
    dom: ["real", "pos"],
  },
  { name: "pow", f: pow, shapes: [[2, 3], [3]], dom: ["pos", "real"] },
  { name: "pow (const exponent)", f: (x) => pow(x, 3.5), shapes: [[4]], dom: ["pos"] },
  { name: "maximum", f: maximum, shapes: [[3, 4], [4]], eps: 1e-6 },
  {
    name: "minimum",
    f: minimum,
    shapes: [
      [3, 1],
      [3, 5],
    ],
    eps: 1e-6,
  },
  { name: "fma2 (fused a·b + c·d, broadcast)", f: fma2, shapes: [[3, 4], [4], [3, 1], [3, 4]] },
  { name: "tanhGrad (fused g·(1 − y²))", f: tanhGrad, shapes: [[2, 3], [3]] },
  { name: "where", f: (a, b) => where(greater(a, 0), mul(a, b), b), shapes: [[3, 4], [4]] },
  { name: "sum (axes)", f: (x) => sum(mul(x, x), [0, 2]), shapes: [[2, 3, 4]] },
  { name: "sum (keepdims)", f: (x) => mul(sum(x, 1, true), x), shapes: [[3, 4]] },
  { name: "mean", f: (x) => mean(mul(x, x), -1), shapes: [[3, 5]] },
  { name: "max", f: (x) => max(x, [1]), shapes: [[3, 6]], eps: 1e-6 },
  { name: "logsumexp", f: (x) => logsumexp(x, [0, 2]), shapes: [[2, 3, 4]] },
  { name: "softmax", f: (x) => softmax(x, 0), shapes: [[4, 3]] },
  { name: "logSoftmax", f: (x) => logSoftmax(x), shapes: [[3, 5]] },
  {
    name: "matmul 2d",
    f: matmul,
    shapes: [
      [3, 4],
      [4, 2],
    ],
  },
  {
    name: "matmul batched+broadcast",
    f: matmul,
    shapes: [
      [2, 1, 3, 4],
      [3, 4, 5],
    ],
  },
  {
    name: "matmul batched × 2d",
    f: matmul,
    shapes: [
      [2, 3, 4],
      [4, 5],
    ],
  },
  { name: "matmul vector", f: matmul, shapes: [[4], [4, 3]] },
  {
    name: "matmulT aᵀ·b (batched)",
    f: (a, b) => matmulT(a, b, true, false),
    shapes: [
      [2, 4, 3],
      [2, 4, 5],
    ],
  },
  {
    name: "matmulT a·bᵀ (2-D b)",
    f: (a, b) => matmulT(a, b, false, true),
    shapes: [
      [2, 3, 4],
      [5, 4],
    ],
  },
  {
    name: "matmulT aᵀ·bᵀ (broadcast)",
    f: (a, b) => matmulT(a, b, true, true),
    shapes: [
      [4, 3],
      [2, 5, 4],
    ],
  },
  { name: "reshape", f: (x) => mul(reshape(x, [4, 3]), reshape(x, [4, 3])), shapes: [[2, 6]] },
  { name: "transpose", f: (x) => mul(transpose(x, [2, 0, 1]), 2), shapes: [[2, 3, 4]] },
  { name: "broadcastTo", f: (x) => mul(broadcastTo(x, [2, 3, 4]), 3), shapes: [[3, 1]] },
  { name: "slice", f: (x) => mul(slice(x, [1, 0], [3, 2]), slice(x, [0, 1], [2, 3])), shapes: [[3, 4]] },
  {
    name: "concat",
    f: (a, b) => mul(concat([a, b, a], 1), 1.5),
    shapes: [
      [2, 3],
      [2, 1],
    ],
  },
  {
    name: "stack",
    f: (a, b) => mul(stack([a, b], -1), stack([b, a], -1)),
    shapes: [
      [2, 3],
      [2, 3],
    ],
  },
  { name: "gather", f: (x) => mul(gather(x, [2, 0, 2, 1], 1), 2), shapes: [[3, 3]] },
  { name: "scatterAdd", f: (x) => mul(scatterAdd(x, [1, 1, 0], 0, 4), 2), shapes: [[3, 2]] },
  // a nonlinear composite so second derivatives of linear ops are exercised too
  {
    name: "composite",
    f: (x, w) => sum(tanh(matmul(x, w)), -1),
    shapes: [
      [5, 3],
      [3, 4],
    ],
  },
];

function sample(shape: number[], dom: Dom, seed: number): Tensor {
  const x = random.normal(random.key(seed), shape);
  // "pos": bounded away from 0 so log/sqrt/div derivatives stay moderate
  return dom === "pos" ? add(abs(x), 0.5) : x;
}

describe("derivatives of every op vs finite differences (order 2, fwd and rev)", () => {
  for (const s of specs) {
    it(s.name, () => {
      const args = s.shapes.map((sh, i) => sample(sh, s.dom?.[i] ?? "real", 100 + i));
      expect(() => checkGrads(s.f, args, { order: s.order ?? 2, rtol: 1e-6, eps: s.eps })).not.toThrow();
    });
  }
});

describe("random broadcasting shapes (first order, fwd and rev)", () => {
  // Shape pairs drawn from a seeded generator: a random base shape, then each operand drops
  // leading dims and/or sets dims to 1 at random, so every broadcasting pattern turns up.
  const u = random.uniform(random.key(77), [400]).toFloat64Array();
  let c = 0;
  const next = () => u[c++ % u.length];
  const pairs: [number[], number[]][] = [];
  for (let t = 0; t < 8; t++) {
    const nd = 1 + Math.floor(next() * 3);
    const base = Array.from({ length: nd }, () => 1 + Math.floor(next() * 3));
    const derive = () => {
      const drop = Math.floor(next() * nd);
      return base.slice(drop).map((d) => (next() < 0.35 ? 1 : d));
    };
    pairs.push([derive(), derive()]);
  }
  const ops: [string, (a: Tensor, b: Tensor) => Tensor, Dom][] = [
    ["add", add, "real"],
    ["mul", mul, "real"],
    ["div", div, "pos"],
    ["pow", pow, "pos"],
    ["matmul-free composite", (a, b) => tanh(mul(add(a, b), b)), "real"],
  ];
  for (const [name, f, dom] of ops) {
    it(`${name} over ${pairs.map(([a, b]) => `[${a}]·[${b}]`).join(" ")}`, () => {
      for (const [sa, sb] of pairs) {
        const args = [sample(sa, dom, 5), sample(sb, dom, 6)];
        expect(() => checkGrads(f, args, { order: 1 })).not.toThrow();
      }
    });
  }
});

describe("jvp and vjp rules are transposes of each other for every op: ⟨u, J v⟩ = ⟨Jᵀ u, v⟩", () => {
  for (const s of specs) {
    it(s.name, () => {
      const args = s.shapes.map((sh, i) => sample(sh, s.dom?.[i] ?? "real", 200 + i));
      const vs = s.shapes.map((sh, i) => random.normal(random.key(300 + i), sh));
      const [y, jv] = jvp((...a: Tensor[]) => s.f(...a), args, vs);
      const uu = random.normal(random.key(400), y.shape);
      const [, pull] = vjp((...a: Tensor[]) => s.f(...a), ...args);
      const gs = pull(uu) as Tensor[];
      const lhs = sum(mul(uu, jv)).item();
      const rhs = gs.reduce((acc, g, i) => acc + sum(mul(g, vs[i])).item(), 0);
      expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(lhs)));
    });
  }
});

describe("checkGrads can fail", () => {
  it("detects a primitive with a wrong derivative rule", () => {
    // square with derivative 3x instead of 2x, in both modes
    const badSquare: Primitive<null> = {
      name: "badSquare",
      impl: ([x]) => mul(x, x),
      jvp: ([x], [t]) => mul(mul(x, 3), t!),
      vjp: (g, [x]) => [mul(mul(x, 3), g)],
    };
    const x = sample([3], "real", 1);
    const f = (z: Tensor) => bind(badSquare, [z], null);
    expect(() => checkGrads(f, [x], { order: 1, modes: ["rev"] })).toThrow(GradCheckError);
    expect(() => checkGrads(f, [x], { order: 1, modes: ["fwd"] })).toThrow(GradCheckError);
  });
});
