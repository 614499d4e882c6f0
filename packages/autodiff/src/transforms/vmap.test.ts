// vmap against explicit loops over the examples: every op family, in and out axes, nesting with
// itself and with grad / jvp / jacobian / hessian in both orders, and the missing-rule error.
import { describe, expect, it } from "vitest";
import * as C from "../complex/index.js";
import { bind, type Primitive } from "../core/bind.js";
import {
  concat,
  conv2d,
  eigh,
  expm,
  eye,
  gather,
  grad,
  hessian,
  inverse,
  jacobian,
  jvp,
  logdet,
  logsumexp,
  MissingBatchRuleError,
  matmul,
  max,
  maximum,
  mT,
  pad,
  qr,
  random,
  reshape,
  slice,
  slogdet,
  softmax,
  solve,
  solveTriangular,
  stack,
  sum,
  svd,
  type Tensor,
  tanh,
  tensor,
  transpose,
  vmap,
  where,
} from "../index.js";
import { MLP } from "../nn/index.js";

const rnd = (seed: number, shape: number[]) => random.normal(random.key(seed), shape);

/** f applied to each example along `axis` of every mapped argument, stacked along axis 0. */
function loop(f: (...xs: Tensor[]) => Tensor, args: Tensor[], axes: (number | null)[]): Tensor {
  const n = args[axes.findIndex((a) => a !== null)].shape[axes.find((a) => a !== null)!];
  const outs: Tensor[] = [];
  for (let i = 0; i < n; i++) {
    outs.push(
      f(
        ...args.map((x, k) => {
          const a = axes[k];
          if (a === null) return x;
          const s = x.shape.map((_d, j) => (j === a ? i : 0));
          const e = x.shape.map((d, j) => (j === a ? i + 1 : d));
          return reshape(
            x.slice(s, e),
            x.shape.filter((_d, j) => j !== a),
          );
        }),
      ),
    );
  }
  return stack(outs, 0);
}

function close(a: Tensor, b: Tensor, tol = 1e-12): void {
  expect(a.shape).toEqual(b.shape);
  const x = a.toFloat64Array();
  const y = b.toFloat64Array();
  let err = 0;
  for (let i = 0; i < x.length; i++) err = Math.max(err, Math.abs(x[i] - y[i]));
  expect(err).toBeLessThan(tol);
}

function check(f: (...xs: Tensor[]) => Tensor, args: Tensor[], axes: (number | null)[], tol = 1e-12) {
  close(vmap(f, axes)(...args), loop(f, args, axes), tol);
}

describe("vmap: ops against loops", () => {
  it("elementwise and broadcasting, mapped axis anywhere, unmapped arguments", () => {
    const f = (x: Tensor, y: Tensor) => tanh(x).mul(y).add(maximum(x, 0.3)).div(y.square().add(1));
    check(f, [rnd(1, [4, 3]), rnd(2, [4, 3])], [0, 0]);
    check(f, [rnd(1, [3, 4]), rnd(2, [4, 3])], [1, 0]);
    check(f, [rnd(1, [4, 3]), rnd(2, [3])], [0, null]);
    check(f, [rnd(1, [3]), rnd(2, [2, 5, 3])], [null, 1]);
    // an example of lower rank than the unmapped operand
    check(f, [rnd(1, [4, 3]), rnd(2, [2, 3])], [0, null]);
    check((c, a) => where(c.greater(0), a, a.neg()), [rnd(3, [5, 2]), rnd(4, [2])], [0, null]);
  });

  it("reductions, softmax, movement and indexing", () => {
    const x = rnd(5, [3, 4, 5]);
    check((a) => sum(a, 1), [x], [0]);
    check((a) => max(a, [0], true), [x], [2]);
    check((a) => logsumexp(a, -1), [x], [1]);
    check((a) => softmax(a, 0), [x], [0]);
    check((a) => transpose(a, [1, 0]), [x], [1]);
    check((a) => reshape(a, [20]), [x], [0]);
    check((a) => slice(a, [1, 0], [3, 2]), [x], [2]);
    check((a) => pad(a, [1, 2], [6, 9]), [x], [0]);
    check((a) => concat([a, a.mul(2)], 1), [x], [0]);
    check((a) => gather(a, [2, 0, 0], 1), [x], [0]);
    check((a) => mT(a).broadcastTo([2, 5, 4]), [x], [0]);
  });

  it("matrix products with mapped operands on either side, vectors included", () => {
    check((a, b) => matmul(a, b), [rnd(6, [4, 2, 3]), rnd(7, [3, 5])], [0, null]);
    check((a, b) => matmul(a, b), [rnd(6, [2, 3]), rnd(7, [4, 3, 5])], [null, 0]);
    check((a, b) => matmul(a, b), [rnd(6, [4, 2, 3]), rnd(7, [3, 4, 5])], [0, 1]);
    check((a, b) => matmul(a, b), [rnd(6, [4, 3]), rnd(7, [3, 5])], [0, null]);
    check((a, b) => matmul(a, b), [rnd(6, [4, 2, 3]), rnd(7, [6, 3, 5])], [0, null]);
  });

  it("linear algebra", () => {
    const A = rnd(8, [3, 4, 4]).add(
      tensor(4).mul(reshape(tensor([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]), [4, 4])),
    );
    const S = matmul(A, mT(A));
    check((a) => logdet(a), [A], [0]);
    check((a) => inverse(a), [A], [0]);
    check((a, b) => solve(a, b), [A, rnd(9, [4, 2])], [0, null]);
    check((a, b) => solve(a, b), [A.slice([0, 0, 0], [1, 4, 4]).reshape([4, 4]), rnd(9, [3, 4])], [null, 0]);
    check((a) => slogdet(a).logabsdet, [A], [0]);
    check((a) => eigh(a).values, [S], [0]);
    check((a) => qr(a).r, [A], [0], 1e-11);
    check((a) => svd(a).s, [A], [0], 1e-11);
    check((a) => expm(a.mul(0.1)), [A], [0]);
    check((a, b) => solveTriangular(a, b, { lower: false }), [A, rnd(10, [3, 4])], [0, 0]);
  });

  it("conv2d with mapped inputs, mapped weights, or both", () => {
    const x = rnd(11, [3, 2, 1, 4, 4]);
    const w = rnd(12, [3, 2, 1, 3, 3]);
    const f = (a: Tensor, b: Tensor) => conv2d(a, b, { mask: "B" });
    check(f, [x, w.slice([0, 0, 0, 0, 0], [1, 2, 1, 3, 3]).reshape([2, 1, 3, 3])], [0, null]);
    check(f, [x.slice([0, 0, 0, 0, 0], [1, 2, 1, 4, 4]).reshape([2, 1, 4, 4]), w], [null, 0]);
    check(f, [x, w], [0, 0]);
    // per-example weight gradients of a conv net (the weight-gradient primitive, mapped)
    const loss = (b: Tensor, a: Tensor) => sum(tanh(conv2d(a, b, { padding: "zeros" })).square());
    check(
      (a, b) => grad(loss)(b, a),
      [x, w.slice([0, 0, 0, 0, 0], [1, 2, 1, 3, 3]).reshape([2, 1, 3, 3])],
      [0, null],
    );
    check((a, b) => grad(loss)(b, a), [x, w], [0, 0]);
  });

  it("complex code through the real and imaginary parts (the complex LU primitives batched)", () => {
    const re = rnd(30, [3, 3, 3]);
    const im = rnd(31, [3, 3, 3]);
    const f = (a: Tensor, b: Tensor) => {
      const z = C.add(C.complex(a, b), C.complex(eye(3).mul(3)));
      const l = C.logdet(z);
      return stack([l.re, l.im, C.abs2(C.inverse(z)).sum()]);
    };
    check(f, [re, im], [0, 0]);
    check((a: Tensor, b: Tensor) => grad((x: Tensor) => f(x, b).sum())(a), [re, im], [0, 0]);
  });

  it("an ensemble: MLP parameters mapped, inputs shared (the fused dense layer)", () => {
    const net = new MLP([3, 8, 1], { key: random.key(0) });
    const keys = random.split(random.key(1), 4);
    const ps = keys.map((k) => new MLP([3, 8, 1], { key: k }).params);
    const stacked = ps[0].map((_l, i) => ({
      w: stack(
        ps.map((p) => p[i].w),
        0,
      ),
      b: stack(
        ps.map((p) => p[i].b),
        0,
      ),
    }));
    const X = rnd(13, [5, 3]);
    const out = vmap((p: (typeof ps)[0]) => net.apply(p, X))(stacked);
    close(out, stack(ps.map((p) => net.apply(p, X))));
    // and the per-example inputs through shared parameters
    check((x) => net.apply(net.params, x), [rnd(14, [4, 5, 3])], [0]);
  });
});

describe("vmap: axes and composition", () => {
  const f = (x: Tensor) => sum(tanh(x).mul(x.square()));

  it("outAxes, negative inAxes, tree arguments, array outputs", () => {
    const x = rnd(15, [3, 4]);
    close(vmap((a: Tensor) => a.mul(2), 0, 1)(x), transpose(x.mul(2)));
    close(vmap((a: Tensor) => a.mul(2), -1, 0)(x), transpose(x.mul(2)));
    const [s, d] = vmap((a: Tensor) => [sum(a), a.mul(3)], 0, [0, 1])(x) as Tensor[];
    close(s, sum(x, 1));
    close(d, transpose(x.mul(3)));
    const t = vmap((p: { a: Tensor; b: Tensor }) => p.a.add(p.b))({ a: x, b: x.mul(2) });
    close(t, x.mul(3));
    // an output that does not depend on the mapped input is broadcast
    close(
      vmap((_a: Tensor) => tensor([1, 2]))(x),
      tensor([
        [1, 2],
        [1, 2],
        [1, 2],
      ]),
    );
    expect(() => vmap((a: Tensor) => a, 0)(tensor(1))).toThrow(/vmap.inAxes/);
    expect(() => vmap((a: Tensor, b: Tensor) => a.add(b))(rnd(1, [3]), rnd(2, [4]))).toThrow(
      /mapped axis of size 3/,
    );
  });

  it("vmap(grad), grad(vmap), per-example Hessians, jacobian both ways", () => {
    const X = rnd(16, [5, 3]);
    close(vmap(grad(f))(X), loop(grad(f), [X], [0]));
    close(grad((x: Tensor) => sum(vmap(f)(x)))(X), loop(grad(f), [X], [0]));
    close(vmap(hessian(f))(X), loop(hessian(f), [X], [0]));
    const g = (x: Tensor) => tanh(matmul(x, rnd(17, [3, 2])));
    close(vmap(jacobian(g, "fwd"))(X), loop(jacobian(g, "rev"), [X], [0]));
    close(vmap(jacobian(g, "rev"))(X), loop(jacobian(g, "rev"), [X], [0]));
    close(jacobian(vmap(g), "fwd")(X), jacobian((x: Tensor) => loop(g, [x], [0]), "rev")(X));
  });

  it("jvp of vmap and vmap of jvp", () => {
    const X = rnd(18, [4, 3]);
    const V = rnd(19, [4, 3]);
    const [y1, t1] = jvp(vmap(f), [X], [V]);
    const [y2, t2] = jvp((x: Tensor) => loop(f, [x], [0]), [X], [V]);
    close(y1, y2);
    close(t1, t2);
    const t3 = vmap((x: Tensor, v: Tensor) => jvp(f, [x], [v])[1])(X, V);
    close(t3, t2);
  });

  it("vmap of vmap: a pairwise kernel matrix, against a double loop", () => {
    const A = rnd(20, [4, 3]);
    const B = rnd(21, [5, 3]);
    const k = (a: Tensor, b: Tensor) => sum(a.sub(b).square()).neg().exp();
    const K = vmap(vmap(k, [null, 0]), [0, null])(A, B);
    const rows = loop((a) => loop((b) => k(a, b), [B], [0]), [A], [0]);
    close(K, rows);
    // and differentiated through both
    const gK = grad((a: Tensor) => sum(vmap(vmap(k, [null, 0]), [0, null])(a, B)))(A);
    close(gK, grad((a: Tensor) => sum(loop((x) => loop((b) => k(x, b), [B], [0]), [a], [0])))(A));
  });

  it("an op without a batching rule: MissingBatchRuleError naming it", () => {
    const P: Primitive<null> = { name: "myOp", impl: ([x]) => x };
    const e = (() => {
      try {
        vmap((x: Tensor) => bind(P, [x], null))(rnd(22, [3, 2]));
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(MissingBatchRuleError);
    expect((e as MissingBatchRuleError).op).toBe("myOp");
    expect((e as Error).message).toMatch(/myOp/);
  });
});
