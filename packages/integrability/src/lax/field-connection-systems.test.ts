import { matmul, tensor } from "@physml/autodiff";
import { describe, expect, it } from "vitest";
import { fieldConnectionSetup } from "./field-connection-systems.js";
import { type ConnectionFns, kdvConnection } from "./zero-curvature.js";

describe("the KdV connection setup", () => {
  it("reads λ off the AKNS connection in a constant gauge, with a trace added", () => {
    // g⁻¹ A g with g = [[1, 2], [0.5, 3]] (det 2), plus 0.7·1: a learned A_x could be any of these
    const g = tensor(Float64Array.from([1, 2, 0.5, 3]), [1, 2, 2]);
    const gInv = tensor(Float64Array.from([1.5, -1, -0.25, 0.5]), [1, 2, 2]);
    const s = fieldConnectionSetup("kdv");
    for (const lambda of [0.3, -0.15]) {
      const k = kdvConnection(lambda);
      const gauged: ConnectionFns = {
        size: 2,
        Ax: (f) => {
          const A = matmul(matmul(gInv, k.Ax(f)), g).toFloat64Array();
          return tensor(
            A.map((v, i) => v + (i % 4 === 0 || i % 4 === 3 ? 0.7 : 0)),
            [f.shape[0], 2, 2],
          );
        },
        At: k.At,
      };
      expect(s.parameterOf(gauged, tensor(new Float64Array(3), [1, 3]), true)).toBeCloseTo(lambda, 12);
    }
  });
});
