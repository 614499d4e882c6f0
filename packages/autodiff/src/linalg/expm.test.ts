// expm against a naive Taylor series with scaling and squaring, closed forms (Rodrigues for so(3),
// diagonal, nilpotent), expm(A)·expm(−A) = I, and derivatives vs finite differences.
import { describe, expect, it } from "vitest";
import { expectClose, rand } from "../../test/linalg-helpers.js";
import { AutodiffInputError, expm, eye, matmul, neg, type Tensor, tensor } from "../index.js";
import { checkGrads } from "../testing/index.js";

/** Taylor series of e^(A/2^s) to 30 terms, squared s times, with ‖A/2^s‖∞ < 1/2. */
function naiveExpm(a: number[][]): number[][] {
  const n = a.length;
  const norm = Math.max(...a.map((r) => r.reduce((s, v) => s + Math.abs(v), 0)));
  const s = Math.max(0, Math.ceil(Math.log2(norm)) + 1);
  const A = a.map((r) => r.map((v) => v / 2 ** s));
  const mm = (x: number[][], y: number[][]) =>
    x.map((r) => y[0].map((_, j) => r.reduce((t, v, k) => t + v * y[k][j], 0)));
  let term: number[][] = A.map((r, i) => r.map((_, j) => (i === j ? 1 : 0)));
  let sum = term.map((r) => [...r]);
  for (let k = 1; k <= 30; k++) {
    term = mm(term, A).map((r) => r.map((v) => v / k));
    sum = sum.map((r, i) => r.map((v, j) => v + term[i][j]));
  }
  for (let k = 0; k < s; k++) sum = mm(sum, sum);
  return sum.slice(0, n);
}

/** The so(3) generator of rotations about the unit axis k, times θ. */
function so3(k: number[], th: number): number[][] {
  const [x, y, z] = k;
  return [
    [0, -z * th, y * th],
    [z * th, 0, -x * th],
    [-y * th, x * th, 0],
  ];
}

describe("expm values", () => {
  it("agrees with the naive Taylor series over every Padé degree and with squaring", () => {
    for (const [scale, seed] of [
      [0.002, 1],
      [0.05, 2],
      [0.2, 3],
      [0.5, 4],
      [1, 5],
      [3, 6],
    ]) {
      const A = rand([3, 5, 5], seed).mul(scale);
      const E = expm(A);
      (A.toArray() as number[][][]).forEach((m, b) => {
        const ref = naiveExpm(m).flat();
        const big = Math.max(1, ...ref.map(Math.abs));
        expectClose(E.toFloat64Array().subarray(b * 25, (b + 1) * 25), ref, 1e-13 * big);
      });
    }
  });

  it("an so(3) generator exponentiates to the Rodrigues rotation", () => {
    const k = [1, 2, 2].map((v) => v / 3);
    for (const th of [0.1, 1, 2.5, 7]) {
      const K = so3(k, 1);
      const R = expm(tensor(so3(k, th)));
      // R = I + sin θ K + (1 − cos θ) K²
      const K2 = matmul(tensor(K), tensor(K));
      const rod = eye(3)
        .add(tensor(K).mul(Math.sin(th)))
        .add(K2.mul(1 - Math.cos(th)));
      expectClose(R, rod, 1e-14);
    }
  });

  it("expm(A)·expm(−A) = I; diagonal and nilpotent closed forms; batch entries independent", () => {
    const A = rand([4, 6, 6], 9);
    expectClose(matmul(expm(A), expm(neg(A))), eye(6), 1e-12);
    expectClose(
      expm(
        tensor([
          [1, 0],
          [0, -2],
        ]),
      ),
      [Math.E, 0, 0, Math.exp(-2)],
      1e-15,
    );
    expectClose(
      expm(
        tensor([
          [0, 1, 0],
          [0, 0, 1],
          [0, 0, 0],
        ]),
      ),
      [1, 1, 0.5, 0, 1, 1, 0, 0, 1],
      1e-15,
    );
    // each matrix gets its own degree and squarings: one in a batch equals the same alone
    const batch = expm(tensor([so3([0, 0, 1], 0.01), so3([0, 0, 1], 30)]));
    expect(batch.toFloat64Array().subarray(0, 9)).toEqual(
      expm(tensor(so3([0, 0, 1], 0.01))).toFloat64Array(),
    );
    expect(() => expm(tensor([[Number.POSITIVE_INFINITY]]))).toThrow(AutodiffInputError);
  });
});

describe("expm derivatives (order 2, fwd and rev) vs finite differences", () => {
  const cases: [string, Tensor][] = [
    ["small norm (degree 3–9)", rand([2, 3, 3], 11).mul(0.1)],
    ["large norm (squarings)", rand([3, 3], 12).mul(3)],
  ];
  for (const [name, A] of cases) {
    it(name, () => {
      expect(() =>
        checkGrads((x) => expm(x), [A], { order: 2, eps: 1e-3, rtol: 1e-6, atol: 1e-8 }),
      ).not.toThrow();
    });
  }
});
