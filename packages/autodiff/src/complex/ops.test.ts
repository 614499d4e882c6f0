// Complex arithmetic: values against a scalar reference written here with plain numbers (and
// known closed forms: i^i = e^{−π/2}, e^{iπ} = −1), broadcasting mixed with float64, and every
// derivative to second order against finite differences in the real and imaginary parts.
import { describe, expect, it } from "vitest";
import { random, type Tensor, tensor } from "../index.js";
import * as C from "./index.js";

type Z = [number, number];
const zmul = (a: Z, b: Z): Z => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const zdiv = (a: Z, b: Z): Z => {
  const d = b[0] ** 2 + b[1] ** 2;
  return [(a[0] * b[0] + a[1] * b[1]) / d, (a[1] * b[0] - a[0] * b[1]) / d];
};
const zexp = (a: Z): Z => [Math.exp(a[0]) * Math.cos(a[1]), Math.exp(a[0]) * Math.sin(a[1])];
const zlog = (a: Z): Z => [Math.log(Math.hypot(a[0], a[1])), Math.atan2(a[1], a[0])];

const rand = (shape: number[], seed: number) => random.normal(random.key(seed), shape);
const crand = (shape: number[], seed: number) => C.complex(rand(shape, seed), rand(shape, seed + 1000));
const pairs = (z: C.ComplexTensor): Z[] => {
  const r = z.re.toFloat64Array();
  const i = z.im.toFloat64Array();
  return Array.from(r, (v, k) => [v, i[k]] as Z);
};
function expectPairs(z: C.ComplexTensor, ref: Z[], digits = 12): void {
  const got = pairs(z);
  expect(got.length).toBe(ref.length);
  got.forEach(([a, b], k) => {
    expect(a).toBeCloseTo(ref[k][0], digits);
    expect(b).toBeCloseTo(ref[k][1], digits);
  });
}

describe("values", () => {
  const a = crand([4], 1);
  const b = crand([4], 2);
  const A = pairs(a);
  const B = pairs(b);

  it("arithmetic matches the scalar reference", () => {
    expectPairs(
      C.add(a, b),
      A.map((x, k) => [x[0] + B[k][0], x[1] + B[k][1]]),
    );
    expectPairs(
      C.sub(a, b),
      A.map((x, k) => [x[0] - B[k][0], x[1] - B[k][1]]),
    );
    expectPairs(
      C.mul(a, b),
      A.map((x, k) => zmul(x, B[k])),
    );
    expectPairs(
      C.div(a, b),
      A.map((x, k) => zdiv(x, B[k])),
    );
    expectPairs(
      C.conj(a),
      A.map((x) => [x[0], -x[1]]),
    );
    expectPairs(
      C.neg(a),
      A.map((x) => [-x[0], -x[1]]),
    );
    expectPairs(
      C.reciprocal(a),
      A.map((x) => zdiv([1, 0], x)),
    );
    expect([...C.abs(a).toFloat64Array()]).toEqual(A.map((x) => Math.sqrt(x[0] * x[0] + x[1] * x[1])));
    expect([...C.angle(a).toFloat64Array()]).toEqual(A.map((x) => Math.atan2(x[1], x[0])));
    expect(C.real(a)).toBe(a.re);
    expect(C.imag(a)).toBe(a.im);
  });

  it("exp, log, sqrt and powers match the scalar reference and closed forms", () => {
    expectPairs(C.exp(a), A.map(zexp));
    expectPairs(C.log(a), A.map(zlog));
    expectPairs(C.exp(C.log(a)), A);
    const s = C.sqrt(a);
    expectPairs(C.mul(s, s), A);
    // principal branch: Re √z ≥ 0
    for (const v of s.re.toFloat64Array()) expect(v).toBeGreaterThanOrEqual(0);
    expectPairs(
      C.pow(a, 3),
      A.map((x) => zmul(x, zmul(x, x))),
    );
    expectPairs(
      C.pow(a, -2),
      A.map((x) => zdiv([1, 0], zmul(x, x))),
    );
    expectPairs(
      C.pow(a, 0),
      A.map(() => [1, 0]),
    );
    expectPairs(C.pow(a, 0.5), pairs(s));
    expectPairs(
      C.pow(a, b),
      A.map((x, k) => zexp(zmul(B[k], zlog(x)))),
    );
    // i^i = e^{−π/2};  e^{iπ} = −1
    expectPairs(C.pow(C.complex(0, 1), C.complex(0, 1)), [[Math.exp(-Math.PI / 2), 0]], 15);
    expectPairs(C.exp(C.complex(0, Math.PI)), [[-1, 0]], 15);
    // z⁵ through squaring equals exp(5 log z)
    expectPairs(C.pow(a, 5), pairs(C.exp(C.mul(5, C.log(a)))), 10);
  });

  it("creation: from parts, from polar form, and broadcasting of the parts", () => {
    const z = C.polar(tensor([2, 3]), tensor([0.5, -2]));
    expectPairs(z, [
      [2 * Math.cos(0.5), 2 * Math.sin(0.5)],
      [3 * Math.cos(-2), 3 * Math.sin(-2)],
    ]);
    expect([...C.abs(z).toFloat64Array()].map((v) => +v.toFixed(14))).toEqual([2, 3]);
    const w = C.complex([[1], [2]], [10, 20, 30]);
    expect(w.shape).toEqual([2, 3]);
    expect(w.toArray()).toEqual({
      re: [
        [1, 1, 1],
        [2, 2, 2],
      ],
      im: [
        [10, 20, 30],
        [10, 20, 30],
      ],
    });
    expect(C.complex(3).item()).toEqual({ re: 3, im: 0 });
    expect(w.dtype).toBe("complex128");
    expect(() => C.complex(tensor([1, 2], undefined, "float32"))).toThrow(/float64/);
  });

  it("broadcasts mixed with float64 tensors and numbers", () => {
    const z = crand([3, 1], 3);
    const x = rand([4], 4);
    const Zp = pairs(z);
    const X = [...x.toFloat64Array()];
    const ref = (f: (p: Z, r: number) => Z) => Zp.flatMap((p) => X.map((r) => f(p, r)));
    expectPairs(
      C.add(z, x),
      ref((p, r) => [p[0] + r, p[1]]),
    );
    expectPairs(
      C.sub(x, z),
      ref((p, r) => [r - p[0], -p[1]]),
    );
    expectPairs(
      C.mul(x, z),
      ref((p, r) => [p[0] * r, p[1] * r]),
    );
    expectPairs(
      C.div(z, x),
      ref((p, r) => [p[0] / r, p[1] / r]),
    );
    expectPairs(
      C.div(x, z),
      ref((p, r) => zdiv([r, 0], p)),
    );
    expectPairs(
      C.mul(z, 2),
      Zp.map((p) => [2 * p[0], 2 * p[1]]),
    );
    expect(C.add(z, x).shape).toEqual([3, 4]);
  });

  it("matmul (complex·complex, complex·real, batched) matches the scalar reference", () => {
    const m = crand([2, 3, 4], 5);
    const n = crand([4, 2], 6);
    const r = rand([4, 2], 7);
    const M = pairs(m);
    const N = pairs(n);
    const Rv = [...r.toFloat64Array()];
    const ref = (get: (k: number, j: number) => Z): Z[] => {
      const out: Z[] = [];
      for (let b = 0; b < 2; b++)
        for (let i = 0; i < 3; i++)
          for (let j = 0; j < 2; j++) {
            let s: Z = [0, 0];
            for (let k = 0; k < 4; k++) {
              const p = zmul(M[b * 12 + i * 4 + k], get(k, j));
              s = [s[0] + p[0], s[1] + p[1]];
            }
            out.push(s);
          }
      return out;
    };
    expectPairs(
      C.matmul(m, n),
      ref((k, j) => N[k * 2 + j]),
    );
    expectPairs(
      C.matmul(m, r),
      ref((k, j) => [Rv[k * 2 + j], 0]),
    );
  });

  it("reductions and movement apply to both parts; mH conjugates", () => {
    const z = crand([2, 3], 8);
    const Zp = pairs(z);
    expectPairs(
      C.sum(z, 1),
      [0, 1].map((i) =>
        [0, 1, 2].reduce<Z>((s, j) => [s[0] + Zp[i * 3 + j][0], s[1] + Zp[i * 3 + j][1]], [0, 0]),
      ),
    );
    expectPairs(C.mean(z), [Zp.reduce<Z>((s, p) => [s[0] + p[0] / 6, s[1] + p[1] / 6], [0, 0])]);
    const t = C.mT(z);
    const h = C.mH(z);
    expect(t.shape).toEqual([3, 2]);
    expectPairs(
      t,
      [0, 1, 2].flatMap((j) => [0, 1].map((i) => Zp[i * 3 + j])),
    );
    expectPairs(
      h,
      [0, 1, 2].flatMap((j) => [0, 1].map((i) => [Zp[i * 3 + j][0], -Zp[i * 3 + j][1]] as Z)),
    );
    expectPairs(C.reshape(z, [6]), Zp);
    expectPairs(C.concat([z, z], 0), [...Zp, ...Zp]);
    expect(C.stack([z, z], 0).shape).toEqual([2, 2, 3]);
  });
});

describe("derivatives against finite differences (re and im directions, order 2)", () => {
  const a = crand([3], 11);
  const b = crand([3], 12);
  const x = rand([3], 13);
  const cases: [
    string,
    (...z: (C.ComplexTensor | Tensor)[]) => C.ComplexTensor | Tensor,
    (C.ComplexTensor | Tensor)[],
  ][] = [
    ["mul, div, sub", (p, q) => C.sub(C.div(C.mul(p, q), C.add(q, 3)), p), [a, b]],
    ["mixed real/complex broadcasting", (p, r) => C.div(C.add(C.mul(p, r), r), C.sub(p, 2)), [a, x]],
    ["exp, log", (p) => C.log(C.add(C.exp(p), 2)), [a]],
    ["sqrt, conj", (p) => C.mul(C.sqrt(C.add(p, 4)), C.conj(p)), [a]],
    ["integer and complex powers", (p, q) => C.add(C.pow(p, 3), C.pow(C.add(p, 4), q)), [a, b]],
    ["pow with a negative integer", (p) => C.pow(C.add(p, 3), -2), [a]],
    ["abs, abs2, angle (real outputs)", (p) => C.abs(p).add(C.abs2(p)).add(C.angle(p)), [a]],
    ["sum, mean, real, imag", (p) => C.mean(C.mul(p, p)).re.add(C.sum(C.imag(p).mul(C.real(p))).re), [a]],
  ];
  for (const [name, f, args] of cases) {
    it(name, () => {
      C.checkGradsComplex(f, args, { order: 2, rtol: 1e-5, atol: 1e-8 });
    });
  }
  it("matmul, transposes and mH", () => {
    const m = crand([2, 3], 14);
    const n = crand([3, 2], 15);
    C.checkGradsComplex((p, q) => C.matmul(C.mH(p as C.ComplexTensor), C.mT(q as C.ComplexTensor)), [m, n], {
      order: 2,
      rtol: 1e-5,
      atol: 1e-8,
    });
  });
});
