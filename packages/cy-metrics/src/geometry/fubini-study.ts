// The Fubini–Study metric g_FS = (1/π) ∂∂̄ log Σ|z_i|² in affine coordinates and its pull-back
// to the quintic. Normalisation: the Kähler form J = (i/2) g_{ab̄} dz^a∧dz̄^b is then the class
// of the hyperplane, as in cymetric.
import { hermitianDet3, sandwich } from "../complex.js";
import { ambientIndices, embeddingJacobian } from "./patches.js";
import { N_COORDS } from "./quintic.js";

/**
 * The 4 × 4 ambient FS metric (interleaved) in the affine coordinates of `patch` at the
 * patch-normalised point z (5 interleaved coordinates from `off`, z_patch = 1):
 * g_{jl̄} = (1/π) (δ_jl / S − z̄_j z_l / S²), S = Σ_i |z_i|².
 */
export function ambientFubiniStudy(z: Float64Array, off: number, patch: number, out: Float64Array): void {
  const amb = ambientIndices(patch);
  let S = 0;
  for (let j = 0; j < N_COORDS; j++) S += z[off + 2 * j] ** 2 + z[off + 2 * j + 1] ** 2;
  const s1 = 1 / (Math.PI * S);
  const s2 = s1 / S;
  for (let a = 0; a < 4; a++) {
    const jr = z[off + 2 * amb[a]];
    const ji = -z[off + 2 * amb[a] + 1];
    for (let b = 0; b < 4; b++) {
      const lr = z[off + 2 * amb[b]];
      const li = z[off + 2 * amb[b] + 1];
      out[2 * (4 * a + b)] = (a === b ? s1 : 0) - s2 * (jr * lr - ji * li);
      out[2 * (4 * a + b) + 1] = -s2 * (jr * li + ji * lr);
    }
  }
}

const AMB = new Float64Array(32);
const JAC = new Float64Array(24);
const TMP = new Float64Array(24);

/**
 * The pulled-back FS metric on X (3 × 3 interleaved into `out`) at a patch-normalised point with
 * gradient `grad` (5 interleaved components of ∂p/∂z); returns its determinant.
 */
export function fubiniStudyOnX(
  z: Float64Array,
  grad: Float64Array,
  off: number,
  patch: number,
  dep: number,
  out: Float64Array,
): number {
  ambientFubiniStudy(z, off, patch, AMB);
  embeddingJacobian(grad, off, patch, dep, JAC);
  sandwich(JAC, AMB, 3, 4, out, TMP);
  return hermitianDet3(out);
}
