// lstsq against the normal equations (solved with the existing LU `solve`), a closed-form line
// fit, the minimum-norm property for wide systems, and derivatives vs finite differences.
import { describe, expect, it } from "vitest";
import { expectClose, rand } from "../../test/linalg-helpers.js";
import { AutodiffInputError, lstsq, matmul, mT, solve, type Tensor, tensor } from "../index.js";
import { checkGrads } from "../testing/index.js";

describe("lstsq values", () => {
  it("tall: equals the normal-equations solution (AᵀA)⁻¹AᵀB, batched and broadcast", () => {
    const A = rand([3, 20, 4], 1);
    const B = rand([3, 20, 2], 2);
    const X = lstsq(A, B);
    expect(X.shape).toEqual([3, 4, 2]);
    expectClose(X, solve(matmul(mT(A), A), matmul(mT(A), B)), 1e-12);
    // one A for a batch of right-hand sides
    const A1 = rand([20, 4], 3);
    const Xb = lstsq(A1, B);
    expect(Xb.shape).toEqual([3, 4, 2]);
    expectClose(Xb, solve(matmul(mT(A1), A1), matmul(mT(A1), B)), 1e-12);
  });

  it("a straight-line fit and a vector right-hand side", () => {
    const t = [0, 1, 2, 3, 4];
    const A = tensor(t.map((x) => [1, x]));
    const y = tensor(t.map((x) => 1 + 2 * x + (x % 2 ? 0.1 : -0.1)));
    // closed form: slope = Σ(t−t̄)(y−ȳ)/Σ(t−t̄)², intercept = ȳ − slope·t̄
    const ys = y.toFloat64Array();
    const tb = 2;
    const yb = ys.reduce((a, b) => a + b) / 5;
    const slope =
      t.reduce((s, x, i) => s + (x - tb) * (ys[i] - yb), 0) / t.reduce((s, x) => s + (x - tb) ** 2, 0);
    expectClose(lstsq(A, y), [yb - slope * tb, slope], 1e-14);
  });

  it("wide: an exact solution of minimum norm (equals Aᵀ(AAᵀ)⁻¹B)", () => {
    const A = rand([2, 3, 6], 4);
    const B = rand([2, 3, 1], 5);
    const X = lstsq(A, B);
    expect(X.shape).toEqual([2, 6, 1]);
    expectClose(matmul(A, X), B, 1e-13);
    expectClose(X, matmul(mT(A), solve(matmul(A, mT(A)), B)), 1e-13);
  });

  it("rank deficiency and bad shapes are typed errors", () => {
    const A = tensor([
      [1, 2],
      [2, 4],
      [3, 6],
    ]);
    expect(() => lstsq(A, tensor([1, 2, 3]))).toThrow(AutodiffInputError);
    expect(() => lstsq(rand([4, 2], 1), tensor([1, 2, 3]))).toThrow(/lstsq.b/);
  });
});

describe("lstsq derivatives (order 2, fwd and rev) vs finite differences", () => {
  const cases: [string, Tensor[]][] = [
    ["tall", [rand([2, 6, 3], 11), rand([2, 6, 2], 12)]],
    ["wide", [rand([2, 5], 13), rand([2, 1], 14)]],
    ["broadcast A", [rand([6, 2], 15), rand([3, 6, 1], 16)]],
  ];
  for (const [name, args] of cases) {
    it(name, () => {
      expect(() =>
        checkGrads((a, b) => lstsq(a, b), args, { order: 2, eps: 1e-3, rtol: 1e-6, atol: 1e-8 }),
      ).not.toThrow();
    });
  }
});
