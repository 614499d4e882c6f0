// Beyond the paper: generators from the infinitesimal invariance condition. A linear flow
// ẏ = G y keeps a level set iff G y is tangent to it at every point, i.e. nᵀ G y = 0 for every
// normal n. Normals come from local PCA of each point's neighbours (the direction of least
// variance); each point gives one linear constraint vec(n yᵀ)·vec(G) = 0, and the algebra is the
// null space of the stacked constraints. Unlike the plane fit this finds symmetry algebras that
// are not all of so(n) (so(2)⊕so(2), so(3) ⊂ so(4)), and finds none for x⁴ + y⁴.
import { eigh, lstsq, qr, tensor } from "@physml/autodiff";
import { checkInt, PhysmlInputError } from "@physml/lattice-core";
import { kSmallest } from "../eval/knn.js";
import type { Generator } from "./algebra.js";
import { lift, type Prepared, prepare } from "./planes.js";
import { type AlgebraReport, summarise } from "./report.js";

export interface TangentOptions {
  /** Neighbours for the local PCA (default 6·r, r the reduced dimension). */
  neighbours?: number;
  /** Number of generators (default: the constraint eigenvalues below `tol`). */
  dim?: number;
  /** Constraint eigenvalues below tol·(largest) count as null (default 5·10⁻³; see the README). */
  tol?: number;
}

export interface TangentAlgebra {
  /** Eigenvalues of the constraint Gram matrix, ascending, divided by the largest. */
  spectrum: number[];
  /** Orthonormal null-space generators, n×n flattened. */
  generators: Generator[];
  /**
   * The null directions kept (those below `tol`, or `dim`): the generators plus any pure
   * translations among them, which are dropped.
   */
  nullDirections: number;
}

/**
 * Unit normals [m, r] of the level set through each point of `rows`: the least-variance direction
 * of its k neighbours (same cloud), then corrected by a local quadratic fit of the height over the
 * tangent plane, s ≈ c + bᵀt + ½tᵀCt, whose slope b at the point removes the tilt that curvature
 * and lopsided neighbourhoods give plain local PCA.
 */
function normals(prep: Prepared, rows: Int32Array, k: number): Float64Array {
  const { y, r } = prep;
  const m = rows.length;
  const cov = new Float64Array(m * r * r);
  const nbs = new Int32Array(m * (k + 1));
  const d2 = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const yi = rows[i] * r;
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let a = 0; a < r; a++) s += (y[yi + a] - y[rows[j] * r + a]) ** 2;
      d2[j] = s;
    }
    const nb = kSmallest(d2, k + 1); // includes i itself
    nbs.set(nb, i * (k + 1));
    for (const j of nb) {
      const yj = rows[j] * r;
      for (let a = 0; a < r; a++) {
        for (let b = 0; b < r; b++)
          cov[i * r * r + a * r + b] += (y[yj + a] - y[yi + a]) * (y[yj + b] - y[yi + b]);
      }
    }
  }
  const V = eigh(tensor(cov, [m, r, r])).vectors.toFloat64Array();
  // quadratic fit: design [1, t_1…t_{r−1}, t_a t_b (a ≤ b)] per neighbour, batched over points
  const T = r - 1;
  const P = 1 + T + (T * (T + 1)) / 2;
  const K = k + 1;
  const A = new Float64Array(m * K * P);
  const B = new Float64Array(m * K);
  const t = new Float64Array(T);
  for (let i = 0; i < m; i++) {
    const yi = rows[i] * r;
    const Vi = i * r * r;
    for (let q = 0; q < K; q++) {
      const yj = rows[nbs[i * K + q]] * r;
      let s = 0;
      for (let a = 0; a < r; a++) s += (y[yj + a] - y[yi + a]) * V[Vi + a * r];
      for (let c = 0; c < T; c++) {
        let v = 0;
        for (let a = 0; a < r; a++) v += (y[yj + a] - y[yi + a]) * V[Vi + a * r + c + 1];
        t[c] = v;
      }
      const row = (i * K + q) * P;
      A[row] = 1;
      let col = 1;
      for (let c = 0; c < T; c++) A[row + col++] = t[c];
      for (let a = 0; a < T; a++) for (let b = a; b < T; b++) A[row + col++] = t[a] * t[b];
      B[i * K + q] = s;
    }
  }
  const coef = lstsq(tensor(A, [m, K, P]), tensor(B, [m, K])).toFloat64Array();
  const out = new Float64Array(m * r);
  for (let i = 0; i < m; i++) {
    const Vi = i * r * r;
    let norm = 0;
    for (let a = 0; a < r; a++) {
      let v = V[Vi + a * r];
      for (let c = 0; c < T; c++) v -= coef[i * P + 1 + c] * V[Vi + a * r + c + 1];
      out[i * r + a] = v;
      norm += v * v;
    }
    for (let a = 0; a < r; a++) out[i * r + a] /= Math.sqrt(norm);
  }
  return out;
}

/**
 * The common null space of the invariance constraints of several point clouds (level sets of
 * one function, e.g. the classes of a data set): a symmetry of the function keeps every level
 * set, so the constraints of all clouds are stacked (each cloud weighted equally). One cloud alone
 * can have more symmetry than the function (every ellipsoid has a conjugated so(n)).
 */
export function tangentAlgebra(
  clouds: readonly Float64Array[],
  n: number,
  opts: TangentOptions = {},
): TangentAlgebra {
  if (clouds.length < 1) throw new PhysmlInputError("clouds", "at least one point cloud", 0);
  const all = new Float64Array(clouds.reduce((s, c) => s + c.length, 0));
  const rowsOf: Int32Array[] = [];
  let off = 0;
  for (const c of clouds) {
    all.set(c, off);
    rowsOf.push(Int32Array.from({ length: c.length / n }, (_, i) => off / n + i));
    off += c.length;
  }
  // one frame for all clouds: centred on the joint mean (a fixed point of the symmetry)
  const prep = prepare(all, n);
  const { y, r } = prep;
  // unknowns: the linear part g (r×r) and a translation c (r) of an affine flow ẏ = g y + c, so
  // the result does not depend on where the data was centred (the sample mean is off the fixed
  // point by ~1/√m); the linear part is what is reported
  const R = r * r;
  const U = R + r;
  const gram = new Float64Array(U * U);
  const row = new Float64Array(U);
  for (const rows of rowsOf) {
    const k = checkInt("neighbours", opts.neighbours ?? 6 * r, r + 1, rows.length - 1);
    const nrm = normals(prep, rows, k);
    const w = 1 / rows.length;
    for (let i = 0; i < rows.length; i++) {
      for (let a = 0; a < r; a++) {
        for (let b = 0; b < r; b++) row[a * r + b] = nrm[i * r + a] * y[rows[i] * r + b];
        row[R + a] = nrm[i * r + a];
      }
      for (let p = 0; p < U; p++) for (let q = 0; q < U; q++) gram[p * U + q] += w * row[p] * row[q];
    }
  }
  const { values, vectors } = eigh(tensor(gram, [U, U]));
  const lam = values.toFloat64Array();
  const top = lam[U - 1];
  const spectrum = Array.from(lam, (v) => Math.max(0, v) / top);
  const tol = opts.tol ?? 5e-3;
  const d = opts.dim ?? spectrum.filter((v) => v < tol).length;
  const V = vectors.toFloat64Array();
  // linear parts of the null vectors (pure translations, |g| ≈ 0, are not linear symmetries)
  const linear: Float64Array[] = [];
  for (let c = 0; c < d; c++) {
    const g = Float64Array.from({ length: R }, (_, p) => V[p * U + c]);
    if (Math.hypot(...g) > 1e-3) linear.push(g);
  }
  let generators: Generator[] = [];
  if (linear.length > 0) {
    const cols = new Float64Array(R * linear.length);
    linear.forEach((g, c) => {
      for (let p = 0; p < R; p++) cols[p * linear.length + c] = g[p];
    });
    const q = qr(tensor(cols, [R, linear.length])).q.toFloat64Array();
    generators = linear.map((_, c) =>
      lift(
        Float64Array.from({ length: R }, (_, p) => q[p * linear.length + c]),
        prep,
      ),
    );
  }
  return { spectrum, generators, nullDirections: d };
}

/** The tangent method's report: generators, their closure and checks, and the constraint spectrum. */
export function findGeneratorsByTangents(
  clouds: readonly Float64Array[],
  n: number,
  opts: TangentOptions = {},
): AlgebraReport & { spectrum: number[]; nullDirections: number } {
  const t = tangentAlgebra(clouds, n, opts);
  return {
    ...summarise(t.generators, n, clouds.length, []),
    spectrum: t.spectrum,
    nullDirections: t.nullDirections,
  };
}
