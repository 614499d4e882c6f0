// Complex SVD: U·diag(s)·Vᴴ = A, orthonormal U and V, s against the real one-sided Jacobi SVD of
// the real embedding [[Re A, −Im A], [Im A, Re A]] (whose singular values are A's, each twice — an
// independent kernel); derivatives to second order against finite differences in every real and
// imaginary direction (square, tall, wide), the degeneracy error, vmap against the batched call.
import { describe, expect, it } from "vitest";
import { concat, LinalgDegeneracyError, random, svdvals, type Tensor, vmap } from "../index.js";
import { type ComplexTensor, checkGradsComplex, complex, matmul, mH, mul, svd } from "./index.js";

function randC(seed: number, shape: number[]): ComplexTensor {
  const [k1, k2] = random.split(random.key(seed), 2);
  return complex(random.normal(k1, shape), random.normal(k2, shape));
}
const maxAbs = (t: Tensor) => Math.max(...t.toFloat64Array().map(Math.abs));

describe("complex svd", () => {
  it("U·diag(s)·Vᴴ = A, UᴴU = VᴴV = I, s descending and equal to the embedding's singular values", () => {
    for (const [m, n] of [
      [4, 4],
      [6, 3],
      [2, 5],
    ]) {
      const A = randC(m * 10 + n, [2, m, n]);
      const { u, s, v } = svd(A);
      const k = Math.min(m, n);
      expect([u.shape, s.shape, v.shape]).toEqual([
        [2, m, k],
        [2, k],
        [2, n, k],
      ]);
      const USV = matmul(mul(u, s.reshape([2, 1, k])), mH(v));
      expect(maxAbs(USV.re.sub(A.re))).toBeLessThan(1e-13);
      expect(maxAbs(USV.im.sub(A.im))).toBeLessThan(1e-13);
      for (const x of [u, v]) {
        const I = matmul(mH(x), x);
        const eye = Array.from({ length: k }, (_, i) =>
          Array.from({ length: k }, (_, j) => (i === j ? 1 : 0)),
        );
        expect(maxAbs(I.re.sub(complex([eye, eye]).re))).toBeLessThan(1e-13);
        expect(maxAbs(I.im)).toBeLessThan(1e-13);
      }
      const ours = s.toArray() as number[][];
      const emb = svdvals(
        concat([concat([A.re, A.im.neg()], -1), concat([A.im, A.re], -1)], -2),
      ).toArray() as number[][];
      ours.forEach((row, b) => {
        row.forEach((x, i) => {
          expect(Math.abs(x - emb[b][2 * i])).toBeLessThan(1e-12);
          expect(Math.abs(x - emb[b][2 * i + 1])).toBeLessThan(1e-12);
          if (i > 0) expect(x).toBeLessThan(row[i - 1]);
        });
      });
    }
  });

  it("derivatives of s, U and V to second order against finite differences (square, tall, wide)", () => {
    for (const shape of [
      [3, 3],
      [4, 2],
      [2, 3],
    ]) {
      const A = randC(shape[0] * 3 + shape[1], shape);
      checkGradsComplex((a) => svd(a as ComplexTensor).s, [A], { order: 2 });
      checkGradsComplex((a) => svd(a as ComplexTensor).u, [A], { order: shape[0] === shape[1] ? 2 : 1 });
      checkGradsComplex((a) => svd(a as ComplexTensor).v, [A], { order: 1 });
    }
  });

  it("a repeated singular value is refused when differentiated; vmap equals the batched call", () => {
    const I = complex([
      [1, 0],
      [0, 1],
    ]);
    for (const x of svd(I).s.toArray() as number[]) expect(x).toBeCloseTo(1, 14);
    expect(() => checkGradsComplex((a) => svd(a as ComplexTensor).u, [I], { order: 1 })).toThrow(
      LinalgDegeneracyError,
    );
    const A = randC(5, [3, 3, 2]);
    const vs = vmap((re: Tensor, im: Tensor) => svd(complex(re, im)).s)(A.re, A.im);
    expect(maxAbs(vs.sub(svd(A).s))).toBe(0);
  });
});
