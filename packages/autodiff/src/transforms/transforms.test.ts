// Transforms: gradients over parameter trees, nesting to higher orders, jvp/vjp transposition,
// Hessians with closed forms, per-sample derivatives against per-sample loops.
import { describe, expect, it } from "vitest";
import {
  AutodiffInputError,
  add,
  eye,
  grad,
  hessian,
  jacobian,
  jvp,
  logdet,
  logsumexp,
  matmul,
  mul,
  perSampleHessian,
  perSampleJacobian,
  random,
  reshape,
  sin,
  softmax,
  sum,
  type Tensor,
  type Tree,
  tanh,
  tensor,
  treeLeaves,
  valueAndGrad,
  vjp,
} from "../index.js";
import { MLP } from "../nn/index.js";

const rand = (shape: number[], seed: number) => random.normal(random.key(seed), shape);
const close = (a: Tensor, b: Tensor | number[] | number[][] | number, tol = 1e-8) => {
  const x = a.toFloat64Array();
  const y =
    typeof b === "number"
      ? [b]
      : Array.isArray(b)
        ? (b as number[][]).flat()
        : Array.from(b.toFloat64Array());
  expect(x.length).toBe(y.length);
  const scale = Math.max(1, ...y.map(Math.abs));
  x.forEach((v, i) => {
    expect(Math.abs(v - (y[i] as number))).toBeLessThan(tol * scale);
  });
};

/** Central differences of a scalar function, entry by entry (4th order). */
function fdGrad(f: (x: Tensor) => number, x: Tensor, h = 1e-3): Float64Array {
  const d = x.toFloat64Array();
  const g = new Float64Array(d.length);
  for (let i = 0; i < d.length; i++) {
    const at = (s: number) => {
      const c = Float64Array.from(d);
      c[i] += s * h;
      return f(tensor(c, x.shape));
    };
    g[i] = (8 * (at(1) - at(-1)) - (at(2) - at(-2))) / (12 * h);
  }
  return g;
}

describe("valueAndGrad / grad", () => {
  it("differentiates nested parameter trees and keeps their structure", () => {
    const params = { layer: [{ w: rand([3, 2], 1), b: rand([2], 2) }], scale: rand([], 3) };
    const x = rand([4, 3], 4);
    const loss = (p: typeof params, xs: Tensor) =>
      mul(p.scale, sum(tanh(add(matmul(xs, p.layer[0].w), p.layer[0].b))));
    const [v, g] = valueAndGrad(loss)(params, x);
    expect(v.item()).toBeCloseTo(loss(params, x).item(), 14);
    expect(g.layer[0].w.shape).toEqual([3, 2]);
    const fdw = fdGrad(
      (w) => loss({ ...params, layer: [{ ...params.layer[0], w }] }, x).item(),
      params.layer[0].w,
    );
    close(g.layer[0].w, Array.from(fdw));
    const fds = fdGrad((s) => loss({ ...params, scale: s }, x).item(), params.scale);
    close(g.scale, Array.from(fds));
  });

  it("argnums lists give one gradient tree per argument", () => {
    const f = (a: Tensor, b: Tensor, c: Tensor) => sum(mul(mul(a, b), c));
    const a = rand([3], 1);
    const b = rand([3], 2);
    const c = rand([3], 3);
    const [ga, gc] = grad(f, [0, 2])(a, b, c) as Tensor[];
    close(ga, mul(b, c));
    close(gc, mul(a, b));
  });

  it("accepts interfaces, readonly arrays and optional (undefined) fields as trees", () => {
    interface Layer {
      w: Tensor;
      b?: Tensor;
    }
    const layers: readonly Layer[] = [{ w: rand([2, 2], 1), b: undefined }];
    const g = grad((p: readonly Layer[]) => sum(mul(p[0].w, p[0].w)))(layers);
    close(g[0].w, mul(layers[0].w, 2));
    expect("b" in g[0]).toBe(false);
  });

  it("Float32 inputs give Float32 gradients and Hessians close to the Float64 ones", () => {
    const f = (z: Tensor) => sum(mul(tanh(z), z));
    const x64 = tensor([0.1, -0.7, 1.3]);
    const x32 = tensor([0.1, -0.7, 1.3], [3], "float32");
    const g32 = grad(f)(x32);
    expect(g32.dtype).toBe("float32");
    close(g32, grad(f)(x64), 1e-6);
    const h32 = hessian(f)(x32);
    expect(h32.dtype).toBe("float32");
    close(h32, hessian(f)(x64), 1e-6);
  });

  it("a non-scalar output is a typed error", () => {
    expect(() => grad((x: Tensor) => mul(x, 2))(rand([3], 1))).toThrow(AutodiffInputError);
  });

  it("inputs that do not affect the output get zero gradients", () => {
    const g = grad((_x: Tensor, y: Tensor) => sum(y), 0)(rand([2], 1), rand([2], 2));
    close(g, [0, 0]);
  });
});

describe("higher order", () => {
  it("grad of grad of grad of x·sin(x) matches the closed form", () => {
    const f = (x: Tensor) => sum(mul(x, sin(x)));
    const d1 = grad(f);
    const d2 = grad((x: Tensor) => sum(d1(x)));
    const d3 = grad((x: Tensor) => sum(d2(x)));
    const x = tensor([0.3, -1.2, 2.0]);
    const xs = x.toFloat64Array();
    close(
      d1(x),
      Array.from(xs, (v) => Math.sin(v) + v * Math.cos(v)),
      1e-13,
    );
    close(
      d2(x),
      Array.from(xs, (v) => 2 * Math.cos(v) - v * Math.sin(v)),
      1e-13,
    );
    close(
      d3(x),
      Array.from(xs, (v) => -3 * Math.sin(v) - v * Math.cos(v)),
      1e-13,
    );
  });

  it("jvp of grad, grad of jvp and jvp of jvp agree on x³", () => {
    const f = (x: Tensor) => sum(mul(mul(x, x), x));
    const x = tensor([1.5, -0.5]);
    const v = tensor([1, 2]);
    const hv = jvp((z) => grad(f)(z as Tensor), [x], [v])[1] as Tensor; // 6x·v
    close(hv, [9, -6], 1e-13);
    const gj = grad((z: Tensor) => jvp((w) => f(w as Tensor), [z], [v])[1] as Tensor)(x); // ∇(3x²·v) = 6x·v
    close(gj, [9, -6], 1e-13);
    const jj = jvp((z) => jvp((w) => f(w as Tensor), [z as Tensor], [v])[1], [x], [v])[1] as Tensor; // Σ 6x v²
    close(jj, 6 * 1.5 * 1 + 6 * -0.5 * 4, 1e-13);
  });

  it("no perturbation confusion: d/dx [x · d/dy (x + y)] = 1", () => {
    const outer = grad((x: Tensor) => mul(x, grad((y: Tensor) => add(x, y).sum())(tensor(1))).sum());
    close(outer(tensor(2)), 1, 1e-15);
  });
});

describe("jvp and vjp are transposes: ⟨u, J v⟩ = ⟨Jᵀ u, v⟩", () => {
  const fns: [string, (x: Tensor) => Tensor, number[]][] = [
    ["softmax∘tanh", (x) => softmax(tanh(x), 0), [5, 3]],
    [
      "logdet of a Gram matrix",
      (x) => logdet(add(matmul(x, reshape(x, [3, 4]).transpose()), eye(3))),
      [3, 4],
    ],
    ["matmul chain", (x) => matmul(matmul(x, x.transpose()), x), [4, 2]],
  ];
  for (const [name, f, shape] of fns) {
    it(name, () => {
      const x = rand(shape, 11);
      const v = rand(shape, 12);
      const [y, jv] = jvp((z) => f(z as Tensor), [x], [v]);
      const u = rand([...(y as Tensor).shape], 13);
      const [, pull] = vjp(f, x);
      const jtu = pull(u)[0] as Tensor;
      const lhs = sum(mul(u, jv as Tensor)).item();
      const rhs = sum(mul(jtu, v)).item();
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-12 * Math.max(1, Math.abs(lhs)));
    });
  }
});

describe("Hessians with closed forms", () => {
  it("log det(A + x xᵀ): H = 2[A'⁻¹/(1) ...] via the matrix determinant lemma", () => {
    // log det(A + xxᵀ) = log det A + log(1 + xᵀA⁻¹x) =: log det A + log(1 + q)
    // ∇ = 2A⁻¹x/(1+q);  H = 2A⁻¹/(1+q) − 4 (A⁻¹x)(A⁻¹x)ᵀ/(1+q)²   (A symmetric)
    const n = 4;
    const R = rand([n, n], 21);
    const A = add(matmul(R, R.transpose()), eye(n));
    const x = rand([n], 22);
    const f = (z: Tensor) => logdet(add(A, matmul(reshape(z, [n, 1]), reshape(z, [1, n]))));
    const H = hessian(f)(x);
    const Ai = A.inverse();
    const Aix = matmul(Ai, x);
    const q = sum(mul(x, Aix)).item();
    const a = Ai.toArray() as number[][];
    const y = Aix.toFloat64Array();
    const ref = a.map((row, i) => row.map((v, j) => (2 * v) / (1 + q) - (4 * y[i] * y[j]) / (1 + q) ** 2));
    close(H, ref, 1e-10);
    close(jacobian(grad(f), "rev")(x), ref, 1e-10);
  });

  it("logsumexp: H = diag(p) − ppᵀ", () => {
    const x = rand([5], 23);
    const H = hessian((z) => logsumexp(z))(x);
    const p = softmax(x).toFloat64Array();
    close(
      H,
      Array.from(p, (pi, i) => Array.from(p, (pj, j) => (i === j ? pi : 0) - pi * pj)),
      1e-13,
    );
  });

  it("MLP with tanh: Hessian w.r.t. inputs equals finite differences of its gradient", () => {
    const net = new MLP([3, 8, 8, 1], { key: random.key(5) });
    const f = (z: Tensor) => sum(net.apply(net.params, reshape(z, [1, 3])));
    const x = rand([3], 24);
    const H = hessian(f)(x);
    const g = grad(f);
    const rows = [0, 1, 2].map((j) => Array.from(fdGrad((z) => g(z).toFloat64Array()[j], x)));
    close(H, rows, 1e-9);
    // symmetric
    const h = H.toArray() as number[][];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(h[i][j]).toBeCloseTo(h[j][i], 13);
  });

  it("jacobian fwd and rev agree", () => {
    const f = (x: Tensor) => tanh(matmul(reshape(x, [2, 3]), reshape(x, [3, 2])));
    const x = rand([6], 25);
    close(jacobian(f, "fwd")(x), jacobian(f, "rev")(x), 1e-13);
  });
});

describe("per-sample derivatives", () => {
  const net = new MLP([4, 16, 16, 1], { key: random.key(9) });
  const f = (x: Tensor) => reshape(net.apply(net.params, x), [x.shape[0]]);
  const X = rand([6, 4], 26);

  it("perSampleHessian equals the Hessian of each sample separately", () => {
    const H = perSampleHessian(f)(X);
    expect(H.shape).toEqual([6, 4, 4]);
    const Hs = H.toArray() as number[][][];
    const rows = X.toArray() as number[][];
    rows.forEach((row, b) => {
      const hb = hessian((z: Tensor) => sum(f(reshape(z, [1, 4]))))(tensor(row));
      close(hb, Hs[b], 1e-12);
    });
  });

  it("perSampleJacobian equals per-sample reverse Jacobians", () => {
    const g = (x: Tensor) => tanh(matmul(x, rand([4, 3], 27)));
    const J = perSampleJacobian(g)(X);
    expect(J.shape).toEqual([6, 3, 4]);
    const Js = J.toArray() as number[][][];
    (X.toArray() as number[][]).forEach((row, b) => {
      close(jacobian((z) => reshape(g(reshape(z, [1, 4])), [3]), "rev")(tensor(row)), Js[b], 1e-13);
    });
  });

  it("the weight gradient of mean log det of per-sample Hessians matches finite differences", () => {
    // the Calabi–Yau shaped workload at toy size: ∂/∂W mean_b log|det H_b(W)|
    const small = new MLP([2, 5, 1], { key: random.key(3), activation: "tanh" });
    const Xs = rand([3, 2], 28);
    const loss = (params: Tree) => {
      const fx = (x: Tensor) => reshape(small.apply(params as typeof small.params, x), [x.shape[0]]);
      // + I keeps the matrices well conditioned, so finite differences stay accurate
      return logdet(add(perSampleHessian(fx)(Xs), eye(2))).mean();
    };
    const g = grad(loss)(small.params) as Tree;
    const w0 = small.params[0].w;
    const fd = fdGrad((w) => loss([{ ...small.params[0], w }, small.params[1]]).item(), w0);
    close(treeLeaves(g)[0], Array.from(fd), 1e-8);
  });
});
