// The Ricci scalar R = −g^{ab̄} ∂_a∂̄_b log det g of a metric on X, by central finite differences
// of log η = log det g − log |Ω|² along X (log |Ω|² = −log |∂p/∂z_dep|² is pluriharmonic, so it
// drops out) in each point's own chart. The 21 second derivatives in the 6 real directions need 72
// shifted points per point; the dependent coordinate of each is re-solved from p = 0 by Newton's
// method, patch and dependent coordinate kept. All shifted points go to the model in one batch.
// With x_a = u_a + i v_a: ∂_a∂̄_b f = ¼ [f_{u_a u_b} + f_{v_a v_b} + i (f_{u_a v_b} − f_{v_a u_b})],
// and R = −tr(g⁻¹ H) for g_ab = g_{ab̄}, H_ab = ∂_a∂̄_b log η.
import { fubiniStudyOnX } from "../geometry/fubini-study.js";
import { localIndices, omegaSquared } from "../geometry/patches.js";
import { evalQuintic } from "../geometry/quintic.js";
import { emptyPointSet, type PointSet } from "../geometry/sample.js";
import type { McValue } from "./volumes.js";

/** Shifts (real direction d ∈ 0…5 → x_{d>>1} += h or i h) of the stencil, in order. */
function stencil(): number[][] {
  const out: number[][] = [[]];
  for (let d = 0; d < 6; d++) out.push([d, +1], [d, -1]);
  for (let d = 0; d < 6; d++) {
    for (let e = d + 1; e < 6; e++) out.push([d, +1, e, +1], [d, +1, e, -1], [d, -1, e, +1], [d, -1, e, -1]);
  }
  return out;
}
const STENCIL = stencil();

/** The points `points[0, count)` shifted by every stencil offset of size h (a PointSet of count·73 points). */
export function stencilPoints(points: PointSet, count: number, h: number): PointSet {
  const S = STENCIL.length;
  const n = count * S;
  const out = emptyPointSet(points.quintic, n);
  const { z, grad, patch, dependent, omega2, detFS, weight } = out;
  const val = new Float64Array(2);
  const g3 = new Float64Array(18);
  for (let i = 0; i < count; i++) {
    const pa = points.patch[i];
    const dep = points.dependent[i];
    const loc = localIndices(pa, dep);
    for (let s = 0; s < S; s++) {
      const o = i * S + s;
      const zo = z.subarray(10 * o, 10 * o + 10);
      zo.set(points.z.subarray(10 * i, 10 * i + 10));
      const shift = STENCIL[s];
      for (let t = 0; t < shift.length; t += 2) {
        const d = shift[t];
        zo[2 * loc[d >> 1] + (d & 1)] += shift[t + 1] * h;
      }
      const go = grad.subarray(10 * o, 10 * o + 10);
      for (let it = 0; it < 50; it++) {
        evalQuintic(points.quintic, zo, 0, val, go);
        const gr = go[2 * dep];
        const gi = go[2 * dep + 1];
        const g2 = gr * gr + gi * gi;
        const dr = (val[0] * gr + val[1] * gi) / g2;
        const di = (val[1] * gr - val[0] * gi) / g2;
        zo[2 * dep] -= dr;
        zo[2 * dep + 1] -= di;
        if (Math.hypot(dr, di) <= 1e-16 * Math.hypot(zo[2 * dep], zo[2 * dep + 1])) break;
      }
      evalQuintic(points.quintic, zo, 0, val, go);
      patch[o] = pa;
      dependent[o] = dep;
      omega2[o] = omegaSquared(grad, 10 * o, dep);
      detFS[o] = fubiniStudyOnX(z, grad, 10 * o, pa, dep, g3);
      weight[o] = omega2[o] / detFS[o];
    }
  }
  return out;
}

/** A metric model as the Ricci scalar needs it: η at any points, and g on X (n × 18 interleaved). */
export interface MetricFunctions {
  eta: (points: PointSet) => Float64Array;
  metric: (points: PointSet) => Float64Array;
}

function inverse3(g: Float64Array, out: Float64Array): void {
  // complex 3 × 3 inverse by cofactors: out_ij = cof_ji / det
  const c = (i: number, j: number) => [g[2 * (3 * i + j)], g[2 * (3 * i + j) + 1]];
  const mul = (a: number[], b: number[]) => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
  const cof = (i: number, j: number) => {
    const i1 = (i + 1) % 3;
    const i2 = (i + 2) % 3;
    const j1 = (j + 1) % 3;
    const j2 = (j + 2) % 3;
    const a = mul(c(i1, j1), c(i2, j2));
    const b = mul(c(i1, j2), c(i2, j1));
    return [a[0] - b[0], a[1] - b[1]];
  };
  let dr = 0;
  let di = 0;
  for (let j = 0; j < 3; j++) {
    const p = mul(c(0, j), cof(0, j));
    dr += p[0];
    di += p[1];
  }
  const d2 = dr * dr + di * di;
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      const k = cof(j, i);
      out[2 * (3 * i + j)] = (k[0] * dr + k[1] * di) / d2;
      out[2 * (3 * i + j) + 1] = (k[1] * dr - k[0] * di) / d2;
    }
  }
}

/** R at points[0, count) by finite differences with step h in the local coordinates. */
export function ricciScalar(model: MetricFunctions, points: PointSet, count: number, h = 1e-3): Float64Array {
  const S = STENCIL.length;
  const shifted = stencilPoints(points, count, h);
  const logEta = model.eta(shifted).map(Math.log);
  const g = model.metric(shifted);
  const R = new Float64Array(count);
  const hess = new Float64Array(36);
  const gi = new Float64Array(18);
  for (let i = 0; i < count; i++) {
    const f = (s: number) => logEta[i * S + s];
    const f0 = f(0);
    for (let d = 0; d < 6; d++) hess[7 * d] = (f(1 + 2 * d) + f(2 + 2 * d) - 2 * f0) / (h * h);
    let s = 13;
    for (let d = 0; d < 6; d++) {
      for (let e = d + 1; e < 6; e++) {
        const v = (f(s) - f(s + 1) - f(s + 2) + f(s + 3)) / (4 * h * h);
        hess[6 * d + e] = v;
        hess[6 * e + d] = v;
        s += 4;
      }
    }
    // H_ab = ¼ [f_{u_a u_b} + f_{v_a v_b} + i (f_{u_a v_b} − f_{v_a u_b})], real direction 2a = u_a, 2a+1 = v_a
    inverse3(g.subarray(18 * i * S, 18 * i * S + 18), gi);
    let tr = 0;
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        const hr = 0.25 * (hess[6 * (2 * a) + 2 * b] + hess[6 * (2 * a + 1) + 2 * b + 1]);
        const hi = 0.25 * (hess[6 * (2 * a) + 2 * b + 1] - hess[6 * (2 * a + 1) + 2 * b]);
        // Re tr(g⁻¹ H) = Σ_ab Re(ginv_ba H_ab)
        tr += gi[2 * (3 * b + a)] * hr - gi[2 * (3 * b + a) + 1] * hi;
      }
    }
    R[i] = -tr;
  }
  return R;
}

/**
 * ∫|R| dVol_CY / Vol_CY estimated over points[0, count) (count = R.length, whole lines used) as
 * Σ w|R| / Σ w, its error by the delta method over per-line sums (lines are independent).
 */
export function meanAbsRicci(R: Float64Array, points: PointSet): McValue {
  const lines = Math.floor(R.length / 5);
  const a = new Float64Array(lines);
  const b = new Float64Array(lines);
  for (let l = 0; l < lines; l++) {
    for (let k = 0; k < 5; k++) {
      a[l] += points.weight[5 * l + k] * Math.abs(R[5 * l + k]);
      b[l] += points.weight[5 * l + k];
    }
  }
  const A = a.reduce((s, v) => s + v, 0);
  const B = b.reduce((s, v) => s + v, 0);
  const mean = A / B;
  let v = 0;
  for (let l = 0; l < lines; l++) v += (a[l] - mean * b[l]) ** 2;
  if (lines < 2) throw new RangeError("meanAbsRicci: need at least 2 whole lines (10 points)");
  return { mean, error: Math.sqrt(v / (lines - 1) / lines) / (B / lines) };
}

/** The Fubini–Study metric as MetricFunctions (the baseline of the Ricci scalar). */
export const fubiniStudyFunctions: MetricFunctions = {
  eta: (ps) => ps.detFS.map((d, i) => d / ps.omega2[i]),
  metric: (ps) => {
    const out = new Float64Array(18 * ps.n);
    for (let i = 0; i < ps.n; i++) {
      fubiniStudyOnX(ps.z, ps.grad, 10 * i, ps.patch[i], ps.dependent[i], out.subarray(18 * i, 18 * i + 18));
    }
    return out;
  },
};
