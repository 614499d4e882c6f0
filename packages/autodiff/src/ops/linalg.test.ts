// Batched small linear algebra: values against independent identities (cofactor expansion,
// A·A⁻¹ = I, L·Lᵀ = A) and derivatives to second order against finite differences.
import { describe, expect, it } from "vitest";
import {
  AutodiffInputError,
  add,
  cholesky,
  det,
  eye,
  inverse,
  logdet,
  matmul,
  mT,
  mul,
  random,
  solve,
  type Tensor,
  tensor,
  trace,
} from "../index.js";
import { checkGrads } from "../testing/index.js";

const rand = (shape: number[], seed: number) => random.normal(random.key(seed), shape);
/** A well-conditioned batch: R + n·I. */
const wellCond = (b: number, n: number, seed: number) => add(rand([b, n, n], seed), mul(eye(n), n));
/** A symmetric positive-definite batch: R Rᵀ + I. */
const spd = (x: Tensor) => add(matmul(x, mT(x)), eye(x.shape[x.ndim - 1]));

function cofactorDet(m: number[][]): number {
  if (m.length === 1) return m[0][0];
  return m[0].reduce(
    (s, v, j) => s + (j % 2 ? -1 : 1) * v * cofactorDet(m.slice(1).map((r) => r.filter((_, k) => k !== j))),
    0,
  );
}

describe("values", () => {
  it("det and logdet match cofactor expansion", () => {
    const A = rand([3, 5, 5], 1);
    const d = det(A).toFloat64Array();
    const ld = logdet(A).toFloat64Array();
    (A.toArray() as number[][][]).forEach((m, b) => {
      const ref = cofactorDet(m);
      expect(d[b]).toBeCloseTo(ref, 11);
      expect(ld[b]).toBeCloseTo(Math.log(Math.abs(ref)), 12);
    });
  });

  it("inverse, solve and cholesky satisfy their defining identities (n = 1, 3, 16, and 17, 40, 24 past the first scratch set)", () => {
    for (const n of [1, 3, 16, 17, 40, 24]) {
      const A = wellCond(2, n, n);
      const I = matmul(A, inverse(A)).toFloat64Array();
      const id = eye(n).toFloat64Array();
      I.forEach((v, i) => {
        expect(v).toBeCloseTo(id[i % (n * n)], 12);
      });
      const B = rand([2, n, 3], 5);
      const X = solve(A, B);
      matmul(A, X)
        .toFloat64Array()
        .forEach((v, i) => {
          expect(v).toBeCloseTo(B.toFloat64Array()[i], 12);
        });
      const S = spd(rand([2, n, n], 6));
      const L = cholesky(S);
      const l = L.toArray() as number[][][];
      l.forEach((m) => {
        m.forEach((row, i) => {
          row.forEach((v, j) => {
            if (j > i) expect(v).toBe(0);
          });
          expect(row[i]).toBeGreaterThan(0);
        });
      });
      matmul(L, mT(L))
        .toFloat64Array()
        .forEach((v, i) => {
          expect(v).toBeCloseTo(S.toFloat64Array()[i], 11);
        });
    }
  });

  it("solve broadcasts a vector right-hand side; trace sums the diagonal", () => {
    const A = wellCond(1, 3, 7).reshape([3, 3]);
    const b = tensor([1, 2, 3]);
    const x = solve(A, b);
    expect(x.shape).toEqual([3]);
    matmul(A, x)
      .toFloat64Array()
      .forEach((v, i) => {
        expect(v).toBeCloseTo(i + 1, 12);
      });
    expect(
      trace(
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ).item(),
    ).toBe(5);
  });

  it("log|det| adds over a product and det(Aᵀ) = det(A) at n = 30", () => {
    const A = wellCond(2, 30, 31);
    const B = wellCond(2, 30, 32);
    const [a, b, ab, at] = [A, B, matmul(A, B), mT(A)].map((m) => logdet(m).toFloat64Array());
    for (let k = 0; k < 2; k++) {
      expect(Math.abs(ab[k] - a[k] - b[k])).toBeLessThan(1e-12 * Math.abs(ab[k]));
      expect(Math.abs(at[k] - a[k])).toBeLessThan(1e-12 * Math.abs(a[k]));
    }
    const s = det(matmul(A, B)).toFloat64Array();
    const s1 = det(A).toFloat64Array();
    const s2 = det(B).toFloat64Array();
    for (let k = 0; k < 2; k++) expect(Math.abs(s[k] / (s1[k] * s2[k]) - 1)).toBeLessThan(1e-11);
  });

  it("bad input is a typed error", () => {
    expect(() => det(rand([3, 4], 1))).toThrow(AutodiffInputError);
    expect(() => det(rand([0, 0], 1))).toThrow(AutodiffInputError);
    expect(() =>
      inverse(
        tensor([
          [1, 2],
          [2, 4],
        ]),
      ),
    ).toThrow(AutodiffInputError);
    expect(() =>
      cholesky(
        tensor([
          [1, 2],
          [2, 1],
        ]),
      ),
    ).toThrow(AutodiffInputError);
    expect(
      logdet(
        tensor([
          [1, 2],
          [2, 4],
        ]),
      ).item(),
    ).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe("derivatives (order 2, fwd and rev) vs finite differences", () => {
  const cases: [string, (...x: Tensor[]) => Tensor, Tensor[]][] = [
    ["det", det, [wellCond(2, 3, 11)]],
    ["logdet", logdet, [wellCond(2, 4, 12)]],
    ["inverse", inverse, [wellCond(2, 3, 13)]],
    ["solve", solve, [wellCond(2, 3, 14), rand([2, 3, 2], 15)]],
    ["solve (broadcast A)", solve, [wellCond(1, 3, 16).reshape([3, 3]), rand([2, 3, 2], 17)]],
    ["cholesky of a symmetric input", (x) => cholesky(spd(x)), [rand([2, 3, 3], 18)]],
    ["logdet ∘ cholesky", (x) => logdet(cholesky(spd(x))), [rand([3, 3], 19)]],
  ];
  for (const [name, f, args] of cases) {
    it(name, () => {
      expect(() => checkGrads(f, args, { order: 2, eps: 3e-4 })).not.toThrow();
    });
  }
  it("logdet, inverse and solve at n = 20 (the loops past the first scratch set), first order", () => {
    const A = wellCond(1, 20, 21);
    for (const f of [logdet, inverse, (a: Tensor) => solve(a, rand([1, 20, 2], 22))])
      expect(() => checkGrads(f, [A], { order: 1, eps: 3e-4 })).not.toThrow();
  });
});
