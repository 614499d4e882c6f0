// nn/mlp-hessian-gram: weightedGram against the ops it replaces in mlpInputHessian (values, and
// gradients through the concrete kernels), its derivatives to second order against finite
// differences (which also runs the reverse rule's traced fallback), vmap against a loop, and the
// input checks by the field they name.

import { refusal } from "@physml/lattice-core/testing";
import { describe, expect, it } from "vitest";
import { bits, relToMax } from "../../test/values.js";
import { AutodiffInputError } from "../errors.js";
import { grad, matmulT, mul, random, reshape, stack, sum, type Tensor, vmap } from "../index.js";
import { checkGrads } from "../testing/index.js";
import { weightedGram } from "./mlp-hessian-gram.js";

const key = (i: number) => random.key(40 + i);

describe("weightedGram", () => {
  // 64 samples of [10, 64] (the SIMD kernels) and 3 of [4, 5] (the JavaScript ones, padded rows)
  for (const [B, d, n] of [
    [64, 10, 64],
    [3, 4, 5],
  ]) {
    const J = random.normal(key(0), [B, d, n]);
    const c = random.normal(key(1), [B, n]);
    const V = random.normal(key(2), [B, d, d]);
    const viaOps = (j: Tensor, cc: Tensor) => matmulT(mul(j, reshape(cc, [B, 1, n])), j, false, true);

    it(`equals (J ⊙ c)·Jᵀ and is symmetric (B ${B}, d ${d}, n ${n})`, () => {
      const H = weightedGram(J, c);
      expect(H.shape).toEqual([B, d, d]);
      expect(relToMax(H, viaOps(J, c))).toBeLessThan(1e-14 * n);
      const h = H.toFloat64Array();
      for (let b = 0; b < B; b++)
        for (let i = 0; i < d; i++)
          for (let k = 0; k < d; k++) expect(h[(b * d + i) * d + k]).toBe(h[(b * d + k) * d + i]);
    });

    it(`has the gradient of the ops it replaces (B ${B}, d ${d}, n ${n})`, () => {
      const [gj, gc] = grad((j: Tensor, cc: Tensor) => sum(mul(weightedGram(j, cc), V)), [0, 1])(
        J,
        c,
      ) as Tensor[];
      const [wj, wc] = grad((j: Tensor, cc: Tensor) => sum(mul(viaOps(j, cc), V)), [0, 1])(J, c) as Tensor[];
      expect(relToMax(gj, wj)).toBeLessThan(1e-14 * d);
      expect(relToMax(gc, wc)).toBeLessThan(1e-14 * d * d);
    });
  }

  it("has first and second derivatives matching finite differences", () => {
    const J = random.normal(key(3), [3, 4, 5]);
    const c = random.normal(key(4), [3, 5]);
    const V = random.normal(key(5), [3, 4, 4]);
    checkGrads((j: Tensor, cc: Tensor) => sum(mul(weightedGram(j, cc), V)), [J, c], { order: 2 });
  });

  it("maps under vmap as a loop over the examples does", () => {
    const J = random.normal(key(6), [2, 3, 4, 5]);
    const c = random.normal(key(7), [2, 3, 5]);
    const mapped = vmap(weightedGram)(J, c);
    const looped = stack(
      [0, 1].map((i) =>
        weightedGram(
          J.slice([i, 0, 0, 0], [i + 1, 3, 4, 5]).reshape([3, 4, 5]),
          c.slice([i, 0, 0], [i + 1, 3, 5]).reshape([3, 5]),
        ),
      ),
    );
    expect(bits(mapped).equals(bits(looped))).toBe(true);
  });

  it("names the field it rejects", () => {
    const J = random.normal(key(8), [3, 4, 5]);
    expect(
      refusal(() => weightedGram(reshape(J, [60]), random.normal(key(9), [5])), AutodiffInputError).field,
    ).toBe("weightedGram.j");
    expect(refusal(() => weightedGram(J, random.normal(key(9), [3, 4])), AutodiffInputError).field).toBe(
      "weightedGram.c",
    );
  });
});
