// Affine patches and local coordinates on the quintic. A point is stored in homogeneous
// coordinates scaled so that z_patch = 1 (the patch is the largest |z_i|); the affine coordinates
// are the 4 other z_j, and the local coordinates on X are the 3 that remain after dropping the
// dependent coordinate z_dep (the largest |∂p/∂z_j|), which the equation p = 0 fixes.
import { N_COORDS } from "./quintic.js";

/** The 4 affine coordinate indices of a patch (all j ≠ patch, increasing). */
export function ambientIndices(patch: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < N_COORDS; j++) if (j !== patch) out.push(j);
  return out;
}

/** The 3 local coordinate indices on X (all j ∉ {patch, dep}, increasing). */
export function localIndices(patch: number, dep: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < N_COORDS; j++) if (j !== patch && j !== dep) out.push(j);
  return out;
}

/**
 * The 3 × 4 Jacobian P_{aj} = ∂z_j/∂x_a of the embedding X → affine patch (interleaved complex):
 * δ_aj for independent j, and −(∂p/∂x_a)/(∂p/∂z_dep) in the dependent column. `grad` holds the
 * 5 interleaved components of ∂p/∂z at the patch-normalised point from `off`.
 */
export function embeddingJacobian(
  grad: Float64Array,
  off: number,
  patch: number,
  dep: number,
  out: Float64Array,
): void {
  const amb = ambientIndices(patch);
  const loc = localIndices(patch, dep);
  const gr = grad[off + 2 * dep];
  const gi = grad[off + 2 * dep + 1];
  const g2 = gr * gr + gi * gi;
  out.fill(0, 0, 24);
  for (let a = 0; a < 3; a++) {
    for (let c = 0; c < 4; c++) {
      const j = amb[c];
      if (j === loc[a]) out[2 * (4 * a + c)] = 1;
      else if (j === dep) {
        // −g_a / g_dep
        const ar = grad[off + 2 * loc[a]];
        const ai = grad[off + 2 * loc[a] + 1];
        out[2 * (4 * a + c)] = -(ar * gr + ai * gi) / g2;
        out[2 * (4 * a + c) + 1] = -(ai * gr - ar * gi) / g2;
      }
    }
  }
}

/** |Ω|² = 1/|∂p/∂z_dep|² of the holomorphic volume form Ω = dx¹∧dx²∧dx³ / (∂p/∂z_dep). */
export function omegaSquared(grad: Float64Array, off: number, dep: number): number {
  const gr = grad[off + 2 * dep];
  const gi = grad[off + 2 * dep + 1];
  return 1 / (gr * gr + gi * gi);
}

/**
 * Transition Jacobian J_{ba} = ∂y_b/∂x_a (3 × 3, interleaved) from the local coordinates x of
 * chart A = (patchA, depA) to those y of chart B = (patchB, depB), at a point given in chart A's
 * normalisation (z_patchA = 1, 5 interleaved coordinates `z`, gradient `grad` there). A tensor
 * g_{ab̄} transforms as g^A = Jᵀ g^B J̄, and Ω^A = det J · Ω^B.
 */
export function transitionJacobian(
  z: Float64Array,
  grad: Float64Array,
  chartA: { patch: number; dep: number },
  chartB: { patch: number; dep: number },
  out: Float64Array,
): void {
  const locA = localIndices(chartA.patch, chartA.dep);
  const locB = localIndices(chartB.patch, chartB.dep);
  const pB = chartB.patch;
  const dA = chartA.dep;
  const zpr = z[2 * pB];
  const zpi = z[2 * pB + 1];
  const zp2 = zpr * zpr + zpi * zpi;
  // 1/z_pB and 1/z_pB²
  const ir = zpr / zp2;
  const ii = -zpi / zp2;
  const i2r = ir * ir - ii * ii;
  const i2i = 2 * ir * ii;
  const gr = grad[2 * dA];
  const gi = grad[2 * dA + 1];
  const g2 = gr * gr + gi * gi;
  const v = new Float64Array(2 * N_COORDS);
  for (let a = 0; a < 3; a++) {
    // tangent vector of x_a in homogeneous coordinates: e_a − (∂_a p/∂_dep p) e_dep
    v.fill(0);
    const j = locA[a];
    v[2 * j] = 1;
    const ar = grad[2 * j];
    const ai = grad[2 * j + 1];
    v[2 * dA] = -(ar * gr + ai * gi) / g2;
    v[2 * dA + 1] = -(ai * gr - ar * gi) / g2;
    for (let b = 0; b < 3; b++) {
      // dy_b(v) = v_b / z_pB − z_b v_pB / z_pB²
      const l = locB[b];
      const t1r = v[2 * l] * ir - v[2 * l + 1] * ii;
      const t1i = v[2 * l] * ii + v[2 * l + 1] * ir;
      const zvr = z[2 * l] * v[2 * pB] - z[2 * l + 1] * v[2 * pB + 1];
      const zvi = z[2 * l] * v[2 * pB + 1] + z[2 * l + 1] * v[2 * pB];
      out[2 * (3 * b + a)] = t1r - (zvr * i2r - zvi * i2i);
      out[2 * (3 * b + a) + 1] = t1i - (zvr * i2i + zvi * i2r);
    }
  }
}
