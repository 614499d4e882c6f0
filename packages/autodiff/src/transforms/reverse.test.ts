// transforms/reverse: vjp, grad and valueAndGrad on functions with closed-form derivatives —
// shared subexpressions, repeated outputs, several tree arguments, float32 seeds — and every
// input check by the field it names.
import { describe, expect, it } from "vitest";
import {
  AutodiffInputError,
  add,
  exp,
  grad,
  mul,
  random,
  relu,
  sin,
  sum,
  type Tensor,
  type Tree,
  tensor,
  valueAndGrad,
  vjp,
} from "../index.js";

const x = tensor([0.3, -1.2, 2.0]);
const xs = [0.3, -1.2, 2.0];

function expectClose(got: Tensor | Tree, want: number[], tol = 1e-14): void {
  const g = Array.from((got as Tensor).toFloat64Array());
  expect(g.length).toBe(want.length);
  g.forEach((v, i) => {
    expect(Math.abs(v - want[i])).toBeLessThan(tol * (1 + Math.abs(want[i])));
  });
}

describe("vjp", () => {
  it("pulls a cotangent back through a shared subexpression: d/dx (s·s + s) with s = sin x", () => {
    const f = (z: Tensor) => {
      const s = sin(z);
      return add(mul(s, s), s);
    };
    const [y, pull] = vjp(f, x);
    expectClose(
      y,
      xs.map((v) => Math.sin(v) ** 2 + Math.sin(v)),
    );
    const u = tensor([1, -2, 0.5]);
    const [g] = pull(u);
    expectClose(
      g,
      xs.map((v, i) => [1, -2, 0.5][i] * (2 * Math.sin(v) + 1) * Math.cos(v)),
    );
    // the pullback can be called again with another cotangent
    expectClose(
      pull(tensor([1, 1, 1]))[0],
      xs.map((v) => (2 * Math.sin(v) + 1) * Math.cos(v)),
    );
  });

  it("the same output twice sums both cotangents; an output not on the tape gets none", () => {
    const [, pull] = vjp((z: Tensor) => {
      const e = exp(z);
      return [e, e, tensor([7])];
    }, x);
    const [g] = pull([tensor([1, 0, 2]), tensor([3, 1, 0]), tensor([5])]);
    expectClose(
      g,
      xs.map((v, i) => [4, 1, 2][i] * Math.exp(v)),
    );
  });

  it("returns one gradient tree per primal, each shaped like its primal", () => {
    const a = { p: tensor([1, 2]), q: [tensor([3]), tensor([4, 5])] };
    const b = tensor([0.5, -1]);
    const [y, pull] = vjp((s: typeof a, t: Tensor) => sum(mul(add(s.p, t), add(s.q[1], s.q[0]))), a, b);
    // y = Σᵢ (pᵢ + tᵢ)(q1ᵢ + q0)
    expect(y.item()).toBeCloseTo((1 + 0.5) * (4 + 3) + (2 - 1) * (5 + 3), 14);
    const [ga, gb] = pull(tensor(2)) as [typeof a, Tensor];
    expectClose(ga.p, [2 * 7, 2 * 8]);
    expectClose(ga.q[0], [2 * (1.5 + 1)]);
    expectClose(ga.q[1], [2 * 1.5, 2 * 1]);
    expectClose(gb, [2 * 7, 2 * 8]);
  });

  it("refuses non-tensor leaves, outputs and cotangents by name", () => {
    expect(() => vjp((p: { w: Tensor }) => p.w, { w: 3 } as unknown as { w: Tensor })).toThrow(
      /^arg0\.w: expected a Tensor/,
    );
    expect(() => vjp((_z: Tensor) => 3 as unknown as Tensor, x)).toThrow(/^vjp output: expected a Tensor/);
    const [, pull] = vjp((z: Tensor) => mul(z, 2), x);
    expect(() => pull(3 as unknown as Tensor)).toThrow(/^cotangent: expected a Tensor/);
    const [, pull2] = vjp(
      (z: Tensor) => mul(z, 2),
      tensor([
        [1, 2],
        [3, 4],
      ]),
    );
    expect(() => pull2(tensor([1, 2]))).toThrow(/^cotangent: expected shape \[2,2\], got \[2\]$/);
  });

  it("refuses cotangents with the wrong number of leaves or the wrong shape", () => {
    const [, pull] = vjp((z: Tensor) => [mul(z, 2), sum(z)], x);
    expect(() => pull([tensor([1, 1, 1])] as never)).toThrow(
      /^cotangent: expected a tree with 2 leaves like the output, got 1$/,
    );
    expect(() => pull([tensor([1, 1]), tensor(1)])).toThrow(/^cotangent: expected shape \[3\], got \[2\]$/);
    expect(() => pull([tensor([1, 1, 1]), tensor([1])])).toThrow(
      /^cotangent: expected shape \[\], got \[1\]$/,
    );
  });
});

describe("grad / valueAndGrad", () => {
  const f = (a: Tensor, b: Tensor, c: Tensor) => sum(mul(mul(a, b), exp(c)));
  const a = tensor([1, 2]);
  const b = tensor([-0.5, 3]);
  const c = tensor([0.1, 0.2]);
  const ec = [Math.exp(0.1), Math.exp(0.2)];

  it("argnums picks the argument; a list gives a list of gradients in that order", () => {
    expectClose(grad(f)(a, b, c), [-0.5 * ec[0], 3 * ec[1]]);
    expectClose(grad(f, 1)(a, b, c), [1 * ec[0], 2 * ec[1]]);
    const [gc, ga] = grad(f, [2, 0])(a, b, c) as Tensor[];
    expectClose(gc, [-0.5 * ec[0], 6 * ec[1]]);
    expectClose(ga, [-0.5 * ec[0], 3 * ec[1]]);
    const [v, [gb]] = valueAndGrad(f, [1])(a, b, c) as [Tensor, Tensor[]];
    expect(v.item()).toBeCloseTo(-0.5 * ec[0] + 6 * ec[1], 14);
    expectClose(gb, [ec[0], 2 * ec[1]]);
  });

  it("a tree argument's gradient keeps the tree; the value is f's", () => {
    const p = { w: tensor([1, 2]), extra: [tensor([3])] };
    const [v, g] = valueAndGrad((q: typeof p) => sum(mul(mul(q.w, q.w), q.extra[0])))(p);
    expect(v.item()).toBe(15);
    expectClose(g.w, [6, 12]);
    expectClose(g.extra[0], [5]);
  });

  it("nested: the value of an inner vjp or valueAndGrad is differentiable by an outer grad", () => {
    const cos = xs.map(Math.cos);
    expectClose(grad((z: Tensor) => sum(vjp(sin, z)[0] as Tensor))(x), cos);
    expectClose(grad((z: Tensor) => valueAndGrad((w: Tensor) => sum(sin(w)))(z)[0])(x), cos);
  });

  it("a float64 output seeds a float64 pass; relu's comparison gets no cotangent", () => {
    const g = grad((z: Tensor) => sum(z))(x);
    expect((g as Tensor).dtype).toBe("float64");
    expectClose(grad((z: Tensor) => sum(relu(z)))(x), [1, 0, 1]);
  });

  it("a float32 scalar output seeds a float32 backward pass", () => {
    const g = grad((z: Tensor) => sum(mul(z, z)))(tensor([1.5, -2], [2], "float32"));
    expect((g as Tensor).dtype).toBe("float32");
    expectClose(g, [3, -4]);
  });

  it("refuses bad argnums and results that are not one number, naming them", () => {
    for (const n of [3, -1, 0.5])
      expect(() => grad(f, n)(a, b, c)).toThrow(
        new RegExp(`^argnums: expected indices in \\[0, 2\\], got ${n}$`),
      );
    expect(() => grad(f, [0, 3])(a, b, c)).toThrow(AutodiffInputError);
    expect(() => grad((p: { w: Tensor }) => sum(p.w))({ w: 3 } as unknown as { w: Tensor })).toThrow(
      /^arg0\.w: expected a Tensor/,
    );
    expect(() => grad((z: Tensor) => mul(z, 2))(x)).toThrow(
      /^grad: f\(\.\.\.\) result: expected a scalar \(size-1\) Tensor, got \[3\]$/,
    );
    expect(() => grad((() => 3) as unknown as (z: Tensor) => Tensor)(x)).toThrow(/got number$/);
    // a size-1 tensor of any rank is a scalar
    expectClose(grad((z: Tensor) => mul(sum(z), tensor([[2]])))(x), [2, 2, 2]);
  });
});

describe("leaked boxes", () => {
  it("an inner gradient's input returned to an outer transform is refused", () => {
    let leaked: Tensor | null = null;
    const outer = (z: Tensor) => {
      grad((w: Tensor) => {
        leaked = w;
        return sum(w);
      })(z);
      return sum(leaked as unknown as Tensor);
    };
    expect(() => grad(outer)(x)).toThrow(
      /^transform output: expected a value that does not leak an inner transform, got a leaked box$/,
    );
  });
});

describe("random sanity of the pullback", () => {
  it("⟨u, J v⟩ = ⟨Jᵀ u, v⟩ for elementwise f = exp(x)·sin(x)", () => {
    const u = random.normal(random.key(1), [3]);
    const [, pull] = vjp((z: Tensor) => mul(exp(z), sin(z)), x);
    const jtU = (pull(u)[0] as Tensor).toFloat64Array();
    const uu = u.toFloat64Array();
    xs.forEach((v, i) => {
      expect(jtU[i]).toBeCloseTo(uu[i] * Math.exp(v) * (Math.sin(v) + Math.cos(v)), 13);
    });
  });
});
