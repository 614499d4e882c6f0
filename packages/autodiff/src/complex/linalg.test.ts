// Complex linear algebra: values against independent truths (cofactor expansion in plain complex
// arithmetic, A·A⁻¹ = I, det(AB) = det A·det B, |det A|² = det of the real embedding computed by
// the real LU, tr[A, B] = 0) and derivatives to second order against finite differences.
import { describe, expect, it } from "vitest";
import { eye, jacobian, random, det as rdet, matmul as rmatmul, type Tensor } from "../index.js";
import * as C from "./index.js";

type Z = [number, number];
const zmul = (a: Z, b: Z): Z => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
function cofactorDet(m: Z[][]): Z {
  if (m.length === 1) return m[0][0];
  let s: Z = [0, 0];
  m[0].forEach((v, j) => {
    const minor = cofactorDet(m.slice(1).map((r) => r.filter((_, k) => k !== j)));
    const p = zmul(v, minor);
    const sg = j % 2 ? -1 : 1;
    s = [s[0] + sg * p[0], s[1] + sg * p[1]];
  });
  return s;
}

const rand = (shape: number[], seed: number) => random.normal(random.key(seed), shape);
const crand = (shape: number[], seed: number) => C.complex(rand(shape, seed), rand(shape, seed + 1000));
/** A well-conditioned batch R + n·I. */
const wellCond = (b: number, n: number, seed: number) =>
  C.add(crand([b, n, n], seed), C.complex(eye(n).mul(n)));
/** A Hermitian positive-definite batch R Rᴴ + I. */
const hpd = (b: number, n: number, seed: number) => {
  const R = crand([b, n, n], seed);
  return C.add(C.matmul(R, C.mH(R)), eye(n));
};
function matrices(z: C.ComplexTensor): Z[][][] {
  const [b, n] = [z.shape[0], z.shape[1]];
  const re = z.re.toFloat64Array();
  const im = z.im.toFloat64Array();
  return Array.from({ length: b }, (_, k) =>
    Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => [re[k * n * n + i * n + j], im[k * n * n + i * n + j]] as Z),
    ),
  );
}
function expectIdentity(z: C.ComplexTensor, n: number, digits: number): void {
  const re = z.re.toFloat64Array();
  const im = z.im.toFloat64Array();
  let err = 0;
  re.forEach((v, k) => {
    const i = Math.floor(k / n) % n;
    err = Math.max(err, Math.abs(v - (i === k % n ? 1 : 0)), Math.abs(im[k]));
  });
  expect(err).toBeLessThan(0.5 * 10 ** -digits);
}

describe("values", () => {
  it("det, slogdet and logdet match cofactor expansion", () => {
    const A = crand([3, 5, 5], 1);
    const d = C.det(A);
    const { logabs, phase } = C.slogdet(A);
    const ld = C.logdet(A);
    matrices(A).forEach((m, b) => {
      const ref = cofactorDet(m);
      expect(d.re.toFloat64Array()[b]).toBeCloseTo(ref[0], 10);
      expect(d.im.toFloat64Array()[b]).toBeCloseTo(ref[1], 10);
      expect(logabs.toFloat64Array()[b]).toBeCloseTo(Math.log(Math.hypot(ref[0], ref[1])), 12);
      expect(phase.toFloat64Array()[b]).toBeCloseTo(Math.atan2(ref[1], ref[0]), 12);
      expect(ld.im.toFloat64Array()[b]).toBe(phase.toFloat64Array()[b]);
    });
  });

  it("A·inverse(A) = I and solve satisfies A·X = B (n = 1, 3, 10, 32, and 33, 48, 40 past the small kernels' 32)", () => {
    for (const n of [1, 3, 10, 32, 33, 48, 40]) {
      const A = wellCond(2, n, n);
      expectIdentity(C.matmul(A, C.inverse(A)), n, 11);
      expectIdentity(C.matmul(C.inverse(A), A), n, 11);
      const B = crand([2, n, 3], 5);
      const R = C.sub(C.matmul(A, C.solve(A, B)), B);
      for (const v of [...R.re.toFloat64Array(), ...R.im.toFloat64Array()])
        expect(Math.abs(v)).toBeLessThan(1e-11);
      const v = crand([2, n], 6);
      const x = C.solve(A, v);
      expect(x.shape).toEqual([2, n]);
      const r = C.sub(C.matmul(A, x.reshape([2, n, 1])).reshape([2, n]), v);
      for (const e of [...r.re.toFloat64Array(), ...r.im.toFloat64Array()])
        expect(Math.abs(e)).toBeLessThan(1e-11);
    }
  });

  it("det(AB) = det A · det B", () => {
    const A = crand([4, 6, 6], 7);
    const B = crand([4, 6, 6], 8);
    const lhs = C.det(C.matmul(A, B));
    const rhs = C.mul(C.det(A), C.det(B));
    const scale = Math.max(...C.abs(rhs).toFloat64Array());
    const err = C.abs(C.sub(lhs, rhs)).toFloat64Array();
    for (const e of err) expect(e / scale).toBeLessThan(1e-12);
  });

  it("|det A|² = det of the real embedding (real LU), and the embedding is a homomorphism", () => {
    const A = crand([5, 4, 4], 9);
    const B = crand([5, 4, 4], 10);
    const d2 = C.abs2(C.det(A)).toFloat64Array();
    const e = rdet(C.realEmbedding(A)).toFloat64Array();
    d2.forEach((v, k) => {
      expect(e[k] / v).toBeCloseTo(1, 12);
    });
    const prod = C.realEmbedding(C.matmul(A, B)).toFloat64Array();
    const ref = rmatmul(C.realEmbedding(A), C.realEmbedding(B)).toFloat64Array();
    prod.forEach((v, k) => {
      expect(v).toBeCloseTo(ref[k], 12);
    });
  });

  it("Hermitian positive-definite matrices: det is real and positive, phase 0", () => {
    const H = hpd(6, 5, 11);
    const { logabs, phase } = C.slogdet(H);
    for (const p of phase.toFloat64Array()) expect(Math.abs(p)).toBeLessThan(1e-13);
    matrices(H).forEach((m, b) => {
      const ref = cofactorDet(m);
      expect(Math.abs(ref[1]) / ref[0]).toBeLessThan(1e-13);
      expect(logabs.toFloat64Array()[b]).toBeCloseTo(Math.log(ref[0]), 12);
    });
  });

  it("trace, commutator, matrix powers and traces of powers", () => {
    const A = crand([3, 4, 4], 12);
    const B = crand([3, 4, 4], 13);
    const K = C.commutator(A, B);
    const t = C.trace(K);
    for (const v of [...t.re.toFloat64Array(), ...t.im.toFloat64Array()])
      expect(Math.abs(v)).toBeLessThan(1e-12);
    const ref = C.sub(C.matmul(A, B), C.matmul(B, A));
    expect(K.toArray()).toEqual(ref.toArray());
    const tr = matrices(A).map((m) => m.reduce<Z>((s, r, i) => [s[0] + r[i][0], s[1] + r[i][1]], [0, 0]));
    expect(C.trace(A).toArray()).toEqual({ re: tr.map((z) => z[0]), im: tr.map((z) => z[1]) });
    const A3 = C.matmul(A, C.matmul(A, A));
    const P = C.matrixPower(A, 3);
    P.re.toFloat64Array().forEach((v, k) => {
      expect(v).toBeCloseTo(A3.re.toFloat64Array()[k], 11);
    });
    expectIdentity(C.matmul(C.matrixPower(A, -2), C.matrixPower(A, 2)), 4, 10);
    expectIdentity(C.broadcastTo(C.matrixPower(A, 0), [3, 4, 4]), 4, 15);
    const tp = C.tracePowers(A, 3);
    expect(tp.shape).toEqual([3, 3]);
    const t3 = C.trace(A3);
    [0, 1, 2].forEach((b) => {
      expect(tp.re.toFloat64Array()[b * 3 + 2]).toBeCloseTo(t3.re.toFloat64Array()[b], 11);
      expect(tp.im.toFloat64Array()[b * 3 + 2]).toBeCloseTo(t3.im.toFloat64Array()[b], 11);
    });
  });

  it("errors: singular inverse, non-square or too large input", () => {
    expect(() =>
      C.inverse(
        C.complex(
          [
            [1, 2],
            [2, 4],
          ],
          [
            [1, 2],
            [2, 4],
          ],
        ),
      ),
    ).toThrow(/non-singular/);
    expect(
      C.slogdet(
        C.complex([
          [1, 2],
          [2, 4],
        ]),
      ).logabs.item(),
    ).toBe(Number.NEGATIVE_INFINITY);
    expect(
      C.det(
        C.complex([
          [1, 2],
          [2, 4],
        ]),
      ).item(),
    ).toEqual({ re: 0, im: 0 });
    expect(() => C.det(crand([2, 3], 1))).toThrow(/square/);
    expect(() => C.det(crand([0, 0], 1))).toThrow(/n >= 1/);
  });

  it("log|det| and the phase add over a product at n = 40 (past the small kernels' 32)", () => {
    const A = wellCond(2, 40, 41);
    const B = wellCond(2, 40, 42);
    const [a, b, ab] = [A, B, C.matmul(A, B)].map((m) => C.slogdet(m));
    const wrap = (x: number) => x - 2 * Math.PI * Math.round(x / (2 * Math.PI));
    for (let k = 0; k < 2; k++) {
      const sum = a.logabs.toFloat64Array()[k] + b.logabs.toFloat64Array()[k];
      expect(Math.abs(ab.logabs.toFloat64Array()[k] - sum)).toBeLessThan(1e-11 * Math.abs(sum));
      const dp = ab.phase.toFloat64Array()[k] - a.phase.toFloat64Array()[k] - b.phase.toFloat64Array()[k];
      expect(Math.abs(wrap(dp))).toBeLessThan(1e-11);
    }
    const H = hpd(1, 36, 43);
    const L = C.cholesky(H);
    const R = C.sub(C.matmul(L, C.mH(L)), H);
    const scale = Math.max(...H.re.toFloat64Array().map(Math.abs));
    for (const v of [...R.re.toFloat64Array(), ...R.im.toFloat64Array()])
      expect(Math.abs(v)).toBeLessThan(1e-13 * scale);
  });
});

describe("derivatives against finite differences (order 2)", () => {
  const opts = { order: 2, rtol: 1e-5, atol: 1e-8 };
  const A = wellCond(2, 3, 21);
  const B = crand([2, 3, 2], 22);
  it("inverse", () => {
    C.checkGradsComplex((a) => C.inverse(a), [A], opts);
  });
  it("inverse and log|det| at n = 34 (the kernels past 32), first order", () => {
    const A34 = wellCond(1, 34, 44);
    C.checkGradsComplex((a) => C.inverse(a), [A34], { order: 1, rtol: 1e-5, atol: 1e-8 });
    C.checkGradsComplex((a) => C.slogdet(a).logabs, [A34], { order: 1, rtol: 1e-5, atol: 1e-8 });
  });
  it("slogdet (log|det| and phase) and det", () => {
    C.checkGradsComplex((a) => C.slogdet(a).logabs, [A], opts);
    C.checkGradsComplex((a) => C.slogdet(a).phase, [A], opts);
    C.checkGradsComplex((a) => C.det(a), [A], opts);
  });
  it("solve (both arguments), commutator, tracePowers", () => {
    C.checkGradsComplex((a, b) => C.solve(a, b), [A, B], opts);
    C.checkGradsComplex((a, b) => C.commutator(a, b), [A, crand([3, 3], 23)], opts);
    C.checkGradsComplex((a) => C.tracePowers(a, 3), [crand([3, 3], 24)], opts);
  });
  it("log|det| of a Hermitian matrix built from a complex factor", () => {
    C.checkGradsComplex(
      (r) => {
        const R = r as C.ComplexTensor;
        return C.slogdet(C.add(C.matmul(R, C.mH(R)), eye(3))).logabs;
      },
      [crand([2, 3, 3], 25)],
      opts,
    );
  });
  it("batched tangents (forward Jacobians, nb = 1) agree with reverse ones: inverse, slogdet, atan2", () => {
    const fs: [(...x: (C.ComplexTensor | Tensor)[]) => C.ComplexTensor | Tensor, C.ComplexTensor][] = [
      [(a) => C.inverse(a), wellCond(2, 3, 31)],
      [(a) => C.slogdet(a).phase.add(C.slogdet(a).logabs.mul(2)), wellCond(2, 3, 32)],
      [(a) => C.angle(a), crand([2, 3], 33)],
    ];
    for (const [f, a] of fs) {
      const [g] = C.realify(f, [a]);
      const h = (x: Tensor) => g(x, a.im);
      const fwd = jacobian(h, "fwd")(a.re).toFloat64Array();
      const rev = jacobian(h, "rev")(a.re).toFloat64Array();
      const err = fwd.reduce((m, v, k) => Math.max(m, Math.abs(v - rev[k])), 0);
      expect(err).toBeLessThan(1e-12);
    }
  });
});
