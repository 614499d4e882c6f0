// What the Heisenberg learner tests compare a learned so(3) connection with: the known connection's
// pointwise invariants, which no constant rotation changes, so they hold in whatever gauge
// training ended in.
import { mul, sub, type Tensor, transpose } from "@physml/autodiff";
import type { LaxModel, LaxParams } from "../src/lax/model.js";
import type { ConnectionFns } from "../src/lax/zero-curvature.js";

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
 * −a_x·a_t/|a_x|²; the deviations are relative to λ², λ³ and λ⁴. `f` holds the features
 * (S, S_x) per row.
 */
export function invariantError(c: ConnectionFns, f: Tensor): { lambda: number; error: number } {
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

/**
 * The connection the so(3) learner sees at parameters `p` of `model`: the antisymmetric part
 * (A − Aᵀ)/2 of both networks' outputs, its projection (antisymmetric matrices have no trace, so
 * the traceless part it evaluates is the same).
 */
export function so3Connection(model: LaxModel, p: LaxParams): ConnectionFns {
  const anti = (A: Tensor) => mul(sub(A, transpose(A, [0, 2, 1])), 0.5);
  return { size: model.size, Ax: (f) => anti(model.L(p, f)), At: (f) => anti(model.M(p, f)) };
}
