// Forward values of the elementwise ops and reductions against plain JavaScript arithmetic (the
// gradient table checks derivatives, which a wrong value with a consistent rule would pass), the
// dtype of each result, the field each names in an input error, the registry's names, and the
// batching rules under vmap against a loop over the batch.

import { refusal } from "@physml/lattice-core/testing";
import { describe, expect, it } from "vitest";
import { values } from "../../test/values.js";
import { primitives } from "../core/registry.js";
import { AutodiffInputError } from "../errors.js";
import {
  abs,
  acos,
  add,
  asin,
  asinh,
  atan,
  atanh,
  clip,
  cos,
  cosh,
  div,
  equal,
  exp,
  expm1,
  fma2,
  gelu,
  grad,
  greater,
  greaterEqual,
  jvp,
  less,
  log,
  log1p,
  logSoftmax,
  logsumexp,
  max,
  maximum,
  mean,
  min,
  minimum,
  mul,
  neg,
  pow,
  reciprocal,
  round,
  sigmoid,
  sign,
  sin,
  sinh,
  softmax,
  softplus,
  sqrt,
  square,
  sub,
  sum,
  Tensor,
  tan,
  tanh,
  tanhGrad,
  tensor,
  vmap,
  where,
} from "../index.js";

/** |a − b| within `rel` of |b| (and of 1 near zero), entry by entry. */
function expectClose(got: number[], want: number[], rel = 1e-14): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    expect(Math.abs(g - want[i])).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(want[i])));
  });
}

/** erf by its Taylor series, 2/√π Σ (−1)ⁿ z^{2n+1} / (n!(2n+1)), accurate to ~1e-12 for |z| < 3. */
function erf(z: number): number {
  let term = z;
  let s = z;
  for (let n = 1; n < 120; n++) {
    term *= (-z * z) / n;
    s += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * s;
}

describe("pow", () => {
  const xs = [0.3, 1.7, 2.5, 4];
  it("tensor^number equals Math.pow for every exponent, the exact fast paths (1, 2, ½, −1) included", () => {
    for (const b of [1, 2, 0.5, -1, 3.5, 0, -2])
      expectClose(
        values(pow(tensor(xs), b)),
        xs.map((x) => x ** b),
      );
  });
  it("number^number is a tensor too, fast paths included", () => {
    for (const b of [1, 2, 0.5, -1, 3]) {
      const r = pow(3, b);
      expect(r).toBeInstanceOf(Tensor);
      expectClose(values(r), [3 ** b]);
    }
  });
  it("number^tensor and tensor^tensor", () => {
    expectClose(
      values(pow(2, tensor(xs))),
      xs.map((x) => 2 ** x),
    );
    expectClose(
      values(pow(tensor(xs), tensor(xs))),
      xs.map((x) => x ** x),
    );
  });
  it("d/dx Σ x^b = b·x^(b−1) for the fast-path exponents and a general one", () => {
    for (const b of [1, 2, 0.5, -1, 3.5]) {
      const g = grad((x: Tensor) => sum(pow(x, b)))(tensor(xs));
      expectClose(
        values(g),
        xs.map((x) => b * x ** (b - 1)),
        1e-13,
      );
    }
  });
});

describe("elementwise values", () => {
  const xs = [-2, -0.5, 0, 0.5, 2];
  it("comparisons give 1 or 0", () => {
    const x = tensor(xs);
    expect(values(greater(x, 0))).toEqual([0, 0, 0, 1, 1]);
    expect(values(greaterEqual(x, 0))).toEqual([0, 0, 1, 1, 1]);
    expect(values(less(x, 0))).toEqual([1, 1, 0, 0, 0]);
    expect(values(equal(x, 0))).toEqual([0, 0, 1, 0, 0]);
    expect(values(maximum(x, 0.25))).toEqual(xs.map((v) => Math.max(v, 0.25)));
    expect(values(minimum(x, 0.25))).toEqual(xs.map((v) => Math.min(v, 0.25)));
  });

  it("square, reciprocal and clip", () => {
    const x = tensor(xs);
    expect(values(square(x))).toEqual(xs.map((v) => v * v));
    expect(values(reciprocal(x))).toEqual(xs.map((v) => 1 / v));
    expect(values(clip(x, -1, 0.25))).toEqual([-1, -0.5, 0, 0.25, 0.25]);
  });

  it("where selects with broadcasting over condition, a and b", () => {
    const w = where(tensor([[1], [0]]), tensor([1, 2, 3]), 5);
    expect(w.toArray()).toEqual([
      [1, 2, 3],
      [5, 5, 5],
    ]);
  });

  it("where's forward derivative flows through the branch taken, also when only one branch is traced", () => {
    const c = tensor([1, 0, 1]);
    const b = tensor([4, 5, 6]);
    const t = tensor([0.5, 2, -1]);
    const [, onlyB] = jvp((v: Tensor) => where(c, 7, v), [b], [t]);
    expect(values(onlyB as Tensor)).toEqual([0, 2, 0]);
    const [, onlyA] = jvp((v: Tensor) => where(c, v, 7), [b], [t]);
    expect(values(onlyA as Tensor)).toEqual([0.5, 0, -1]);
  });

  it("the fused fma2 = a·b + c·d and tanhGrad = g·(1 − y²) with broadcasting", () => {
    const a = tensor([[1, 2, 3]]);
    const c = tensor([[0.5], [-1]]);
    expect(fma2(a, 2, c, a).toArray()).toEqual([
      [2.5, 5, 7.5],
      [1, 2, 3],
    ]);
    const y = tensor([0.5, -0.25]);
    expect(values(tanhGrad(y, tensor([[2], [4]])))).toEqual([1.5, 1.875, 3, 3.75]);
  });

  it("gelu is the tanh approximation of x·Φ(x): within 5e-4 of the exact form (its largest gap, at |x| ≈ 2.7)", () => {
    const xs2 = Array.from({ length: 81 }, (_, i) => -4 + i / 10);
    const got = values(gelu(tensor(xs2)));
    xs2.forEach((x, i) => {
      expect(Math.abs(got[i] - 0.5 * x * (1 + erf(x / Math.SQRT2)))).toBeLessThan(5e-4);
    });
  });
});

describe("result dtype", () => {
  const f32 = tensor([1, 2], undefined, "float32");
  const f64 = tensor([1, 2]);
  const cond = tensor([1, 0]);
  it("float32 only when every tensor operand is float32 (numbers take the tensors' dtype)", () => {
    expect(add(f32, f32).dtype).toBe("float32");
    expect(add(f32, 2).dtype).toBe("float32");
    expect(add(f32, f64).dtype).toBe("float64");
    expect(add(f64, f32).dtype).toBe("float64");
    expect(where(cond, f32, f32).dtype).toBe("float32");
    expect(where(cond, f32, 0).dtype).toBe("float32");
    expect(where(cond, f32, f64).dtype).toBe("float64");
    expect(where(cond, f64, f32).dtype).toBe("float64");
    expect(fma2(f32, f32, f32, f32).dtype).toBe("float32");
    expect(fma2(f32, f32, f32, f64).dtype).toBe("float64");
    expect(fma2(f32, 2, f32, f32).dtype).toBe("float32");
    expect(tanhGrad(f32, 2).dtype).toBe("float32");
    expect(tanhGrad(f32, f32).dtype).toBe("float32");
    expect(tanhGrad(f32, f64).dtype).toBe("float64");
  });
});

describe("input errors name the op and the argument", () => {
  const unary: [string, (x: never) => Tensor][] = Object.entries({
    neg,
    exp,
    log,
    sqrt,
    sin,
    cos,
    tanh,
    sigmoid,
    softplus,
    abs,
    sign,
    log1p,
    expm1,
    tan,
    atan,
    asin,
    acos,
    sinh,
    cosh,
    asinh,
    atanh,
    round,
  });
  it.each(unary)("%s.x", (name, f) => {
    expect(refusal(() => f("x" as never), AutodiffInputError).field).toBe(`${name}.x`);
  });

  const fieldOf = (f: () => unknown): string => refusal(f, AutodiffInputError).field;
  const bad = "x" as never;
  const t = tensor([1]);
  it("binary, where, fma2 and tanhGrad arguments", () => {
    expect(fieldOf(() => add(bad, t))).toBe("add.a");
    expect(fieldOf(() => pow(t, bad))).toBe("pow.b");
    expect(fieldOf(() => where(bad, t, t))).toBe("where.cond");
    expect(fieldOf(() => where(t, bad, t))).toBe("where.a");
    expect(fieldOf(() => where(t, t, bad))).toBe("where.b");
    expect(fieldOf(() => fma2(t, t, bad, t))).toBe("fma2.c");
    expect(fieldOf(() => tanhGrad(bad, t))).toBe("tanhGrad.y");
    expect(fieldOf(() => tanhGrad(t, bad))).toBe("tanhGrad.g");
  });
  it("shape and axis errors", () => {
    expect(fieldOf(() => where(tensor([1, 0]), tensor([1, 2, 3]), 0))).toBe("where");
    expect(fieldOf(() => where(tensor([1, 0]), tensor([1, 2]), tensor([1, 2, 3])))).toBe("where");
    expect(fieldOf(() => sum(tensor([[1, 2]]), 2))).toBe("sum.axes");
    const x = tensor([[1, 2]]);
    expect(fieldOf(() => max(x, 2))).toBe("max.axes");
    expect(fieldOf(() => mean(x, 2))).toBe("mean.axes");
    expect(fieldOf(() => logsumexp(x, 2))).toBe("logsumexp.axes");
    expect(fieldOf(() => logSoftmax(x, 2))).toBe("logSoftmax.axis");
  });
});

describe("reductions", () => {
  // x[i][j][k] = (i·12 + j·4 + k)² / 7: distinct entries, no ties
  const data = Array.from({ length: 24 }, (_, n) => (n * n) / 7);
  const x = tensor(data, [2, 3, 4]);
  const at = (i: number, j: number, k: number) => data[i * 12 + j * 4 + k];

  it("mean over axes is the sum over them divided by their size", () => {
    const m = mean(x, [0, 2]);
    expect([...m.shape]).toEqual([3]);
    const want = [0, 1, 2].map((j) => {
      let s = 0;
      for (let i = 0; i < 2; i++) for (let k = 0; k < 4; k++) s += at(i, j, k);
      return s / 8;
    });
    expectClose(values(m), want);
    expect([...mean(x, 1, true).shape]).toEqual([2, 1, 4]);
  });

  it("max and min: values, default shapes (keepdims false), and every axis by default", () => {
    const m = max(x, 1);
    expect([...m.shape]).toEqual([2, 4]);
    const ik = [0, 1].flatMap((i) => [0, 1, 2, 3].map((k) => [i, k]));
    // the entries grow with their flat index, so the largest over j is at j = 2, the smallest at 0
    expect(values(m)).toEqual(ik.map(([i, k]) => at(i, 2, k)));
    expect(values(min(x, 1))).toEqual(ik.map(([i, k]) => at(i, 0, k)));
    expect([...min(x, 1).shape]).toEqual([2, 4]);
    expect([...max(x).shape]).toEqual([]);
    expect(values(max(x))).toEqual([at(1, 2, 3)]);
  });

  it("logsumexp equals log Σ exp, in the reduced shape unless keepdims", () => {
    const l = logsumexp(x, [0, 2]);
    expect([...l.shape]).toEqual([3]);
    const direct = log(sum(exp(x), [0, 2]));
    expectClose(values(l), values(direct), 1e-13);
    expect([...logsumexp(x, [0, 2], true).shape]).toEqual([1, 3, 1]);
  });

  it("softmax and logSoftmax normalise along the last axis by default", () => {
    const y = tensor(
      data.map((v) => Math.sin(v)),
      [2, 3, 4],
    );
    const s = softmax(y);
    expect(values(s)).toEqual(values(softmax(y, 2)));
    expect(values(logSoftmax(y))).toEqual(values(logSoftmax(y, 2)));
    const rows = values(sum(s, 2));
    expectClose(rows, new Array(6).fill(1), 1e-15);
    // logSoftmax − logSoftmax at entry 0 is y − y at entry 0 (the normaliser cancels)
    const ls = values(logSoftmax(y));
    const yv = values(y);
    for (let r = 0; r < 6; r++)
      for (let k = 1; k < 4; k++)
        expect(Math.abs(ls[r * 4 + k] - ls[r * 4] - (yv[r * 4 + k] - yv[r * 4]))).toBeLessThan(1e-14);
  });
});

describe("the registry names each primitive after its op", () => {
  it("the primitive registered as sum sums, as max maximises, as where selects, as fma2 and tanhGrad fuse", () => {
    const reg = primitives();
    const x = tensor([
      [1, 5],
      [3, 2],
    ]);
    const call = (name: string, xs: Tensor[], p: unknown) =>
      values((reg.get(name) as unknown as { impl: (xs: Tensor[], p: unknown) => Tensor }).impl(xs, p));
    expect(call("sum", [x], { axes: [0], keepdims: false })).toEqual([4, 7]);
    expect(call("max", [x], { axes: [1], keepdims: false })).toEqual([5, 3]);
    expect(call("where", [tensor([1, 0]), tensor([1, 2]), tensor([3, 4])], null)).toEqual([1, 4]);
    expect(call("fma2", [x, x, x, tensor(2)], null)).toEqual([3, 35, 15, 8]);
    expect(call("tanhGrad", [tensor([0.5]), tensor([2])], null)).toEqual([1.5]);
    expect(call("neg", [x], null)).toEqual([-1, -5, -3, -2]);
    expect(call("exp", [tensor([0])], null)).toEqual([1]);
  });
});

describe("batching rules: vmap equals a loop over the batch", () => {
  const X = tensor(
    Array.from({ length: 24 }, (_, n) => Math.sin(n * 1.3)),
    [3, 2, 4],
  );
  const rows = (t: Tensor) => [0, 1, 2].map((b) => tensor(values(t).slice(b * 8, b * 8 + 8), [2, 4]));
  const fs: [string, (x: Tensor) => Tensor][] = [
    ["max over an axis", (x) => max(x, 1)],
    ["min over an axis", (x) => min(x, 0)],
    ["where", (x) => where(greater(x, 0), x, mul(x, -2))],
    ["greaterEqual", (x) => greaterEqual(x, 0.1)],
    ["fma2", (x) => fma2(x, 2, x, x)],
    ["tanhGrad", (x) => tanhGrad(x, sub(1, x))],
    ["div and neg", (x) => div(neg(x), add(2, x))],
  ];
  it.each(fs)("%s", (_name, f) => {
    const batched = vmap(f)(X);
    expect(values(batched)).toEqual(rows(X).flatMap((r) => values(f(r))));
  });
});
