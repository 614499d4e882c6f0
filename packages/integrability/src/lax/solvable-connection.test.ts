// Why a learned connection must also be non-solvable: KdV's mass conservation law written as an
// abelian connection is flat on every solution and keeps every monodromy trace, so the residual and
// the traces alone would pass it; Cartan's ratio tells it from AKNS's connection.
import { add, concat, mul, reshape, slice, type Tensor } from "@physml/autodiff";
import { describe, expect, it } from "vitest";
import { kdvFieldSamples, kdvTrajectories } from "../fields/kdv-samples.js";
import { CARTAN_FLOOR, cartanRatio } from "./cartan-ratio.js";
import { type ConnectionFns, fieldBatch, kdvConnection, zeroCurvatureResidual } from "./zero-curvature.js";

const col = (f: Tensor, k: number) => slice(f, [0, k], [f.shape[0], k + 1]);
const X = [1, 0.3, 0.7, -0.4];
/** g(f)·X for one fixed X: every value commutes with every other. */
const along = (g: Tensor) =>
  reshape(
    concat(
      X.map((x) => mul(g, x)),
      1,
    ),
    [g.shape[0], 2, 2],
  );

/** φ_t + (3φ² + φ_xx)_x = 0 as A_x = φX, A_t = −(3φ² + φ_xx)X (features φ, φ_x, φ_xx, …). */
const massLaw: ConnectionFns = {
  size: 2,
  Ax: (f) => along(col(f, 0)),
  At: (f) => along(mul(add(mul(mul(col(f, 0), col(f, 0)), 3), col(f, 2)), -1)),
};

describe("a solvable connection on KdV data", () => {
  const data = kdvTrajectories({ trajectories: 3, n: 128, length: 30, time: 0.4, snapshots: 3, seed: 11 });
  const batch = fieldBatch(kdvFieldSamples(data, 256, 2, 3));

  it("is flat like AKNS's, and only Cartan's ratio tells them apart", () => {
    const akns = kdvConnection(0.2);
    const flatMass = zeroCurvatureResidual(massLaw, batch);
    const flatAkns = zeroCurvatureResidual(akns, batch);
    // both flat to rounding: f_t comes from the equation itself
    expect(flatMass).toBeLessThan(1e-12);
    expect(flatAkns).toBeLessThan(1e-12);
    expect(cartanRatio(massLaw.Ax(batch.f))).toBeLessThan(1e-20);
    expect(cartanRatio(akns.Ax(batch.f))).toBeGreaterThan(1e3 * CARTAN_FLOOR);
  });
});
