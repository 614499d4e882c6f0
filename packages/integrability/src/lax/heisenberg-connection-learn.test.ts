import { mul, sub, type Tensor, transpose } from "@physml/autodiff";
import { beforeAll, describe, expect, it } from "vitest";
import { heisenbergKnownParams, heisenbergModel } from "../../test/heisenberg-known-params.js";
import { fieldSamples } from "../fields/field-system.js";
import { heisenbergFieldSystem } from "../fields/heisenberg-samples.js";
import { learnLaxConnection } from "./field-connection-systems.js";
import { heisenbergConnection } from "./field-connections.js";
import { type ConnectionFns, fieldBatch, zeroCurvatureResidual } from "./zero-curvature.js";

// a short run on a small data set: 3 trajectories (spin wave, two smooth textures) over t ∈ [0, 0.2].
// Seed 0's are resolved (known connection 1e-14 on each); seed 3's third texture is aliased to
// 3e-6, and Levenberg–Marquardt fitted that error, moving 2e-5 away from the known connection
// (measured), so the seed matters.
const DATA = { trajectories: 3, time: 0.2, snapshots: 3 };
const LAMBDA = 0.5;
const SEED = 0;

/** The axial vector a of an antisymmetric 3×3 A = [a]×, per batch row. */
function axial(A: Tensor): number[][] {
  const v = A.toFloat64Array();
  return Array.from({ length: A.shape[0] }, (_, b) => [v[9 * b + 7], v[9 * b + 2], v[9 * b + 3]]);
}

const dot = (a: number[], b: number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/**
 * The largest deviation from the known connection's pointwise invariants, which a constant
 * rotation R keeps: with A_x = [λRS]×, A_t = [R(−λ²S + λ S × S_x)]× (|S| = 1, S·S_x = 0),
 * |a_x|² = λ², a_x·a_t = −λ³ and |a_t|² = λ⁴ + λ²|S_x|². λ (signed) is read from the mean of
 * −a_x·a_t/|a_x|²; the deviations are relative to λ², λ³ and λ⁴.
 */
function invariantError(c: ConnectionFns, f: Tensor): { lambda: number; error: number } {
  const ax = axial(c.Ax(f));
  const at = axial(c.At(f));
  const F = f.toFloat64Array();
  const lambda = ax.reduce((s, a, b) => s - dot(a, at[b]) / dot(a, a), 0) / ax.length;
  const l2 = lambda * lambda;
  let error = 0;
  ax.forEach((a, b) => {
    const sx = [F[6 * b + 3], F[6 * b + 4], F[6 * b + 5]];
    error = Math.max(
      error,
      Math.abs(dot(a, a) - l2) / l2,
      Math.abs(dot(a, at[b]) + l2 * lambda) / Math.abs(l2 * lambda),
      Math.abs(dot(at[b], at[b]) - l2 * l2 - l2 * dot(sx, sx)) / (l2 * l2),
    );
  });
  return { lambda, error };
}

describe("learnLaxConnection (Heisenberg, so(3) affine on the quadratic lift) from near the known connection", () => {
  let r: ReturnType<typeof learnLaxConnection>;
  let start: ConnectionFns;
  let held: Tensor;
  beforeAll(() => {
    const init = heisenbergKnownParams(LAMBDA, 1e-3);
    r = learnLaxConnection("heisenberg", {
      samples: 256,
      adamSteps: 0,
      polishIter: 12,
      seed: SEED,
      data: DATA,
      init,
    });
    const model = heisenbergModel();
    // the learner's so(3) projection
    const anti = (A: Tensor) => mul(sub(A, transpose(A, [0, 2, 1])), 0.5);
    start = { size: 3, Ax: (f) => anti(model.L(init, f)), At: (f) => anti(model.M(init, f)) };
    held = fieldBatch(fieldSamples(heisenbergFieldSystem, r.heldOut, 256, 99)).f;
    // ~8 s alone; a run that shares the cores with other jobs once took over a minute.
  }, 180_000);

  it("the known connection is flat on the held-out samples to the data's error", () => {
    const b = fieldBatch(fieldSamples(heisenbergFieldSystem, r.heldOut, 256, 99));
    // 9e-9 is the aliasing level of |S| = 1, S·S_x = 0 at N = 128 (README)
    expect(zeroCurvatureResidual(heisenbergConnection(LAMBDA), b)).toBeLessThan(1e-7);
    // the perturbed start is not (measured 1.3e-2): the run has something to do
    expect(zeroCurvatureResidual(start, b)).toBeGreaterThan(5e-3);
  });

  it("returns to a flat connection that conserves its monodromy trace", () => {
    // measured 3.8e-9 after 12 Levenberg–Marquardt iterations (5 left it at 1.6e-4)
    expect(r.residual).toBeLessThan(1e-6);
    expect(r.validation.passed).toBe(true);
    // the smooth textures are checked; the spin wave only translates
    expect(r.validation.checked).toEqual([1, 2]);
  });

  it("is the known connection up to a constant rotation and the scale λ", () => {
    const before = invariantError(start, held);
    const after = invariantError(r.connection, held);
    // measured 4.3e-2 before and 1.5e-8 after
    expect(before.error).toBeGreaterThan(1e-2);
    expect(after.error).toBeLessThan(1e-6);
    // λ may slide along the flat family, but only by about the size of the perturbation
    // (measured 0.50005); the setup's Killing-form readout agrees
    expect(Math.abs(after.lambda - LAMBDA)).toBeLessThan(1e-2);
    expect(r.reference.value).toBeCloseTo(Math.abs(after.lambda), 6);
  });
});
