// nn/mlp-hessian-tangent: tanhTangent against the tanhGrad it replaces in mlpInputHessian (value
// and gradient bit for bit), its derivatives to second order against finite differences (which
// also runs the reverse rule's traced fallback), vmap against a loop, and the input checks by the
// field they name.

import { refusal } from "@physml/lattice-core/testing";
import { describe, expect, it } from "vitest";
import { bits } from "../../test/values.js";
import { AutodiffInputError } from "../errors.js";
import { grad, mul, random, reshape, stack, sum, type Tensor, tanh, tanhGrad, vmap } from "../index.js";
import { checkGrads } from "../testing/index.js";
import { tanhTangent } from "./mlp-hessian-tangent.js";

const key = (i: number) => random.key(40 + i);

describe("tanhTangent", () => {
  for (const [B, d, n] of [
    [64, 10, 64],
    [3, 4, 5],
  ]) {
    const y = tanh(random.normal(key(10), [B, n]));
    const V = random.normal(key(11), [B, d, n]);
    for (const shared of [false, true]) {
      const J = random.normal(key(12), shared ? [d, n] : [B, d, n]);
      const viaOps = (yy: Tensor, j: Tensor) => tanhGrad(reshape(yy, [B, 1, n]), j);

      it(`is tanhGrad's value and gradient, bit for bit (B ${B}, d ${d}, n ${n}, shared J ${shared})`, () => {
        expect(bits(tanhTangent(y, J)).equals(bits(viaOps(y, J)))).toBe(true);
        const f = (op: typeof viaOps) =>
          grad((yy: Tensor, j: Tensor) => sum(mul(op(yy, j), V)), [0, 1])(y, J) as Tensor[];
        const [gy, gj] = f(tanhTangent);
        const [wy, wj] = f(viaOps);
        expect(bits(gy).equals(bits(wy))).toBe(true);
        expect(bits(gj).equals(bits(wj))).toBe(true);
      });
    }
  }

  it("has first and second derivatives matching finite differences", () => {
    const y = tanh(random.normal(key(13), [3, 5]));
    for (const shape of [
      [3, 4, 5],
      [4, 5],
    ]) {
      const J = random.normal(key(14), shape);
      const V = random.normal(key(15), [3, 4, 5]);
      checkGrads((yy: Tensor, j: Tensor) => sum(mul(tanhTangent(yy, j), V)), [y, J], { order: 2 });
    }
  });

  it("maps under vmap as a loop over the examples does (mapped, shared and per-example J)", () => {
    const y = tanh(random.normal(key(16), [2, 3, 5]));
    const J3 = random.normal(key(17), [2, 3, 4, 5]);
    const J2 = random.normal(key(18), [4, 5]);
    const Jm = random.normal(key(19), [2, 4, 5]);
    const ex = (t: Tensor, i: number) =>
      t.slice([i, ...t.shape.slice(1).map(() => 0)], [i + 1, ...t.shape.slice(1)]).reshape(t.shape.slice(1));
    const loop = (j: (i: number) => Tensor) => stack([0, 1].map((i) => tanhTangent(ex(y, i), j(i))));
    expect(bits(vmap(tanhTangent)(y, J3)).equals(bits(loop((i) => ex(J3, i))))).toBe(true);
    expect(bits(vmap(tanhTangent, [0, null])(y, J2)).equals(bits(loop(() => J2)))).toBe(true);
    expect(bits(vmap(tanhTangent)(y, Jm)).equals(bits(loop((i) => ex(Jm, i))))).toBe(true);
  });

  it("names the field it rejects", () => {
    const y = random.normal(key(20), [3, 5]);
    expect(
      refusal(() => tanhTangent(reshape(y, [15]), random.normal(key(21), [4, 5])), AutodiffInputError).field,
    ).toBe("tanhTangent.y");
    expect(refusal(() => tanhTangent(y, random.normal(key(21), [2, 4, 5])), AutodiffInputError).field).toBe(
      "tanhTangent.j",
    );
    expect(refusal(() => tanhTangent(y, random.normal(key(21), [4, 6])), AutodiffInputError).field).toBe(
      "tanhTangent.j",
    );
  });
});
