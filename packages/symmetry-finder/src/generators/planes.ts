// The paper's generator search (Krippendorf & Syvaeri, arXiv 2003.13679, sec. 3): centre (and
// reduce) the points of one class, pick the plane through two random points, keep the points
// within δ of it, pair points within ε of each other, fit p′ − p = T p in the plane by linear
// regression, embed T back into Rⁿ; repeat over many planes; PCA over the candidates.
import { lstsq, pca, random, tensor } from "@physml/autodiff";
import { checkInt, PhysmlInputError } from "@physml/lattice-core";
import type { Generator } from "./algebra.js";
import { type AlgebraReport, algebraFromCandidates } from "./report.js";

export interface PlaneOptions {
  /** Planes to try (default 400). */
  planes?: number;
  /** Half-thickness of the slab around a plane, in units of the RMS radius (default 0.1). */
  delta?: number;
  /** Largest pair distance, in units of the RMS radius (default 0.15). */
  epsilon?: number;
  /** Fewest pairs for a fit (default 5). */
  minPairs?: number;
  /** Number of generators to keep (default: at the largest explained-variance gap). */
  dim?: number;
  seed: number;
}

/** The plane method's defaults (see {@link PlaneOptions}). */
export const PLANE_DEFAULTS = { planes: 400, delta: 0.1, epsilon: 0.15, minPairs: 5 } as const;

/** Points centred, scaled to unit RMS radius and expressed in their non-degenerate principal directions. */
export interface Prepared {
  /** [m, r] coordinates in the reduced basis. */
  y: Float64Array;
  m: number;
  /** Reduced dimension r ≤ n. */
  r: number;
  n: number;
  /** Basis [r, n] (rows orthonormal in Rⁿ). */
  basis: Float64Array;
}

/** Centres, scales and drops principal directions whose variance is below 10⁻⁸ of the largest. */
export function prepare(points: Float64Array, n: number): Prepared {
  const m = points.length / n;
  if (!Number.isInteger(m) || m < 3)
    throw new PhysmlInputError("points", `an [m, ${n}] array, m ≥ 3`, points.length);
  const p = pca(tensor(points, [m, n]));
  const vars = p.explainedVariance.toFloat64Array();
  const r = vars.filter((v) => v > 1e-8 * vars[0]).length;
  const comps = p.components.toFloat64Array().subarray(0, r * n);
  const mean = p.mean.toFloat64Array();
  const y = new Float64Array(m * r);
  let ss = 0;
  for (let i = 0; i < m; i++) {
    for (let a = 0; a < r; a++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += (points[i * n + j] - mean[j]) * comps[a * n + j];
      y[i * r + a] = s;
      ss += s * s;
    }
  }
  const scale = Math.sqrt(m / ss);
  for (let i = 0; i < y.length; i++) y[i] *= scale;
  return { y, m, r, n, basis: Float64Array.from(comps) };
}

/** G = Bᵀ g B: an r×r generator in the reduced basis, as an n×n matrix. */
export function lift(g: Generator, prep: Prepared): Generator {
  const { r, n, basis } = prep;
  const out = new Float64Array(n * n);
  for (let a = 0; a < r; a++) {
    for (let b = 0; b < r; b++) {
      const v = g[a * r + b];
      if (v === 0) continue;
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) out[i * n + j] += v * basis[a * n + i] * basis[b * n + j];
    }
  }
  return out;
}

/** One plane's candidate (unit norm, r×r) or null when the plane had too few pairs. */
function planeCandidate(prep: Prepared, i1: number, i2: number, o: Required<Omit<PlaneOptions, "dim">>) {
  const { y, m, r } = prep;
  const e1 = y.slice(i1 * r, (i1 + 1) * r);
  const e2 = y.slice(i2 * r, (i2 + 1) * r);
  const n1 = Math.hypot(...e1);
  for (let a = 0; a < r; a++) e1[a] /= n1;
  const d = e1.reduce((s, v, a) => s + v * e2[a], 0);
  for (let a = 0; a < r; a++) e2[a] -= d * e1[a];
  const n2 = Math.hypot(...e2);
  if (!(n2 > 1e-6)) return null;
  for (let a = 0; a < r; a++) e2[a] /= n2;
  // in-plane coordinates of the points within δ of the plane
  const near: number[] = [];
  const qx: number[] = [];
  const qy: number[] = [];
  for (let i = 0; i < m; i++) {
    let u = 0;
    let v = 0;
    let nn = 0;
    for (let a = 0; a < r; a++) {
      const t = y[i * r + a];
      u += t * e1[a];
      v += t * e2[a];
      nn += t * t;
    }
    if (nn - u * u - v * v < o.delta * o.delta) {
      near.push(i);
      qx.push(u);
      qy.push(v);
    }
  }
  const A: number[] = [];
  const B: number[] = [];
  for (let s = 0; s < near.length; s++) {
    for (let t = s + 1; t < near.length; t++) {
      let d2 = 0;
      for (let a = 0; a < r; a++) d2 += (y[near[s] * r + a] - y[near[t] * r + a]) ** 2;
      if (d2 > o.epsilon * o.epsilon || d2 === 0) continue;
      // orient every pair counter-clockwise in the plane, so all steps share one sense of rotation
      const [p, q] = qx[s] * qy[t] - qy[s] * qx[t] >= 0 ? [s, t] : [t, s];
      A.push(qx[p], qy[p]);
      B.push(qx[q] - qx[p], qy[q] - qy[p]);
    }
  }
  const pairs = A.length / 2;
  if (pairs < o.minPairs) return null;
  // q·Tᵀ ≈ Δq  ⇒  X = Tᵀ
  const X = lstsq(tensor(A, [pairs, 2]), tensor(B, [pairs, 2])).toFloat64Array();
  const T = [X[0], X[2], X[1], X[3]];
  const norm = Math.hypot(...T);
  const g = new Float64Array(r * r);
  const E = [e1, e2];
  for (let a = 0; a < r; a++) {
    for (let b = 0; b < r; b++) {
      let s = 0;
      for (let k = 0; k < 2; k++) for (let l = 0; l < 2; l++) s += E[k][a] * T[k * 2 + l] * E[l][b];
      g[a * r + b] = s / norm;
    }
  }
  return g;
}

/** Candidate generators (n×n, unit norm) from `planes` random planes through pairs of points. */
export function planeCandidates(points: Float64Array, n: number, opts: PlaneOptions): Generator[] {
  const o = {
    planes: checkInt("planes", opts.planes ?? PLANE_DEFAULTS.planes, 2, 1e6),
    delta: opts.delta ?? PLANE_DEFAULTS.delta,
    epsilon: opts.epsilon ?? PLANE_DEFAULTS.epsilon,
    minPairs: checkInt("minPairs", opts.minPairs ?? PLANE_DEFAULTS.minPairs, 3, 1e6),
    seed: opts.seed,
  };
  for (const [f, v] of [
    ["delta", o.delta],
    ["epsilon", o.epsilon],
  ] as const) {
    if (!(v > 0 && v < 10)) throw new PhysmlInputError(f, "a number in (0, 10)", v);
  }
  const prep = prepare(points, n);
  const u = random.uniform(random.key(o.seed), [o.planes, 2]).toFloat64Array();
  const out: Generator[] = [];
  for (let k = 0; k < o.planes; k++) {
    const i1 = Math.floor(u[2 * k] * prep.m);
    const i2 = Math.floor(u[2 * k + 1] * prep.m);
    if (i1 === i2) continue;
    const g = planeCandidate(prep, i1, i2, o);
    if (g) out.push(lift(g, prep));
  }
  return out;
}

/** The whole plane method: candidates, then PCA and the algebra report. */
export function findGeneratorsByPlanes(points: Float64Array, n: number, opts: PlaneOptions): AlgebraReport {
  const cands = planeCandidates(points, n, opts);
  if (cands.length < 2) {
    throw new PhysmlInputError(
      "delta/epsilon",
      "values that give at least 2 planes with enough pairs",
      cands.length,
    );
  }
  return algebraFromCandidates(cands, n, opts.dim);
}
