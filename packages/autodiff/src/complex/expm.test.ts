// expm: closed forms (diagonal, nilpotent, exp(iθσ_x) = cos θ + i sin θ σ_x), identities
// (e^A e^{−A} = I, det e^A = e^{tr A}, e^{iH} unitary for Hermitian H) and derivatives
// (d/dt e^{tA} = A e^{tA}; finite differences to second order in all real and imaginary parts).
import { describe, expect, it } from "vitest";
import { eye, jvp, random, type Tensor, tensor } from "../index.js";
import * as C from "./index.js";

const crand = (shape: number[], seed: number) =>
  C.complex(random.normal(random.key(seed), shape), random.normal(random.key(seed + 1), shape));
function maxDiff(a: C.ComplexTensor, b: C.ComplexTensor): number {
  return Math.max(...C.abs(C.sub(a, b)).toFloat64Array());
}

describe("expm", () => {
  it("closed forms: diagonal, nilpotent (large entry: scaling and squaring), Pauli rotation", () => {
    const d = C.complex([3, -2, 0.5], [1, 4, -7]);
    const D = C.mul(C.complex(eye(3)), d.reshape([1, 3]));
    const ref = C.mul(C.complex(eye(3)), C.exp(d).reshape([1, 3]));
    expect(maxDiff(C.expm(D), ref) / Math.exp(3)).toBeLessThan(1e-14);
    const N = C.complex(
      [
        [0, 100],
        [0, 0],
      ],
      [
        [0, -50],
        [0, 0],
      ],
    );
    expect(maxDiff(C.expm(N), C.add(N, C.complex(eye(2))))).toBeLessThan(1e-12);
    const th = 0.7;
    const sx = C.complex([
      [0, 1],
      [1, 0],
    ]);
    const U = C.expm(C.mul(sx, C.complex(0, th)));
    const rot = C.add(C.mul(C.complex(eye(2)), Math.cos(th)), C.mul(sx, C.complex(0, Math.sin(th))));
    expect(maxDiff(U, rot)).toBeLessThan(1e-15);
  });

  it("identities: e^A e^{−A} = I, det e^A = e^{tr A}, e^{iH} unitary (batched, n = 4)", () => {
    const A = C.mul(crand([3, 4, 4], 1), 1.5);
    const I = C.complex(eye(4));
    expect(maxDiff(C.matmul(C.expm(A), C.expm(C.neg(A))), C.broadcastTo(I, [3, 4, 4]))).toBeLessThan(1e-12);
    const lhs = C.det(C.expm(A));
    const rhs = C.exp(C.trace(A));
    expect(maxDiff(lhs, rhs) / Math.max(...C.abs(rhs).toFloat64Array())).toBeLessThan(1e-12);
    const R = crand([3, 4, 4], 2);
    const H = C.add(R, C.mH(R));
    const V = C.expm(C.mul(H, C.complex(0, 1)));
    expect(maxDiff(C.matmul(V, C.mH(V)), C.broadcastTo(I, [3, 4, 4]))).toBeLessThan(1e-13);
  });

  it("d/dt e^{tA} = A e^{tA}, and finite differences to second order", () => {
    const A = crand([3, 3], 3);
    const t0 = 0.8;
    const [, dt] = jvp((t: Tensor) => C.expm(C.mul(A, t)).re, [tensor(t0)], [tensor(1)]);
    const ref = C.matmul(A, C.expm(C.mul(A, t0)));
    const err = (dt as Tensor)
      .toFloat64Array()
      .reduce((m, v, k) => Math.max(m, Math.abs(v - ref.re.toFloat64Array()[k])), 0);
    expect(err).toBeLessThan(1e-12);
    C.checkGradsComplex((a) => C.expm(a), [C.mul(crand([2, 2, 2], 4), 0.8)], {
      order: 2,
      rtol: 1e-5,
      atol: 1e-8,
    });
  });
});
