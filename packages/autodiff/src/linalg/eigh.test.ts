// eigh / eigvalsh: values against an independent cyclic-Jacobi eigensolver and the defining
// identities (A·V = V·Λ, VᵀV = I), closed forms, and derivatives against finite differences.
import { describe, expect, it } from "vitest";
import { diagEmbed, expectClose, rand, sym } from "../../test/linalg-helpers.js";
import {
  eigh,
  eigvalsh,
  eye,
  grad,
  LinalgDegeneracyError,
  matmul,
  mT,
  sum,
  type Tensor,
  tensor,
} from "../index.js";
import { checkGrads } from "../testing/index.js";

/** Naive cyclic Jacobi on a dense symmetric matrix: the independent reference for eigenvalues. */
function jacobiEigenvalues(a: number[][]): number[] {
  const n = a.length;
  const m = a.map((r) => [...r]);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p][q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (m[p][q] === 0) continue;
        const th = (m[q][q] - m[p][p]) / (2 * m[p][q]);
        const t = Math.sign(th || 1) / (Math.abs(th) + Math.sqrt(th * th + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k][p];
          const mkq = m[k][q];
          m[k][p] = c * mkp - s * mkq;
          m[k][q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p][k];
          const mqk = m[q][k];
          m[p][k] = c * mpk - s * mqk;
          m[q][k] = s * mpk + c * mqk;
        }
      }
    }
  }
  return m.map((r, i) => r[i]).sort((x, y) => x - y);
}

describe("eigh values", () => {
  it("matches cyclic Jacobi; reconstructs A; V is orthonormal (n = 1…40, batched)", () => {
    for (const n of [1, 2, 3, 7, 16, 40]) {
      const A = sym(rand([3, n, n], n));
      const { values, vectors: V } = eigh(A);
      expect(values.shape).toEqual([3, n]);
      expect(V.shape).toEqual([3, n, n]);
      const scale = n * 2e-15 * Math.max(...A.toFloat64Array().map(Math.abs)) * n;
      (A.toArray() as number[][][]).forEach((m, b) => {
        expectClose(values.toFloat64Array().subarray(b * n, (b + 1) * n), jacobiEigenvalues(m), scale);
      });
      expectClose(matmul(matmul(V, diagEmbed(values)), mT(V)), A, scale);
      expectClose(matmul(mT(V), V), eye(n), n * 4e-16 * 4);
      const v = V.toFloat64Array();
      for (let b = 0; b < 3; b++) {
        for (let j = 0; j < n; j++) {
          let big = 0;
          for (let i = 0; i < n; i++) {
            const x = v[b * n * n + i * n + j];
            if (Math.abs(x) > Math.abs(big)) big = x;
          }
          expect(big).toBeGreaterThan(0);
        }
      }
    }
  });

  it("closed forms: 2×2, a diagonal matrix, the path-graph Laplacian", () => {
    const { values, vectors } = eigh(
      tensor([
        [2, 1],
        [1, 2],
      ]),
    );
    expectClose(values, [1, 3], 1e-15);
    // columns ±(1, −1)/√2 and ±(1, 1)/√2 (the sign rule cannot pick between equal magnitudes)
    const [[a, b], [c, d]] = vectors.toArray() as number[][];
    expectClose(Float64Array.of(a * c, b * d, a * a, b * b), [-0.5, 0.5, 0.5, 0.5], 1e-15);
    expectClose(
      eigh(
        tensor([
          [3, 0, 0],
          [0, -1, 0],
          [0, 0, 2],
        ]),
      ).values,
      [-1, 2, 3],
      0,
    );
    // tridiagonal (2, −1): λ_k = 2 − 2 cos(kπ/(n+1))
    const n = 12;
    const L = Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => (i === j ? 2 : Math.abs(i - j) === 1 ? -1 : 0)),
    );
    const exact = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1)));
    expectClose(eigh(tensor(L)).values, exact, 1e-14);
  });

  it("reads the symmetric part; eigvalsh equals eigh's values bit for bit", () => {
    const A = rand([2, 5, 5], 3);
    expectClose(eigh(A).values, eigh(sym(A).mul(0.5)).values, 0);
    expect(eigvalsh(A).toFloat64Array()).toEqual(eigh(A).values.toFloat64Array());
  });

  it("bad input is a typed error", () => {
    expect(() => eigh(rand([3, 4], 1))).toThrow(/eigh.x/);
    expect(() =>
      eigh(
        tensor([
          [Number.NaN, 0],
          [0, 1],
        ]),
      ),
    ).toThrow(/eigh.x/);
  });
});

describe("eigh derivatives", () => {
  const A = rand([2, 4, 4], 21);
  const cases: [string, (x: Tensor) => Tensor][] = [
    ["values", (x) => eigh(x).values],
    ["vectors", (x) => eigh(x).vectors],
    ["eigvalsh", (x) => eigvalsh(x)],
  ];
  for (const [name, f] of cases) {
    it(`${name}: order 2, fwd and rev, vs finite differences`, () => {
      expect(() => checkGrads(f, [A], { order: 2, eps: 1e-3, rtol: 1e-5, atol: 1e-7 })).not.toThrow();
    });
  }

  it("d tr(A) = I through the eigenvalues; d λ_max = v vᵀ", () => {
    const S = sym(rand([4, 4], 5));
    expectClose(grad((x: Tensor) => sum(eigh(x).values))(S), eye(4), 1e-13);
    const { vectors } = eigh(S);
    const v = vectors.toArray() as number[][];
    const top = v.map((r) => r[3]);
    const outer = top.flatMap((a) => top.map((b) => a * b));
    expectClose(grad((x: Tensor) => sum(eigvalsh(x).mul(tensor([0, 0, 0, 1]))))(S), outer, 1e-13);
  });

  it("at a degeneracy: eigenvector derivatives throw LinalgDegeneracyError, eigvalsh's do not", () => {
    const I3 = tensor([
      [2, 0, 0],
      [0, 2, 0],
      [0, 0, 5],
    ]);
    expect(() => grad((x: Tensor) => sum(eigh(x).vectors))(I3)).toThrow(LinalgDegeneracyError);
    expect(() => grad((x: Tensor) => sum(eigh(x).values))(I3)).toThrow(LinalgDegeneracyError);
    // d(λ₁ + λ₂ + λ₃) = I even at the degeneracy
    expectClose(grad((x: Tensor) => sum(eigvalsh(x)))(I3), eye(3), 1e-15);
    // the value is still computed
    expectClose(eigh(I3).values, [2, 2, 5], 1e-15);
  });
});
