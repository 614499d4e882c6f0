// The fixed start's coefficient against its definition: the so(3) coefficient of a 3×3 affine map
// is the upper triangle of its antisymmetric part, row by row (the family model's outputs).
import { matmul, reshape, type Tensor, tensor } from "@physml/autodiff";
import type { LinearParams } from "@physml/autodiff/nn";
import { describe, expect, it } from "vitest";
import { antisymmetricCoefficient } from "./spectral-fixed-start.js";

const values = (t: Tensor) => Array.from(t.toFloat64Array());

describe("antisymmetricCoefficient", () => {
  it("gives the entries above the diagonal of (A − Aᵀ)/2 row by row", () => {
    const W = Float64Array.from({ length: 2 * 9 }, (_, i) => Math.sin(1 + i));
    const B = Float64Array.from({ length: 9 }, (_, i) => Math.cos(2 + i));
    const c = antisymmetricCoefficient({ w: tensor(W, [2, 9]), b: tensor(B, [9]) } as LinearParams, 3);
    const x = tensor(Float64Array.of(0.3, -1.2), [1, 2]);
    const A = values(reshape(matmul(x, tensor(W, [2, 9])), [9])).map((v, i) => v + B[i]);
    const up = values(matmul(x, c.w)).map((v, i) => v + c.b.toFloat64Array()[i]);
    const expected = [
      [0, 1],
      [0, 2],
      [1, 2],
    ].map(([i, j]) => (A[3 * i + j] - A[3 * j + i]) / 2);
    for (const [i, v] of up.entries()) expect(Math.abs(v - expected[i])).toBeLessThan(1e-14);
  });
});
