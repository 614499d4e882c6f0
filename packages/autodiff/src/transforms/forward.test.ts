// transforms/forward: jvp, batched jvp, Jacobians in both modes, Hessians and per-sample
// derivatives against closed forms of small functions, and every input check by field.
import { describe, expect, it } from "vitest";
import {
  concat,
  exp,
  greater,
  hessian,
  jacobian,
  jvp,
  jvpBatched,
  mul,
  perSampleHessian,
  perSampleJacobian,
  sin,
  sum,
  type Tensor,
  tensor,
} from "../index.js";

function expectClose(got: Tensor, want: number[] | number[][] | number[][][], tol = 1e-14): void {
  const w = (want as number[]).flat(3) as number[];
  const g = Array.from(got.toFloat64Array());
  expect(g.length).toBe(w.length);
  g.forEach((v, i) => {
    expect(Math.abs(v - w[i])).toBeLessThan(tol * (1 + Math.abs(w[i])));
  });
}

// f(x) = [x0·x1, sin x2] has J = [[x1, x0, 0], [0, 0, cos x2]].
const f = (z: Tensor) => {
  const [a, b, c] = [z.slice([0], [1]), z.slice([1], [2]), z.slice([2], [3])];
  return mul(tensor([1, 0]), mul(a, b)).add(mul(tensor([0, 1]), sin(c)));
};
const x = tensor([0.5, -2, 1.1]);
const J = [
  [-2, 0.5, 0],
  [0, 0, Math.cos(1.1)],
];

describe("jvp", () => {
  it("returns f(x) and J·v", () => {
    const [y, t] = jvp(f, [x], [tensor([1, 2, 3])]);
    expectClose(y, [0.5 * -2, Math.sin(1.1)]);
    expectClose(t, [-2 + 1, 3 * Math.cos(1.1)]);
  });

  it("an output that does not depend on the inputs has a zero tangent of its shape (batch first)", () => {
    const [y, t] = jvp((_z: Tensor) => tensor([[1, 2]]), [x], [x]);
    expectClose(y, [[1, 2]]);
    expect(t.shape).toEqual([1, 2]);
    expectClose(t, [[0, 0]]);
    const [, tb] = jvpBatched(
      (z: Tensor) => [sum(z), tensor([4, 5])],
      [x],
      [
        tensor([
          [1, 0, 0],
          [0, 1, 1],
        ]),
      ],
      1,
    );
    expect(tb[1].shape).toEqual([2, 2]);
    expectClose(tb[0], [1, 2]);
    expectClose(tb[1], [
      [0, 0],
      [0, 0],
    ]);
  });

  it("outputs off the trace get zero tangents: constants, comparisons, an outer jvp's values", () => {
    const [y0, t0] = jvp(() => tensor([1, 2]), [], []);
    expect(y0.toArray()).toEqual([1, 2]);
    expect(t0.toArray()).toEqual([0, 0]);
    const [, tg] = jvp((z: Tensor) => greater(z, 0), [x], [x]);
    expect(tg.toArray()).toEqual([0, 0, 0]);
    // the inner function ignores its own input: its tangent is 0, not the outer tangent of 2a
    const [inner, outer] = jvp(
      (a: Tensor) => jvp((_b: Tensor) => mul(a, 2), [tensor([1])], [tensor([1])])[1],
      [tensor([3])],
      [tensor([1])],
    );
    expect(inner.toArray()).toEqual([0]);
    expect(outer.toArray()).toEqual([0]);
  });

  it("batched tangents: one pass gives J·vₖ for every k, across tree leaves", () => {
    const g = (p: { a: Tensor; b: Tensor }) => sum(mul(p.a, exp(p.b)));
    const p = { a: tensor([1, 2]), b: tensor([0.3, -0.4]) };
    const ts = {
      a: tensor([
        [1, 0],
        [0, 1],
        [0, 0],
      ]),
      b: tensor([
        [0, 0],
        [0, 0],
        [1, 1],
      ]),
    };
    const [, t] = jvpBatched(g, [p], [ts], 1);
    expectClose(t, [Math.exp(0.3), Math.exp(-0.4), Math.exp(0.3) + 2 * Math.exp(-0.4)]);
  });

  it("refuses tangents that do not match the primals, naming them", () => {
    expect(() => jvp(f, [x], [] as unknown as [Tensor])).toThrow(
      /^jvp\.tangents: expected 1 tangents \(one per primal\), got 0$/,
    );
    expect(() => jvp((p: Tensor[]) => p[0], [[x, x]], [[x]])).toThrow(
      /^tangents\[0\]: expected 2 leaves like the primal, got 1$/,
    );
    expect(() => jvp(f, [x], [tensor([1, 2])])).toThrow(/^tangents\[0\]: expected shape \[3\], got \[2\]$/);
    const two = [tensor([1, 2]), tensor([3])];
    expect(() =>
      jvpBatched((p: Tensor[]) => p[0], [two], [[tensor([[1, 2]]), tensor([[1], [2]])]], 1),
    ).toThrow(/^tangents\[0\]: expected shape \[1,1\], got \[2,1\]$/);
    expect(() => jvpBatched((a: Tensor) => a, [x], [tensor([[1, 2, 3]])], 0)).toThrow(/tangents\[0\]/);
    expect(() => jvp((p: Tensor[]) => p[0], [[x, 3 as unknown as Tensor]], [[x, x]])).toThrow(
      /^primals\[0\]\[1\]: expected a Tensor, an array or a plain object of tensors/,
    );
    expect(() => jvp((p: Tensor) => p, [x], [3 as unknown as Tensor])).toThrow(
      /^tangents\[0\]: expected a Tensor, an array or a plain object of tensors/,
    );
  });
});

describe("jacobian and hessian", () => {
  it("both modes give J with shape [...out, ...in]", () => {
    expectClose(jacobian(f)(x), J);
    expectClose(jacobian(f, "fwd")(x), J);
    expect(jacobian(f, "rev")(x).shape).toEqual([2, 3]);
    expect(jacobian(f, "fwd")(x).shape).toEqual([2, 3]);
  });

  it("matrix in, matrix out: J[i][j][k][l] = ∂(X²)ᵢⱼ/∂Xₖₗ in both modes", () => {
    const X = tensor([
      [1, 2],
      [3, 4],
    ]);
    const sq = (z: Tensor) => z.matmul(z);
    const Xa = X.toArray() as number[][];
    const want: number[] = [];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++)
        for (let k = 0; k < 2; k++)
          for (let l = 0; l < 2; l++) want.push((i === k ? Xa[l][j] : 0) + (j === l ? Xa[i][k] : 0));
    for (const mode of ["rev", "fwd"] as const) {
      const Jm = jacobian(sq, mode)(X);
      expect(Jm.shape).toEqual([2, 2, 2, 2]);
      expectClose(Jm, want);
    }
  });

  it('"fwd" runs f once at a forward trace, "rev" once at a reverse trace', () => {
    const kinds: string[] = [];
    const spy = (z: Tensor) => {
      kinds.push((z as unknown as { _trace: { kind: string } })._trace.kind);
      return f(z);
    };
    expectClose(jacobian(spy, "fwd")(x), J);
    expectClose(jacobian(spy, "rev")(x), J);
    expectClose(jacobian(spy)(x), J);
    expect(kinds).toEqual(["fwd", "rev", "rev"]);
  });

  it("a scalar output gives the gradient; an empty output an empty Jacobian", () => {
    expectClose(jacobian((z: Tensor) => sum(mul(z, z)))(x), [1, -4, 2.2]);
    const empty = jacobian((z: Tensor) => z.slice([0], [0]))(x);
    expect(empty.shape).toEqual([0, 3]);
  });

  it("hessian of Σ x0·x1·e^{x2}", () => {
    const h = hessian((z: Tensor) =>
      sum(mul(z.slice([0], [1]), mul(z.slice([1], [2]), exp(z.slice([2], [3]))))),
    );
    const e = Math.exp(1.1);
    expectClose(h(x), [
      [0, e, -2 * e],
      [e, 0, 0.5 * e],
      [-2 * e, 0.5 * e, 0.5 * -2 * e],
    ]);
  });

  it("refuses an unknown mode and a non-tensor input", () => {
    expect(() => jacobian(f, "both" as "rev")).toThrow(/^jacobian\.mode: expected "rev" or "fwd", got both$/);
    expect(() => jacobian(f)([1, 2] as unknown as Tensor)).toThrow(
      /^jacobian\.x: expected a Tensor, got object$/,
    );
  });
});

describe("per-sample derivatives", () => {
  // rows do not interact: y_b = [x_b0², x_b0·x_b1]
  const g = (z: Tensor) => {
    const a = z.slice([0, 0], [z.shape[0], 1]);
    const b = z.slice([0, 1], [z.shape[0], 2]);
    return concat([mul(a, a), mul(a, b)], 1);
  };
  const X = tensor([
    [1, 2],
    [-3, 0.5],
    [0.25, 4],
  ]);

  it("perSampleJacobian: [B, out, in] with each row's own Jacobian", () => {
    const Jb = perSampleJacobian(g)(X);
    expect(Jb.shape).toEqual([3, 2, 2]);
    const rows = X.toArray() as number[][];
    expectClose(
      Jb,
      rows.map(([a, b]) => [
        [2 * a, 0],
        [b, a],
      ]),
    );
  });

  it("a 1-D batch: one scalar in and out per sample", () => {
    const d = perSampleJacobian((z: Tensor) => mul(z, z))(tensor([1, -2, 3]));
    expect(d.shape).toEqual([3]);
    expectClose(d, [2, -4, 6]);
  });

  it("perSampleHessian of Σ_j x_bj³ + x_b0·x_b1 per row", () => {
    const s = (z: Tensor) =>
      mul(mul(z, z), z)
        .sum(1)
        .add(mul(z.slice([0, 0], [3, 1]), z.slice([0, 1], [3, 2])).reshape([3]));
    const H = perSampleHessian(s)(X);
    expect(H.shape).toEqual([3, 2, 2]);
    expectClose(
      H,
      (X.toArray() as number[][]).map(([a, b]) => [
        [6 * a, 1],
        [1, 6 * b],
      ]),
    );
  });

  it("refuses inputs without a batch axis and outputs without the same batch", () => {
    expect(() => perSampleJacobian(g)(tensor(2))).toThrow(
      /^perSampleJacobian\.x: expected a tensor with a leading batch axis, got \[\]$/,
    );
    expect(() => perSampleJacobian(g)(3 as unknown as Tensor)).toThrow(
      /^perSampleJacobian\.x: expected a Tensor, got number$/,
    );
    expect(() => perSampleJacobian((z: Tensor) => z.sum(0))(X)).toThrow(
      /^perSampleJacobian: f\(x\): expected a tensor with leading batch axis 3, got \[2\]$/,
    );
    expect(() => perSampleJacobian((z: Tensor) => z.sum())(X)).toThrow(/perSampleJacobian: f\(x\)/);
    expect(() => perSampleHessian((z: Tensor) => z)(X)).toThrow(
      /^perSampleHessian: f\(x\): expected shape \[B\] \(one scalar per sample\), got \[3,2\]$/,
    );
  });
});
