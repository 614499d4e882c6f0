// Complex Hermitian eigh/eigvalsh: closed forms, H·V = V·diag(λ), unitarity, the phase convention,
// derivatives to second order against finite differences in every real and imaginary direction,
// vmap against a loop, and the degeneracy error.
import { describe, expect, it } from "vitest";
import { LinalgDegeneracyError, random, reshape, stack, sum, type Tensor, vmap } from "../index.js";
import {
  abs2,
  type ComplexTensor,
  checkGradsComplex,
  complex,
  eigh,
  eigvalsh,
  matmul,
  mH,
  mul,
} from "./index.js";

const randH = (seed: number, n: number, batch: number[] = []): ComplexTensor => {
  const [k1, k2] = random.split(random.key(seed), 2);
  const a = complex(random.normal(k1, [...batch, n, n]), random.normal(k2, [...batch, n, n]));
  const h = mH(a);
  return complex(a.re.add(h.re).mul(0.5), a.im.add(h.im).mul(0.5));
};
const maxAbs = (t: Tensor) => Math.max(...t.toFloat64Array().map(Math.abs));

describe("complex eigh", () => {
  it("closed forms: σ_y has eigenvalues ±1 with eigenvectors (1, ±i)/√2", () => {
    const sy = complex(
      [
        [0, 0],
        [0, 0],
      ],
      [
        [0, -1],
        [1, 0],
      ],
    );
    const { values, vectors } = eigh(sy);
    expect(values.toArray()).toEqual([-1, 1].map((v) => expect.closeTo(v, 14)));
    // |v_k|² entries are all 1/2
    for (const v of abs2(vectors).toFloat64Array()) expect(v).toBeCloseTo(0.5, 14);
    expect(
      eigvalsh(
        complex([
          [2, 1],
          [1, 2],
        ]),
      ).toArray(),
    ).toEqual([1, 3].map((v) => expect.closeTo(v, 14)));
  });

  it("H·V = V·diag(λ), VᴴV = I, Σλ = tr H, largest entry of each column real and positive (batched)", () => {
    const H = randH(1, 5, [3]);
    const { values, vectors: V } = eigh(H);
    const HV = matmul(H, V);
    const VL = complex(V.re.mul(reshape(values, [3, 1, 5])), V.im.mul(reshape(values, [3, 1, 5])));
    expect(maxAbs(HV.re.sub(VL.re))).toBeLessThan(1e-12);
    expect(maxAbs(HV.im.sub(VL.im))).toBeLessThan(1e-12);
    const G = matmul(mH(V), V);
    expect(
      maxAbs(
        G.re.sub(
          reshape(
            stack([0, 1, 2].map(() => G.re.slice([0, 0, 0], [1, 5, 5]).mul(0).add(eyeT(5)))),
            [3, 5, 5],
          ),
        ),
      ),
    ).toBeLessThan(1e-12);
    expect(maxAbs(G.im)).toBeLessThan(1e-12);
    const tr = (H.re.toArray() as number[][][]).map((m) => m.reduce((s, r, i) => s + r[i], 0));
    (sum(values, -1).toArray() as number[]).forEach((v, b) => {
      expect(v).toBeCloseTo(tr[b], 12);
    });
    const vr = V.re.toArray() as number[][][];
    const vi = V.im.toArray() as number[][][];
    const a2 = abs2(V).toArray() as number[][][];
    for (let b = 0; b < 3; b++)
      for (let k = 0; k < 5; k++) {
        const col = a2[b].map((r) => r[k]);
        const j = col.indexOf(Math.max(...col));
        expect(vi[b][j][k]).toBe(0);
        expect(vr[b][j][k]).toBeGreaterThan(0);
      }
    expect(maxAbs(eigvalsh(H).sub(values))).toBe(0);
  });

  it("derivatives to second order against finite differences (values, vectors, a phase-invariant function)", () => {
    const H = randH(2, 3);
    checkGradsComplex((a) => eigh(a as ComplexTensor).values, [H], { order: 2 });
    checkGradsComplex((a) => eigvalsh(a as ComplexTensor), [H], { order: 2 });
    checkGradsComplex((a) => eigh(a as ComplexTensor).vectors, [H], { order: 2 });
    // the projector on the lowest eigenvector, v₀v₀ᴴ, does not depend on the phase convention
    checkGradsComplex(
      (a) => {
        const v = eigh(a as ComplexTensor).vectors;
        const v0 = complex(v.re.slice([0, 0], [3, 1]), v.im.slice([0, 0], [3, 1]));
        return matmul(v0, mH(v0));
      },
      [H],
      { order: 2 },
    );
    // a real symmetric input: the real eigh's values
    checkGradsComplex(
      (a) => mul(eigvalsh(a as ComplexTensor), 2),
      [
        complex([
          [1, 0.5],
          [0.5, -1],
        ]),
      ],
      { order: 2 },
    );
  });

  it("vmap over a batch equals the batched call; degenerate eigenvectors refuse derivatives", () => {
    const H = randH(3, 4, [2]);
    const byVmap = vmap((re: Tensor, im: Tensor) => eigh(complex(re, im)).vectors.re)(H.re, H.im);
    expect(maxAbs(byVmap.sub(eigh(H).vectors.re))).toBe(0);
    const I = complex(
      [
        [1, 0],
        [0, 1],
      ],
      [
        [0, 0],
        [0, 0],
      ],
    );
    expect(() => checkGradsComplex((a) => eigh(a as ComplexTensor).vectors, [I], { order: 1 })).toThrow(
      LinalgDegeneracyError,
    );
    // a degenerate eigenvalue still gives an orthonormal basis of its eigenspace
    const U = eigh(randH(4, 3)).vectors;
    const D = complex([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 3],
    ]);
    const Hd = matmul(matmul(U, D), mH(U));
    const { values: wd, vectors: Vd } = eigh(Hd);
    expect(maxAbs(wd.sub(complex([1, 1, 3]).re))).toBeLessThan(1e-13);
    const Gd = matmul(mH(Vd), Vd);
    expect(maxAbs(Gd.re.sub(eyeT(3)))).toBeLessThan(1e-13);
    expect(maxAbs(Gd.im)).toBeLessThan(1e-13);
    const R = matmul(Hd, Vd);
    const VL = matmul(Vd, D);
    expect(maxAbs(R.re.sub(VL.re))).toBeLessThan(1e-13);
    expect(maxAbs(R.im.sub(VL.im))).toBeLessThan(1e-13);
    // eigenvalue sums need no gap
    checkGradsComplex((a) => sum(eigvalsh(a as ComplexTensor)), [I], { order: 1 });
  });
});

function eyeT(n: number): Tensor {
  return reshape(
    complex(Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)))).re,
    [n, n],
  );
}
