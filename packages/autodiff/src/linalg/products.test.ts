// matrixPower, commutator and slogdet: closed forms (Fibonacci, so(3) algebra), identities
// (det of a product, slogdet vs det, A^k A^−k = I) and derivatives vs finite differences.
import { describe, expect, it } from "vitest";
import { expectClose, rand, wellCond } from "../../test/linalg-helpers.js";
import {
  AutodiffInputError,
  commutator,
  det,
  eye,
  grad,
  matmul,
  matrixPower,
  slogdet,
  sum,
  type Tensor,
  tensor,
} from "../index.js";
import { checkGrads } from "../testing/index.js";

describe("matrixPower", () => {
  it("Fibonacci, zero and negative powers, batched", () => {
    expectClose(
      matrixPower(
        tensor([
          [1, 1],
          [1, 0],
        ]),
        10,
      ),
      [89, 55, 55, 34],
      0,
    );
    const A = wellCond(3, 4, 1);
    expectClose(matrixPower(A, 0), eye(4), 0);
    expectClose(matmul(matrixPower(A, 5), matrixPower(A, -5)), eye(4), 1e-12);
    expectClose(matrixPower(A, 3), matmul(matmul(A, A), A), 1e-12);
    expect(() => matrixPower(A, 1.5)).toThrow(AutodiffInputError);
  });

  it("derivatives vs finite differences, and d tr(A^k) = k (A^(k−1))ᵀ", () => {
    const A = rand([2, 3, 3], 2).mul(0.5);
    expect(() =>
      checkGrads((x) => matrixPower(x, 5), [A], { order: 2, eps: 1e-3, rtol: 1e-6, atol: 1e-8 }),
    ).not.toThrow();
    const B = wellCond(1, 3, 3);
    expect(() =>
      checkGrads((x) => matrixPower(x, -2), [B], { order: 2, eps: 1e-3, rtol: 1e-6, atol: 1e-8 }),
    ).not.toThrow();
    const M = rand([3, 3], 4);
    const g = grad((x: Tensor) => sum(matrixPower(x, 4).mul(eye(3))))(M);
    const A3t = matrixPower(M, 3).toArray() as number[][];
    expectClose(
      g,
      A3t[0].flatMap((_, i) => A3t.map((r) => 4 * r[i])),
      1e-12,
    );
  });
});

describe("commutator", () => {
  it("so(3): [L_x, L_y] = L_z and cyclic; the Jacobi identity", () => {
    const L = (i: number) =>
      tensor(
        Array.from({ length: 3 }, (_, a) =>
          Array.from({ length: 3 }, (_, b) => {
            // (L_i)_ab = −ε_iab
            const p = [i, a, b];
            if (new Set(p).size < 3) return 0;
            const even = [
              [0, 1, 2],
              [1, 2, 0],
              [2, 0, 1],
            ].some((q) => q.every((v, k) => v === p[k]));
            return even ? -1 : 1;
          }),
        ),
      );
    expectClose(commutator(L(0), L(1)), L(2), 0);
    expectClose(commutator(L(1), L(2)), L(0), 0);
    const [X, Y, Z] = [rand([2, 4, 4], 5), rand([2, 4, 4], 6), rand([4, 4], 7)];
    const jac = commutator(X, commutator(Y, Z))
      .add(commutator(Y, commutator(Z, X)))
      .add(commutator(Z, commutator(X, Y)));
    expectClose(jac, [0], 1e-13);
    expect(() => checkGrads((a, b) => commutator(a, b), [X, Y], { order: 2 })).not.toThrow();
  });
});

describe("slogdet", () => {
  it("sign·exp(logabsdet) = det; det of a product; sign of a permutation; singular", () => {
    const A = rand([5, 4, 4], 8);
    const B = rand([5, 4, 4], 9);
    const { sign, logabsdet } = slogdet(A);
    const d = det(A).toFloat64Array();
    const s = sign.toFloat64Array();
    const l = logabsdet.toFloat64Array();
    for (let i = 0; i < 5; i++) expect(s[i] * Math.exp(l[i])).toBeCloseTo(d[i], 12);
    // det(AB) = det A · det B, in slogdet form
    const ab = slogdet(matmul(A, B));
    const b = slogdet(B);
    expectClose(ab.logabsdet, logabsdet.add(b.logabsdet), 1e-12);
    expectClose(ab.sign, sign.mul(b.sign), 0);
    expectClose(
      slogdet(
        tensor([
          [0, 2],
          [3, 0],
        ]),
      ).sign,
      [-1],
      0,
    );
    const sing = slogdet(
      tensor([
        [1, 2],
        [2, 4],
      ]),
    );
    expect([sing.sign.item(), sing.logabsdet.item()]).toEqual([0, Number.NEGATIVE_INFINITY]);
  });

  it("logabsdet differentiates as logdet; sign is a constant", () => {
    const A = wellCond(2, 3, 10);
    expect(() => checkGrads((x) => slogdet(x).logabsdet, [A], { order: 2, eps: 3e-4 })).not.toThrow();
    expectClose(grad((x: Tensor) => sum(slogdet(x).sign))(A), [0], 0);
  });
});
