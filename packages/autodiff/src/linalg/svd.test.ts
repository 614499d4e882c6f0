// svd / svdvals: reconstruction, orthonormality, singular values against eigenvalues of AᵀA
// (a different algorithm) and closed forms, rank deficiency, derivatives vs finite differences.
import { describe, expect, it } from "vitest";
import { diagEmbed, expectClose, rand } from "../../test/linalg-helpers.js";
import {
  eigh,
  eigvalsh,
  eye,
  grad,
  LinalgDegeneracyError,
  matmul,
  mT,
  qr,
  sum,
  svd,
  svdvals,
  type Tensor,
  tensor,
} from "../index.js";
import { checkGrads } from "../testing/index.js";

describe("svd values", () => {
  it("tall, square, wide batches: U·diag(s)·Vᵀ = A, orthonormal U and V, s² = eig(AᵀA)", () => {
    for (const [m, n] of [
      [1, 1],
      [6, 3],
      [5, 5],
      [3, 7],
      [40, 12],
    ]) {
      const A = rand([2, m, n], m * 100 + n);
      const { u, s, v } = svd(A);
      const k = Math.min(m, n);
      expect([u.shape, s.shape, v.shape]).toEqual([
        [2, m, k],
        [2, k],
        [2, n, k],
      ]);
      expectClose(matmul(matmul(u, diagEmbed(s)), mT(v)), A, 1e-13);
      expectClose(matmul(mT(u), u), eye(k), 1e-14);
      expectClose(matmul(mT(v), v), eye(k), 1e-14);
      const sv = s.toFloat64Array();
      const G = m >= n ? matmul(mT(A), A) : matmul(A, mT(A));
      const ev = eigvalsh(G).toFloat64Array(); // ascending
      for (let b = 0; b < 2; b++) {
        for (let i = 0; i < k; i++) {
          expect(sv[b * k + i]).toBeGreaterThanOrEqual(i + 1 < k ? sv[b * k + i + 1] : 0);
          expect(sv[b * k + i] ** 2).toBeCloseTo(ev[b * k + k - 1 - i], 11);
        }
      }
    }
  });

  it("closed forms: diag(3, −2), a rank-one matrix, the zero matrix", () => {
    const { u, s, v } = svd(
      tensor([
        [3, 0],
        [0, -2],
      ]),
    );
    expectClose(s, [3, 2], 0);
    expectClose(matmul(matmul(u, diagEmbed(s)), mT(v)), [3, 0, 0, -2], 1e-15);
    // a bᵀ with |a| = 3, |b| = 5: s = [15, 0], U and V still orthonormal
    const r1 = tensor([[2, 1, 2]])
      .reshape([3, 1])
      .mul(tensor([[3, 4]]));
    const f = svd(r1);
    expectClose(f.s, [15, 0], 1e-14);
    expectClose(matmul(mT(f.u), f.u), eye(2), 1e-15);
    expectClose(matmul(matmul(f.u, diagEmbed(f.s)), mT(f.v)), r1, 1e-14);
    const z = svd(
      tensor([
        [0, 0],
        [0, 0],
        [0, 0],
      ]),
    );
    expectClose(z.s, [0, 0], 0);
    expectClose(matmul(mT(z.u), z.u), eye(2), 1e-15);
  });

  it("rank-one blocks with a zero row converge: s = [|a||b|, 0, …], U·diag(s)·Vᵀ = A", () => {
    // a zero row keeps the columns exactly parallel; these once failed to converge
    const rows = (a: number[], b: number[]) => a.map((ai) => b.map((bj) => ai * bj));
    const cases = [
      [
        [0, 0],
        [-0.3735837958120464, 1.2347429922728088],
      ],
      rows([0, 1.2038242188252923, 1.411811297503781], [1, -1.20813430122839, -1.1951040839632745]),
      rows([0, -0.21079731992642622, -0.4712034864552682, -3.4993864359524505], [1, 0.6527, 0.4143, -1.2002]),
    ];
    for (const c of cases) {
      const A = tensor(c);
      const fro = Math.hypot(...c.flat());
      const { u, s, v } = svd(A);
      const sv = s.toFloat64Array();
      expect(Math.abs(sv[0] - fro)).toBeLessThan(4e-16 * fro);
      for (const x of sv.slice(1)) expect(x).toBeLessThan(1e-15 * fro);
      expectClose(matmul(matmul(u, diagEmbed(s)), mT(v)), A, 1e-15 * fro);
      expectClose(matmul(mT(v), v), eye(c[0].length), 1e-15);
      expectClose(svdvals(mT(A)), sv, 1e-15 * fro);
    }
  });
});

describe("svd derivatives (order 2, fwd and rev) vs finite differences", () => {
  // with a step of 1e-3 the finite differences of the first case's second derivatives disagree
  // (the stencil is too wide for them); steps of 3e-4 and 1e-4 agree with both modes
  const opts = { order: 2, eps: 3e-4, rtol: 1e-6, atol: 1e-8 };
  const cases: [string, (x: Tensor) => Tensor, Tensor][] = [
    ["tall u", (x) => svd(x).u, rand([2, 5, 3], 41)],
    ["tall s", (x) => svd(x).s, rand([5, 3], 42)],
    ["tall v", (x) => svd(x).v, rand([5, 3], 43)],
    ["square u·v", (x) => matmul(svd(x).u, mT(svd(x).v)), rand([2, 3, 3], 44)],
    ["wide u, s, v", (x) => svd(x).v.sum([-1]).add(svd(x).s.sum()).add(svd(x).u.sum()), rand([3, 5], 45)],
    ["svdvals", (x) => svdvals(x), rand([2, 4, 3], 46)],
  ];
  for (const [name, f, A] of cases) {
    it(name, () => {
      expect(() => checkGrads(f, [A], opts)).not.toThrow();
    });
  }

  it("degenerate singular values: vector derivatives throw, svdvals' do not", () => {
    const Q = eye(3);
    expect(() => grad((x: Tensor) => sum(svd(x).u))(Q)).toThrow(LinalgDegeneracyError);
    // nuclear norm of the identity: gradient U Vᵀ = I
    expectClose(grad((x: Tensor) => sum(svdvals(x)))(Q), eye(3), 1e-15);
  });
});

describe("extreme scales", () => {
  it("svd, qr and eigh of A·10^±200 are those of A, scaled", () => {
    const A = rand([6, 4], 50);
    const S = A.add(mT(rand([4, 6], 51))).slice([0, 0], [4, 4]);
    const Ss = S.add(mT(S));
    for (const f of [1e200, 1e-200]) {
      const a = svd(A);
      const b = svd(A.mul(f));
      expectClose(b.s.mul(1 / f), a.s, 1e-14);
      expectClose(b.u, a.u, 1e-14);
      expectClose(b.v, a.v, 1e-14);
      const qa = qr(A);
      const qb = qr(A.mul(f));
      expectClose(qb.q, qa.q, 1e-14);
      expectClose(qb.r.mul(1 / f), qa.r, 1e-14);
      const ea = eigh(Ss);
      const eb = eigh(Ss.mul(f));
      expectClose(eb.values.mul(1 / f), ea.values, 1e-13);
      expectClose(eb.vectors, ea.vectors, 1e-13);
    }
    expect(() =>
      qr(
        tensor([
          [Number.NaN, 1],
          [1, 1],
        ]),
      ),
    ).toThrow(/qr.x/);
  });
});
