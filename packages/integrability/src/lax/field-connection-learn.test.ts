import { tensor } from "@physml/autodiff";
import { beforeAll, describe, expect, it } from "vitest";
import { learnLaxConnection } from "./field-connection-systems.js";

const det = (m: number[]) => m[0] * m[3] - m[1] * m[2];

describe("learnLaxConnection (sine-Gordon, affine in φ_x, φ_t, sin φ, cos φ)", () => {
  // seed 0 at these settings reaches the connection; seed 1 stalls at a held-out residual of 0.11
  // (measured): the learner validates and says so, see the README
  let r: ReturnType<typeof learnLaxConnection>;
  beforeAll(() => {
    r = learnLaxConnection("sine-gordon", {
      samples: 256,
      adamSteps: 200,
      polishIter: 20,
      seed: 0,
      data: { trajectories: 3, time: 1, snapshots: 5 },
    });
  });

  it("is flat on held-out trajectories and conserves its monodromy trace like the known one", () => {
    expect(r.residual).toBeLessThan(1e-6);
    for (const v of r.monodromy.variation) expect(v).toBeLessThan(1e-3);
    expect(r.validation).toEqual({ passed: true, failures: [], checked: [0, 1, 2] });
  });

  it("is the known connection at some k in a constant gauge (gauge-invariant determinants)", () => {
    // the model is affine, so A(f) = C₀ + Σ C_k f_k exactly: read C_k off at the unit vectors
    const at = (A: (f: ReturnType<typeof tensor>) => ReturnType<typeof tensor>) => {
      const rows = [0, 1, 2, 3, 4].map((k) =>
        Float64Array.from({ length: 4 }, (_, j) => (j === k - 1 ? 1 : 0)),
      );
      const v = A(tensor(Float64Array.from(rows.flatMap((x) => [...x])), [5, 4])).toFloat64Array();
      const C = (i: number) => Array.from(v.subarray(4 * i, 4 * i + 4));
      const c0 = C(0);
      return [c0, ...[1, 2, 3, 4].map((i) => C(i).map((x, j) => x - c0[j]))];
    };
    const [x0, xPhiX, xPhiT, xSin, xCos] = at(r.connection.Ax);
    const [t0, tPhiX, tPhiT, tSin, tCos] = at(r.connection.At);
    const close = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));
    // known: A_x = (k/4)σ₃ + (cos φ σ₃ + sin φ σ₁)/(4k) − ((φ_x + φ_t)/4)J, A_t the same with
    // the (4k)⁻¹ part negated; a constant gauge g·g⁻¹ keeps every determinant and these relations
    expect(close(xPhiX, xPhiT)).toBeLessThan(1e-6);
    expect(close(tPhiX, xPhiX)).toBeLessThan(1e-6);
    expect(close(tPhiT, xPhiT)).toBeLessThan(1e-6);
    expect(close(t0, x0)).toBeLessThan(1e-6);
    expect(
      close(
        tSin,
        xSin.map((v) => -v),
      ),
    ).toBeLessThan(1e-6);
    expect(
      close(
        tCos,
        xCos.map((v) => -v),
      ),
    ).toBeLessThan(1e-6);
    expect(det(xPhiX)).toBeCloseTo(1 / 16, 6); // det(J/4)
    expect(det(xSin)).toBeCloseTo(det(xCos), 6); // −1/(16k²) both
    expect(det(x0) * det(xCos)).toBeCloseTo(1 / 256, 6); // (−k²/16)(−1/(16k²)), whatever k
  });
});
