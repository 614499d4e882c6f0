// Complex QR: QR = A, QᴴQ = I, R upper triangular with a real positive diagonal, against complex
// modified Gram–Schmidt written in plain numbers (an independent algorithm); derivatives to second
// order against finite differences in every real and imaginary direction (tall, square, wide),
// forward Jacobians against reverse ones, vmap against the batched call.
import { describe, expect, it } from "vitest";
import { AutodiffInputError, jacobian, random, type Tensor, vmap } from "../index.js";
import { type ComplexTensor, checkGradsComplex, complex, matmul, mH, qr, realify } from "./index.js";

function randC(seed: number, shape: number[]): ComplexTensor {
  const [k1, k2] = random.split(random.key(seed), 2);
  return complex(random.normal(k1, shape), random.normal(k2, shape));
}
const maxAbs = (t: Tensor) => Math.max(...t.toFloat64Array().map(Math.abs));

/** Modified Gram–Schmidt on the columns of one complex m×n block (m ≥ n): R_ii > 0 by construction. */
function gramSchmidt(
  re: number[][],
  im: number[][],
): { qr: number[][]; qi: number[][]; rr: number[][]; ri: number[][] } {
  const m = re.length;
  const n = re[0].length;
  const qr = re.map((r) => [...r]);
  const qi = im.map((r) => [...r]);
  const rr = Array.from({ length: n }, () => new Array(n).fill(0));
  const ri = Array.from({ length: n }, () => new Array(n).fill(0));
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < j; k++) {
      // r_kj = q_kᴴ·a_j (on the updated column: modified GS)
      let sr = 0;
      let si = 0;
      for (let i = 0; i < m; i++) {
        sr += qr[i][k] * qr[i][j] + qi[i][k] * qi[i][j];
        si += qr[i][k] * qi[i][j] - qi[i][k] * qr[i][j];
      }
      rr[k][j] = sr;
      ri[k][j] = si;
      for (let i = 0; i < m; i++) {
        qr[i][j] -= sr * qr[i][k] - si * qi[i][k];
        qi[i][j] -= sr * qi[i][k] + si * qr[i][k];
      }
    }
    let nrm = 0;
    for (let i = 0; i < m; i++) nrm += qr[i][j] ** 2 + qi[i][j] ** 2;
    nrm = Math.sqrt(nrm);
    rr[j][j] = nrm;
    for (let i = 0; i < m; i++) {
      qr[i][j] /= nrm;
      qi[i][j] /= nrm;
    }
  }
  return { qr, qi, rr, ri };
}

describe("complex qr", () => {
  it("matches Gram–Schmidt; QR = A, QᴴQ = I, R upper triangular with a real positive diagonal (batched)", () => {
    for (const [m, n] of [
      [5, 5],
      [7, 3],
      [1, 1],
    ]) {
      const A = randC(m * 10 + n, [2, m, n]);
      const { q, r } = qr(A);
      expect(q.shape).toEqual([2, m, n]);
      expect(r.shape).toEqual([2, n, n]);
      const QR = matmul(q, r);
      expect(maxAbs(QR.re.sub(A.re))).toBeLessThan(1e-13);
      expect(maxAbs(QR.im.sub(A.im))).toBeLessThan(1e-13);
      const I = matmul(mH(q), q);
      const eye = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
      expect(maxAbs(I.re.sub(complex([eye, eye]).re))).toBeLessThan(1e-14);
      expect(maxAbs(I.im)).toBeLessThan(1e-14);
      const [ar, ai] = [A.re.toArray() as number[][][], A.im.toArray() as number[][][]];
      const [Qr, Qi, Rr, Ri] = [q.re, q.im, r.re, r.im].map((t) => t.toArray() as number[][][]);
      for (let b = 0; b < 2; b++) {
        const gs = gramSchmidt(ar[b], ai[b]);
        for (let i = 0; i < n; i++) {
          expect(Rr[b][i][i]).toBeGreaterThan(0);
          expect(Ri[b][i][i]).toBe(0);
          for (let j = 0; j < i; j++) expect([Rr[b][i][j], Ri[b][i][j]]).toEqual([0, 0]);
          for (let j = 0; j < n; j++) {
            expect(Rr[b][i][j]).toBeCloseTo(gs.rr[i][j], 12);
            expect(Ri[b][i][j]).toBeCloseTo(gs.ri[i][j], 12);
          }
        }
        for (let i = 0; i < m; i++)
          for (let j = 0; j < n; j++) {
            expect(Qr[b][i][j]).toBeCloseTo(gs.qr[i][j], 12);
            expect(Qi[b][i][j]).toBeCloseTo(gs.qi[i][j], 12);
          }
      }
    }
  });

  it("a wide matrix: Q square unitary, R = [R₁, QᴴA₂] upper trapezoidal, QR = A", () => {
    const A = randC(3, [3, 5]);
    const { q, r } = qr(A);
    expect(r.shape).toEqual([3, 5]);
    const QR = matmul(q, r);
    expect(maxAbs(QR.re.sub(A.re))).toBeLessThan(1e-13);
    expect(maxAbs(QR.im.sub(A.im))).toBeLessThan(1e-13);
    const rr = r.re.toArray() as number[][];
    for (let i = 0; i < 3; i++) expect(rr[i][i]).toBeGreaterThan(0);
  });

  it("derivatives of Q and R to second order against finite differences (tall, square, wide)", () => {
    for (const shape of [
      [4, 3],
      [3, 3],
      [2, 3],
    ]) {
      checkGradsComplex((a) => qr(a as ComplexTensor).q, [randC(shape[0] + 7 * shape[1], shape)], {
        order: 2,
      });
      checkGradsComplex((a) => qr(a as ComplexTensor).r, [randC(shape[0] + 5 * shape[1], shape)], {
        order: 2,
      });
    }
  });

  it("first derivatives of R for k = 34 (the rule's complex inverse past its small kernels' 32)", () => {
    checkGradsComplex((a) => qr(a as ComplexTensor).r, [randC(91, [38, 34])], { order: 1 });
  });

  it("forward (batched tangents) and reverse Jacobians agree; vmap equals the batched call", () => {
    const A = randC(11, [2, 4, 3]);
    const [g, flat] = realify(
      (a) => {
        const { q, r } = qr(a as ComplexTensor);
        return complex(
          q.re.sum(-1).add(r.im.sum(-1).sum(-1).reshape([2, 1])),
          q.im.sum(-2).sum(-1).reshape([2, 1]).add(q.re.sum(-1)),
        );
      },
      [A],
    );
    const fwd = jacobian((re: Tensor) => g(re, flat[1]), "fwd")(flat[0]);
    const rev = jacobian((re: Tensor) => g(re, flat[1]), "rev")(flat[0]);
    expect(maxAbs(fwd.sub(rev))).toBeLessThan(1e-12);
    const v = vmap((re: Tensor, im: Tensor) => qr(complex(re, im)).r.im)(A.re, A.im);
    expect(maxAbs(v.sub(qr(A).r.im))).toBe(0);
  });

  it("bad input is an error naming the field", () => {
    expect(() => qr(complex([1, 2]))).toThrow(AutodiffInputError);
    expect(() => qr(complex([[Number.NaN]]))).toThrow(/qr\.z/);
  });
});
