// Batched tangents: jacobian(f, "fwd") pushes all basis directions through each forward rule at
// once (a leading tangent batch dim, nb = 1), jacobian(f, "rev") pulls back one row at a time.
// Agreement checks every rule's handling of the tangent batch against its own adjoint, for the
// new decompositions and the existing LU/Cholesky ops, on batched and broadcast inputs; the
// Hessians (forward over reverse) must also be symmetric.
import { describe, expect, it } from "vitest";
import { expectClose, rand, spd, wellCond } from "../../test/linalg-helpers.js";
import {
  cholesky,
  det,
  eigh,
  eigvalsh,
  expm,
  hessian,
  inverse,
  jacobian,
  logdet,
  lstsq,
  matrixPower,
  mT,
  pca,
  qr,
  solve,
  solveTriangular,
  sum,
  svd,
  svdvals,
  type Tensor,
} from "../index.js";

const B = rand([2, 3, 2], 7);
const cases: [string, (x: Tensor) => Tensor, Tensor][] = [
  ["eigh vectors", (x) => eigh(x).vectors, rand([2, 3, 3], 1)],
  ["eigvalsh", (x) => eigvalsh(x), rand([2, 3, 3], 2)],
  [
    "qr (tall)",
    (x) =>
      qr(x)
        .q.add(0)
        .sum([-1])
        .add(qr(x).r.sum([-1, -2]).reshape([2, 1])),
    rand([2, 4, 3], 3),
  ],
  ["svd", (x) => svd(x).u.sum([-1]).add(svd(x).v.sum()), rand([2, 4, 3], 4)],
  ["svdvals", (x) => svdvals(x), rand([3, 4], 5)],
  ["expm", (x) => expm(x), rand([2, 3, 3], 6).mul(0.7)],
  ["solveTriangular (broadcast)", (x) => solveTriangular(x, B), wellCond(1, 3, 8).reshape([3, 3])],
  ["lstsq (broadcast B)", (x) => lstsq(x, rand([1, 4, 2], 9)), rand([2, 4, 3], 10)],
  ["pca", (x) => pca(x).components, rand([6, 3], 11)],
  ["matrixPower", (x) => matrixPower(x, 3), rand([2, 3, 3], 12)],
  ["existing: det, logdet", (x) => det(x).add(logdet(x)), wellCond(2, 3, 13)],
  ["existing: inverse", (x) => inverse(x), wellCond(2, 3, 14)],
  ["existing: solve (broadcast A)", (x) => solve(x, B), wellCond(1, 3, 15).reshape([3, 3])],
  ["existing: cholesky", (x) => cholesky(spd(x)), rand([2, 3, 3], 16)],
];

describe("forward rules with a batch of tangents agree with the reverse rules", () => {
  for (const [name, f, x] of cases) {
    it(name, () => {
      const jf = jacobian(f, "fwd")(x);
      const jr = jacobian(f, "rev")(x);
      expect(jf.shape).toEqual(jr.shape);
      expectClose(jf, jr, 1e-11 * Math.max(1, ...jr.toFloat64Array().map(Math.abs)));
    });
  }

  it("Hessians (forward over reverse) of scalar spectral functions are symmetric", () => {
    const x = rand([3, 3], 17);
    for (const g of [
      (z: Tensor) => sum(eigh(z.add(mT(z))).values.mul(eigh(z.add(mT(z))).values)),
      (z: Tensor) => sum(svdvals(z)),
      (z: Tensor) => sum(expm(z).mul(expm(z))),
    ]) {
      const H = hessian((v: Tensor) => g(v.reshape([3, 3])))(x.reshape([9]));
      expectClose(H, mT(H), 1e-10 * Math.max(1, ...H.toFloat64Array().map(Math.abs)));
    }
  });
});
