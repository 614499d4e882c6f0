import { random, tensor } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { fieldSamples } from "../fields/field-system.js";
import { heisenbergFieldSystem, heisenbergTrajectories } from "../fields/heisenberg-samples.js";
import { complexTracelessPart } from "./complex-projection.js";
import { heisenbergConnectionSu2 } from "./field-connections.js";
import { fieldBatch } from "./zero-curvature.js";
import { learnFieldConnection } from "./zero-curvature-learn.js";

const maxDiff = (a: Float64Array, b: Float64Array) =>
  a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe("complexTracelessPart (realified sl(m, ℂ))", () => {
  const A = random.normal(random.key(7), [5, 4, 4]);
  const P = complexTracelessPart(A).toFloat64Array();

  it("is the realification of the complex matrix read off each 2×2 block, minus its complex trace / m", () => {
    // by hand: z_ij = ((A[2i,2j] + A[2i+1,2j+1]) + i(A[2i+1,2j] − A[2i,2j+1]))/2, z − (tr z/2)·1, realified
    const a = A.toFloat64Array();
    const expected = new Float64Array(5 * 16);
    for (let b = 0; b < 5; b++) {
      const at = (r: number, c: number) => a[16 * b + 4 * r + c];
      const z = [0, 1].map((i) =>
        [0, 1].map((j) => [
          (at(2 * i, 2 * j) + at(2 * i + 1, 2 * j + 1)) / 2,
          (at(2 * i + 1, 2 * j) - at(2 * i, 2 * j + 1)) / 2,
        ]),
      );
      const tr = [(z[0][0][0] + z[1][1][0]) / 2, (z[0][0][1] + z[1][1][1]) / 2];
      for (const i of [0, 1]) {
        z[i][i][0] -= tr[0];
        z[i][i][1] -= tr[1];
      }
      for (let r = 0; r < 4; r++)
        for (let c = 0; c < 4; c++) {
          const [re, im] = z[r >> 1][c >> 1];
          expected[16 * b + 4 * r + c] = r % 2 === c % 2 ? re : r % 2 === 0 ? -im : im;
        }
    }
    expect(maxDiff(P, expected)).toBeLessThan(1e-15);
  });

  it("is idempotent and keeps the realified su(2) Heisenberg pair as it is", () => {
    expect(maxDiff(complexTracelessPart(tensor(P, [5, 4, 4])).toFloat64Array(), P)).toBeLessThan(1e-15);
    const data = heisenbergTrajectories({ trajectories: 2, time: 0.1, snapshots: 2, seed: 0 });
    const f = fieldBatch(fieldSamples(heisenbergFieldSystem, data, 32, 1)).f;
    const su2 = heisenbergConnectionSu2(0.4);
    for (const X of [su2.Ax(f), su2.At(f)])
      expect(maxDiff(complexTracelessPart(X).toFloat64Array(), X.toFloat64Array())).toBeLessThan(1e-15);
  });

  it("refuses an odd size", () => {
    expect(() => complexTracelessPart(random.normal(random.key(1), [2, 3, 3]))).toThrow(PhysmlInputError);
  });

  it("as the learner's class: refused with antisymmetric or an odd size", () => {
    const base = {
      adamSteps: 0,
      polishIter: 0,
      seed: 0,
      data: { trajectories: 2, time: 0.01, snapshots: 2 },
    };
    expect(() =>
      learnFieldConnection(heisenbergFieldSystem, { ...base, size: 4, complex: true, antisymmetric: true }),
    ).toThrow(/complex/);
    expect(() => learnFieldConnection(heisenbergFieldSystem, { ...base, size: 3, complex: true })).toThrow(
      PhysmlInputError,
    );
  });
});
