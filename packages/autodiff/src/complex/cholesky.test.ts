// Complex Cholesky: L·Lᴴ = H, the shape of L, derivatives to second order against finite
// differences in every real and imaginary direction, vmap, and the error for a non-definite input.
import { describe, expect, it } from "vitest";
import { AutodiffInputError, random, type Tensor, vmap } from "../index.js";
import { type ComplexTensor, checkGradsComplex, cholesky, complex, logdet, matmul, mH } from "./index.js";

/** A Hermitian positive-definite A·Aᴴ + n·I. */
function randPD(seed: number, n: number, batch: number[] = []): ComplexTensor {
  const [k1, k2] = random.split(random.key(seed), 2);
  const a = complex(random.normal(k1, [...batch, n, n]), random.normal(k2, [...batch, n, n]));
  const h = matmul(a, mH(a));
  const I = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? n : 0)));
  return complex(h.re.add(complex(I).re), h.im);
}
const maxAbs = (t: Tensor) => Math.max(...t.toFloat64Array().map(Math.abs));

describe("complex cholesky", () => {
  it("L·Lᴴ = H with L lower triangular and a real positive diagonal (batched); log det H = 2 Σ log L_ii", () => {
    const H = randPD(1, 5, [2]);
    const L = cholesky(H);
    const R = matmul(L, mH(L));
    expect(maxAbs(R.re.sub(H.re))).toBeLessThan(1e-12);
    expect(maxAbs(R.im.sub(H.im))).toBeLessThan(1e-12);
    const lr = L.re.toArray() as number[][][];
    const li = L.im.toArray() as number[][][];
    for (let b = 0; b < 2; b++)
      for (let i = 0; i < 5; i++) {
        expect(lr[b][i][i]).toBeGreaterThan(0);
        expect(li[b][i][i]).toBe(0);
        for (let j = i + 1; j < 5; j++) expect([lr[b][i][j], li[b][i][j]]).toEqual([0, 0]);
      }
    const ld = logdet(H).re.toArray() as number[];
    lr.forEach((m, b) => {
      expect(2 * m.reduce((s, r, i) => s + Math.log(r[i]), 0)).toBeCloseTo(ld[b], 12);
    });
  });

  it("derivatives to second order against finite differences", () => {
    checkGradsComplex((a) => cholesky(a as ComplexTensor), [randPD(2, 3)], { order: 2 });
  });

  it("vmap equals the batched call; a non-definite matrix is an error", () => {
    const H = randPD(3, 4, [3]);
    const v = vmap((re: Tensor, im: Tensor) => cholesky(complex(re, im)).im)(H.re, H.im);
    expect(maxAbs(v.sub(cholesky(H).im))).toBe(0);
    expect(() =>
      cholesky(
        complex([
          [1, 2],
          [2, 1],
        ]),
      ),
    ).toThrow(AutodiffInputError);
  });
});
