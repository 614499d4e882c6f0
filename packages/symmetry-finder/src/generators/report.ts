// From candidate generators to an algebra: PCA over the flattened candidates (uncentred — the
// algebra is a linear space through 0, and a plane's orientation flips a candidate's sign), the
// number of generators at the largest ratio between consecutive explained variances, and the
// checks: closure, antisymmetry, orthonormality and, when the truth is known, the angle to it.
import { eigvalsh, pca, tensor } from "@physml/autodiff";
import { PhysmlInputError } from "@physml/lattice-core";
import {
  antisymmetryError,
  type Closure,
  closure,
  frob,
  type Generator,
  orthonormalityError,
  toMatrix,
} from "./algebra.js";

export interface AlgebraReport {
  /** Dimension of the points. */
  n: number;
  /** Candidates that entered the PCA. */
  candidates: number;
  /** Explained-variance ratios of all n² components, descending. */
  explainedVariance: number[];
  /** The leading components, as n×n matrices (unit Frobenius norm, mutually orthogonal). */
  generators: number[][][];
  /** The same as flat row-major arrays. */
  flat: Generator[];
  closureResidual: number;
  structureConstants: number[][][];
  /** max over generators of |G + Gᵀ| / |G|. */
  antisymmetry: number;
  /** max |⟨G_a, G_b⟩ − δ_ab|. */
  orthonormality: number;
}

/** The largest principal angle (radians) between the spans of two orthonormal lists; π/2 when the dimensions differ. */
export function largestPrincipalAngle(a: readonly Generator[], b: readonly Generator[]): number {
  if (a.length !== b.length) return Math.PI / 2;
  if (a.length === 0) return 0;
  const k = a.length;
  const m = new Float64Array(k * k); // M = (AᵀB)(AᵀB)ᵀ: its eigenvalues are cos² of the angles
  const ab = a.map((x) => b.map((y) => frob(x, y)));
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let l = 0; l < k; l++) s += ab[i][l] * ab[j][l];
      m[i * k + j] = s;
    }
  }
  const minCos2 = eigvalsh(tensor(m, [k, k])).toFloat64Array()[0];
  return Math.acos(Math.sqrt(Math.min(1, Math.max(0, minCos2))));
}

/** Number of components before the largest ratio λ_i/λ_{i+1} (at least 1, at most maxDim). */
export function dimensionAtLargestGap(ev: readonly number[], maxDim = ev.length - 1): number {
  const floor = 1e-12 * ev[0];
  let best = 0;
  let d = 1;
  for (let i = 0; i < Math.min(maxDim, ev.length - 1); i++) {
    const r = (ev[i] + floor) / (ev[i + 1] + floor);
    if (r > best) {
      best = r;
      d = i + 1;
    }
  }
  return d;
}

/**
 * PCA over candidates (each n×n, flattened); keeps `dim` components (default: at the largest
 * gap) and reports their algebra.
 */
export function algebraFromCandidates(
  candidates: readonly Generator[],
  n: number,
  dim?: number,
): AlgebraReport {
  if (candidates.length < 2) {
    throw new PhysmlInputError("candidates", "at least 2 candidate generators", candidates.length);
  }
  const N = candidates.length;
  const flatAll = new Float64Array(N * n * n);
  candidates.forEach((c, i) => {
    flatAll.set(c, i * n * n);
  });
  const p = pca(tensor(flatAll, [N, n * n]), { center: false });
  const ev = Array.from(p.explainedVarianceRatio.toFloat64Array());
  const d = dim ?? dimensionAtLargestGap(ev);
  const comps = p.components.toFloat64Array();
  const flat = Array.from({ length: d }, (_, i) => comps.slice(i * n * n, (i + 1) * n * n));
  return summarise(flat, n, N, ev);
}

/** The report for an orthonormal list of generators (explained variances as given). */
export function summarise(flat: Generator[], n: number, candidates: number, ev: number[]): AlgebraReport {
  const cl: Closure = closure(flat, n);
  return {
    n,
    candidates,
    explainedVariance: ev,
    generators: flat.map((g) => toMatrix(g, n)),
    flat,
    closureResidual: cl.residual,
    structureConstants: cl.structureConstants,
    antisymmetry: Math.max(0, ...flat.map((g) => antisymmetryError(g, n))),
    orthonormality: orthonormalityError(flat),
  };
}
