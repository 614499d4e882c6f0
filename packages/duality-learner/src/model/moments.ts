// The affine head O = θ2·y + θ3 on a fixed input field y (one candidate slot) makes every shape
// feature a polynomial in (θ2, θ3):
//   ψ_a = (1/N) Σ_r Π_{j∈a} (θ2 y_{r,j} + θ3) = Σ_m θ2^m θ3^{k_a−m} e_{a,m},
// with e_{a,m} the translation average of the degree-m elementary symmetric polynomial of the
// shape's y values. One pass over the samples gives e per sample; the loss, its minimiser over
// (θ2, θ3) and the per-sample features for any head then cost nothing more.
import type { LinkShape, SquareLattice } from "@physml/lattice-core";
import { shapeLinkTable } from "@physml/lattice-core";

/** Where shape a's coefficients e_{a,0..k_a} sit in a moment row. */
export interface MomentLayout {
  shapes: readonly LinkShape[];
  sizes: Int32Array;
  offsets: Int32Array;
  /** Row width M = Σ_a (k_a + 1). */
  width: number;
  tables: Int32Array[];
}

/** The moment layout of a shape set on a lattice. */
export function momentLayout(lattice: SquareLattice, shapes: readonly LinkShape[]): MomentLayout {
  const sizes = Int32Array.from(shapes, (s) => s.links.length);
  const offsets = new Int32Array(shapes.length);
  let w = 0;
  shapes.forEach((_, a) => {
    offsets[a] = w;
    w += sizes[a] + 1;
  });
  return { shapes, sizes, offsets, width: w, tables: shapes.map((s) => shapeLinkTable(lattice, s)) };
}

/**
 * Per-sample moments `[S][M]` of the field y_l = x_{window[l·K + slot]} (x: link variables
 * `[S][2N]`); `slot = -1` uses x itself.
 */
export function slotMoments(
  lattice: SquareLattice,
  layout: MomentLayout,
  x: Float64Array,
  samples: number,
  window: Int32Array,
  K: number,
  slot: number,
): Float64Array {
  const nl = lattice.nLinks;
  const N = lattice.nSites;
  const M = layout.width;
  const out = new Float64Array(samples * M);
  const y = new Float64Array(nl);
  const e = new Float64Array(8);
  for (let b = 0; b < samples; b++) {
    const q = b * nl;
    if (slot < 0) for (let l = 0; l < nl; l++) y[l] = x[q + l];
    else for (let l = 0; l < nl; l++) y[l] = x[q + window[l * K + slot]];
    for (let a = 0; a < layout.shapes.length; a++) {
      const k = layout.sizes[a];
      const tab = layout.tables[a];
      const o = b * M + layout.offsets[a];
      for (let i = 0; i < N; i++) {
        e.fill(0, 0, k + 1);
        e[0] = 1;
        for (let j = 0; j < k; j++) {
          const v = y[tab[i * k + j]];
          for (let m = j + 1; m >= 1; m--) e[m] += e[m - 1] * v;
        }
        for (let m = 0; m <= k; m++) out[o + m] += e[m];
      }
      for (let m = 0; m <= k; m++) out[o + m] /= N;
    }
  }
  return out;
}

/** Mean moment row over samples [lo, hi). */
export function meanMoments(mom: Float64Array, width: number, lo: number, hi: number): Float64Array {
  const out = new Float64Array(width);
  for (let b = lo; b < hi; b++) for (let q = 0; q < width; q++) out[q] += mom[b * width + q];
  for (let q = 0; q < width; q++) out[q] /= hi - lo;
  return out;
}

/** ψ_a for the head (θ2, θ3) from one moment row starting at `o`. */
export function featureFromMoments(layout: MomentLayout, mom: Float64Array, o: number, a: number, t2: number, t3: number): number {
  const k = layout.sizes[a];
  const base = o + layout.offsets[a];
  // Σ_m θ2^m θ3^(k−m) e_m, powers built by multiplication.
  let f = 0;
  let p2 = 1;
  for (let m = 0; m <= k; m++) {
    let p3 = 1;
    for (let r = m; r < k; r++) p3 *= t3;
    f += p2 * p3 * mom[base + m];
    p2 *= t2;
  }
  return f;
}

/** ψ `[S][A]` of every sample for the head (θ2, θ3). */
export function featuresFromMoments(layout: MomentLayout, mom: Float64Array, samples: number, t2: number, t3: number): Float64Array {
  const A = layout.shapes.length;
  const out = new Float64Array(samples * A);
  for (let b = 0; b < samples; b++) {
    for (let a = 0; a < A; a++) out[b * A + a] = featureFromMoments(layout, mom, b * layout.width, a, t2, t3);
  }
  return out;
}

/** Σ_a (ψ_a(θ) − T_a)² from a mean moment row. */
export function headLoss(layout: MomentLayout, mean: Float64Array, target: ArrayLike<number>, t2: number, t3: number): number {
  const p2 = [1, t2, t2 * t2, t2 * t2 * t2, t2 * t2 * t2 * t2];
  const p3 = [1, t3, t3 * t3, t3 * t3 * t3, t3 * t3 * t3 * t3];
  let v = 0;
  for (let a = 0; a < layout.shapes.length; a++) {
    const k = layout.sizes[a];
    const base = layout.offsets[a];
    let f = 0;
    if (k <= 4) for (let m = 0; m <= k; m++) f += p2[m] * p3[k - m] * mean[base + m];
    else f = featureFromMoments(layout, mean, 0, a, t2, t3);
    v += (f - target[a]) ** 2;
  }
  return v;
}

/**
 * The global minimiser of the head loss over (θ2, θ3). The valley of this loss is narrow along
 * θ3 + θ2·ȳ ≈ const (the mean of O is pinned by the one-link features), so the search runs in
 * (θ2, u = θ3 + θ2·ȳ), ȳ the mean of y: a grid (steps 0.1 × 0.05) over θ2 ∈ [−θmax, θmax] and
 * u ∈ [−1, θmax] (skipped when `global` is false), plus the previous head, then a shrinking
 * pattern search to 1e-8.
 */
export function solveHead(
  layout: MomentLayout,
  mean: Float64Array,
  target: ArrayLike<number>,
  previous: readonly [number, number] | null,
  global = true,
  thetaMax = 6,
): { theta2: number; theta3: number; loss: number } {
  // ȳ from the one-link shapes (e_{a,1} of a one-link shape is the mean of y over those links).
  let ybar = 0;
  let n1 = 0;
  for (let a = 0; a < layout.shapes.length; a++) {
    if (layout.sizes[a] === 1) {
      ybar += mean[layout.offsets[a] + 1];
      n1++;
    }
  }
  ybar = n1 > 0 ? ybar / n1 : 0;
  const f = (t2: number, u: number) => headLoss(layout, mean, target, t2, u - t2 * ybar);
  let best: [number, number, number] = [Number.POSITIVE_INFINITY, 0, 1];
  if (previous) best = [f(previous[0], previous[1] + previous[0] * ybar), previous[0], previous[1] + previous[0] * ybar];
  for (let a = -thetaMax; global && a <= thetaMax + 1e-9; a += 0.1) {
    for (let u = -1; u <= thetaMax + 1e-9; u += 0.05) {
      const v = f(a, u);
      if (v < best[0]) best = [v, a, u];
    }
  }
  const dirs = [
    [1, 0],
    [-1, 0],
    [0, 1],
    [0, -1],
    [1, 1],
    [-1, -1],
    [1, -1],
    [-1, 1],
  ];
  let step = 0.025;
  while (step > 1e-8) {
    let improved = false;
    for (const [da, db] of dirs) {
      const a = best[1] + step * da;
      const u = best[2] + step * db;
      const v = f(a, u);
      if (v < best[0]) {
        best = [v, a, u];
        improved = true;
      }
    }
    if (!improved) step /= 2;
  }
  return { theta2: best[1], theta3: best[2] - best[1] * ybar, loss: best[0] };
}
