// qr and solveTriangular: values against classical Gram–Schmidt and substitution written out
// here, the identities (Q·R = A, QᵀQ = I, R upper triangular with R_ii ≥ 0), derivatives vs
// finite differences.
import { describe, expect, it } from "vitest";
import { expectClose, rand, wellCond } from "../../test/linalg-helpers.js";
import { AutodiffInputError, eye, matmul, mT, qr, solveTriangular, type Tensor, tensor } from "../index.js";
import { checkGrads } from "../testing/index.js";

/** Classical Gram–Schmidt on the columns (fine for the well-conditioned test matrices). */
function gramSchmidt(a: number[][]): { q: number[][]; r: number[][] } {
  const m = a.length;
  const n = a[0].length;
  const q = a.map(() => new Array<number>(n).fill(0));
  const r = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    const v = a.map((row) => row[j]);
    for (let i = 0; i < j; i++) {
      r[i][j] = a.reduce((s, row, k) => s + q[k][i] * row[j], 0);
      for (let k = 0; k < m; k++) v[k] -= r[i][j] * q[k][i];
    }
    r[j][j] = Math.hypot(...v);
    for (let k = 0; k < m; k++) q[k][j] = v[k] / r[j][j];
  }
  return { q, r };
}

describe("qr values", () => {
  it("tall, square and wide batches: Q·R = A, QᵀQ = I, R upper with R_ii ≥ 0, equal to Gram–Schmidt", () => {
    for (const [m, n] of [
      [1, 1],
      [5, 3],
      [4, 4],
      [30, 6],
      [3, 5],
    ]) {
      const A = rand([2, m, n], m * 10 + n);
      const { q, r } = qr(A);
      const k = Math.min(m, n);
      expect(q.shape).toEqual([2, m, k]);
      expect(r.shape).toEqual([2, k, n]);
      expectClose(matmul(q, r), A, 1e-14);
      expectClose(matmul(mT(q), q), eye(k), 1e-14);
      (r.toArray() as number[][][]).forEach((mat) => {
        mat.forEach((row, i) => {
          row.forEach((v, j) => {
            if (j < i) expect(v).toBe(0);
          });
          expect(row[i]).toBeGreaterThanOrEqual(0);
        });
      });
      if (m >= n) {
        (A.toArray() as number[][][]).forEach((mat, b) => {
          const gs = gramSchmidt(mat);
          expectClose(q.toFloat64Array().subarray(b * m * n, (b + 1) * m * n), gs.q.flat(), 1e-12);
          expectClose(r.toFloat64Array().subarray(b * n * n, (b + 1) * n * n), gs.r.flat(), 1e-12);
        });
      }
    }
  });

  it("solveTriangular: lower and upper, broadcast batch, vector right-hand side", () => {
    const L = tensor([
      [2, 0, 0],
      [1, 3, 0],
      [-1, 2, 4],
    ]);
    // forward substitution by hand: x = [1, 1, 1] gives b = [2, 4, 5]
    expectClose(solveTriangular(L, tensor([2, 4, 5])), [1, 1, 1], 1e-15);
    expectClose(solveTriangular(mT(L), tensor([2, 5, 4]), { lower: false }), [1, 1, 1], 1e-15);
    // the other triangle is not read
    const full = tensor([
      [2, 9, 9],
      [1, 3, 9],
      [-1, 2, 4],
    ]);
    expectClose(solveTriangular(full, tensor([2, 4, 5])), [1, 1, 1], 1e-15);
    const B = rand([4, 3, 2], 3);
    const X = solveTriangular(L, B);
    expect(X.shape).toEqual([4, 3, 2]);
    expectClose(matmul(L, X), B, 1e-14);
    expect(() =>
      solveTriangular(
        tensor([
          [1, 0],
          [1, 0],
        ]),
        tensor([1, 1]),
      ),
    ).toThrow(AutodiffInputError);
  });
});

describe("qr and solveTriangular derivatives (order 2, fwd and rev) vs finite differences", () => {
  const cases: [string, (...x: Tensor[]) => Tensor, Tensor[]][] = [
    ["qr tall: q", (x) => qr(x).q, [rand([2, 5, 3], 31)]],
    ["qr tall: r", (x) => qr(x).r, [rand([2, 5, 3], 32)]],
    ["qr square", (x) => matmul(qr(x).q, mT(qr(x).r)), [wellCond(1, 3, 33)]],
    ["qr wide", (x) => qr(x).r, [rand([3, 5], 34)]],
    ["solveTriangular lower", (t, b) => solveTriangular(t, b), [wellCond(2, 3, 35), rand([2, 3, 2], 36)]],
    [
      "solveTriangular upper, broadcast",
      (t, b) => solveTriangular(t, b, { lower: false }),
      [wellCond(1, 3, 37).reshape([3, 3]), rand([2, 3, 2], 38)],
    ],
  ];
  for (const [name, f, args] of cases) {
    it(name, () => {
      expect(() => checkGrads(f, args, { order: 2, eps: 1e-3, rtol: 1e-6, atol: 1e-8 })).not.toThrow();
    });
  }
});
