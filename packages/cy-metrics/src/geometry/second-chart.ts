// A second chart for points that lie well inside two patches: the patch of the second-largest
// |z_j| (when |z_j| ≥ a threshold, so the transition is well conditioned), with its dependent
// coordinate chosen by the usual rule there. The transition loss compares a metric model's
// values in the two charts of the same point.
import { transitionJacobian } from "./patches.js";
import { evalQuintic, N_COORDS, type Quintic } from "./quintic.js";
import type { PointsView } from "./sample.js";

/** Points of a batch seen in their second chart. */
export interface SecondCharts {
  /** Which points of the batch (offsets from `from`). */
  index: number[];
  /** Those points normalised in their second chart (z_patch = 1 there). */
  view: PointsView;
  /** m × 9 interleaved transition Jacobians J_{ba} = ∂y_b/∂x_a: g^first = Jᵀ g^second J̄. */
  jacobian: Float64Array;
}

/** Smallest |z_j| (with the largest |z| = 1) for which a point gets a second chart. */
export const SECOND_CHART_MIN_ABS = 0.5;

/** The second charts of points [from, to) of `points` (on the quintic `q`). */
export function secondCharts(
  q: Quintic,
  points: PointsView,
  from: number,
  to: number,
  minAbs = SECOND_CHART_MIN_ABS,
): SecondCharts {
  const index: number[] = [];
  const patches: number[] = [];
  for (let i = from; i < to; i++) {
    let best = -1;
    let second = -1;
    for (let j = 0; j < N_COORDS; j++) {
      if (j === points.patch[i]) continue;
      const a = Math.hypot(points.z[10 * i + 2 * j], points.z[10 * i + 2 * j + 1]);
      if (a > best) {
        best = a;
        second = j;
      }
    }
    if (best >= minAbs) {
      index.push(i - from);
      patches.push(second);
    }
  }
  const m = index.length;
  const view: PointsView = {
    n: m,
    z: new Float64Array(10 * m),
    grad: new Float64Array(10 * m),
    patch: Uint8Array.from(patches),
    dependent: new Uint8Array(m),
  };
  const jacobian = new Float64Array(18 * m);
  const val = new Float64Array(2);
  const out = new Float64Array(18);
  for (let t = 0; t < m; t++) {
    const i = from + index[t];
    const pB = patches[t];
    const zA = points.z.subarray(10 * i, 10 * i + 10);
    const pr = zA[2 * pB];
    const pi = zA[2 * pB + 1];
    const d = pr * pr + pi * pi;
    for (let j = 0; j < N_COORDS; j++) {
      view.z[10 * t + 2 * j] = j === pB ? 1 : (zA[2 * j] * pr + zA[2 * j + 1] * pi) / d;
      view.z[10 * t + 2 * j + 1] = j === pB ? 0 : (zA[2 * j + 1] * pr - zA[2 * j] * pi) / d;
    }
    evalQuintic(q, view.z, 10 * t, val, view.grad.subarray(10 * t, 10 * t + 10));
    let big = -1;
    for (let j = 0; j < N_COORDS; j++) {
      if (j === pB) continue;
      const g2 = view.grad[10 * t + 2 * j] ** 2 + view.grad[10 * t + 2 * j + 1] ** 2;
      if (g2 > big) {
        big = g2;
        view.dependent[t] = j;
      }
    }
    transitionJacobian(
      zA,
      points.grad.subarray(10 * i, 10 * i + 10),
      { patch: points.patch[i], dep: points.dependent[i] },
      { patch: pB, dep: view.dependent[t] },
      out,
    );
    jacobian.set(out, 18 * t);
  }
  return { index, view, jacobian };
}
