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
  const e = new Float64Array(Math.max(...layout.sizes) + 1);
  for (let b = 0; b < samples; b++) {
    const q = b * nl;
    if (slot < 0) for (let l = 0; l < nl; l++) y[l] = x[q + l];
    else for (let l = 0; l < nl; l++) y[l] = x[q + window[l * K + slot]];
    for (let a = 0; a < layout.shapes.length; a++) {
      shapeSums(y, 0, layout.tables[a], layout.sizes[a], N, out, b * M + layout.offsets[a], e);
    }
  }
  return out;
}

/**
 * Translation means e_0…e_k of one shape's elementary symmetric sums: site i's k values are
 * y[base + tab[i·k + j]]; writes out[o…o + k] (e_0 = 1). `e` is scratch of length ≥ k + 1.
 */
export function shapeSums(
  y: Float64Array,
  base: number,
  tab: Int32Array,
  k: number,
  N: number,
  out: Float64Array,
  o: number,
  e: Float64Array,
): void {
  const inv = 1 / N;
  // Unrolled for the usual shape sizes.
  if (k === 1) {
    let s1 = 0;
    for (let i = 0; i < N; i++) s1 += y[base + tab[i]];
    out[o] = 1;
    out[o + 1] = s1 * inv;
  } else if (k === 2) {
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < N; i++) {
      const u = y[base + tab[2 * i]];
      const v = y[base + tab[2 * i + 1]];
      s1 += u + v;
      s2 += u * v;
    }
    out[o] = 1;
    out[o + 1] = s1 * inv;
    out[o + 2] = s2 * inv;
  } else if (k === 3) {
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let i = 0; i < N; i++) {
      const u = y[base + tab[3 * i]];
      const v = y[base + tab[3 * i + 1]];
      const w = y[base + tab[3 * i + 2]];
      s1 += u + v + w;
      s2 += u * v + u * w + v * w;
      s3 += u * v * w;
    }
    out[o] = 1;
    out[o + 1] = s1 * inv;
    out[o + 2] = s2 * inv;
    out[o + 3] = s3 * inv;
  } else if (k === 4) {
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    for (let i = 0; i < N; i++) {
      const u = y[base + tab[4 * i]];
      const v = y[base + tab[4 * i + 1]];
      const w = y[base + tab[4 * i + 2]];
      const z = y[base + tab[4 * i + 3]];
      const uv = u * v;
      const wz = w * z;
      s1 += u + v + w + z;
      s2 += uv + wz + (u + v) * (w + z);
      s3 += uv * (w + z) + wz * (u + v);
      s4 += uv * wz;
    }
    out[o] = 1;
    out[o + 1] = s1 * inv;
    out[o + 2] = s2 * inv;
    out[o + 3] = s3 * inv;
    out[o + 4] = s4 * inv;
  } else {
    out.fill(0, o, o + k + 1);
    for (let i = 0; i < N; i++) {
      e.fill(0, 0, k + 1);
      e[0] = 1;
      for (let j = 0; j < k; j++) {
        const v = y[base + tab[i * k + j]];
        for (let m = j + 1; m >= 1; m--) e[m] += e[m - 1] * v;
      }
      for (let m = 0; m <= k; m++) out[o + m] += e[m] * inv;
    }
  }
}

/** Mean moment row over samples [lo, hi). */
export function meanMoments(mom: Float64Array, width: number, lo: number, hi: number): Float64Array {
  const out = new Float64Array(width);
  for (let b = lo; b < hi; b++) for (let q = 0; q < width; q++) out[q] += mom[b * width + q];
  for (let q = 0; q < width; q++) out[q] /= hi - lo;
  return out;
}

/** θ2^m θ3^(k−m) for m = 0…k into out[o…o + k], the powers built by multiplication. */
function shapeCoefficients(k: number, t2: number, t3: number, out: Float64Array, o: number): void {
  let p2 = 1;
  for (let m = 0; m <= k; m++) {
    let p3 = 1;
    for (let r = m; r < k; r++) p3 *= t3;
    out[o + m] = p2 * p3;
    p2 *= t2;
  }
}

/** ψ_a for the head (θ2, θ3) from one moment row starting at `o`: Σ_m θ2^m θ3^(k−m) e_m. */
export function featureFromMoments(
  layout: MomentLayout,
  mom: Float64Array,
  o: number,
  a: number,
  t2: number,
  t3: number,
): number {
  const k = layout.sizes[a];
  const base = o + layout.offsets[a];
  const coef = new Float64Array(k + 1);
  shapeCoefficients(k, t2, t3, coef, 0);
  let f = 0;
  for (let m = 0; m <= k; m++) f += coef[m] * mom[base + m];
  return f;
}

/**
 * The coefficients θ2^m θ3^(k_a−m) of every shape, `[M]` in the moment row's layout (so ψ from
 * them is the sum {@link featureFromMoments} forms).
 */
export function headCoefficients(layout: MomentLayout, t2: number, t3: number): Float64Array {
  const coef = new Float64Array(layout.width);
  for (let a = 0; a < layout.shapes.length; a++)
    shapeCoefficients(layout.sizes[a], t2, t3, coef, layout.offsets[a]);
  return coef;
}

/** ψ `[S][A]` of every sample for the head (θ2, θ3). */
export function featuresFromMoments(
  layout: MomentLayout,
  mom: Float64Array,
  samples: number,
  t2: number,
  t3: number,
): Float64Array {
  const A = layout.shapes.length;
  const M = layout.width;
  const out = new Float64Array(samples * A);
  const coef = headCoefficients(layout, t2, t3);
  for (let b = 0; b < samples; b++) {
    for (let a = 0; a < A; a++) {
      const k = layout.sizes[a];
      const base = layout.offsets[a];
      const row = b * M + base;
      let f = 0;
      for (let m = 0; m <= k; m++) f += coef[base + m] * mom[row + m];
      out[b * A + a] = f;
    }
  }
  return out;
}

/** Σ_a (ψ_a(θ) − T_a)² from a mean moment row. */
export function headLoss(
  layout: MomentLayout,
  mean: Float64Array,
  target: ArrayLike<number>,
  t2: number,
  t3: number,
): number {
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
 * (θ2, u = θ3 + θ2·ȳ), ȳ the mean of y: for θ2 on a grid of step 0.02 over [−θmax, θmax]
 * (skipped when `global` is false) the best u by Newton's method from the one-link target, then
 * from the best point (or the previous head, if better) a shrinking pattern search to 1e-8.
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
  // u is pinned by the one-link features (ψ = u there), so start each line search at their target.
  let u0 = 0;
  let n0 = 0;
  for (let a = 0; a < layout.shapes.length; a++) {
    if (layout.sizes[a] === 1) {
      u0 += target[a];
      n0++;
    }
  }
  u0 = n0 > 0 ? u0 / n0 : 1;
  /** min over u at fixed θ2 by Newton steps on ∂L/∂u (central differences), from u0. */
  const lineMin = (t2: number): [number, number] => {
    let u = u0;
    let v = f(t2, u);
    const h = 1e-4;
    for (let it = 0; it < 12; it++) {
      const vp = f(t2, u + h);
      const vm = f(t2, u - h);
      const d1 = (vp - vm) / (2 * h);
      const d2 = (vp - 2 * v + vm) / (h * h);
      const stepU = d2 > 0 ? -d1 / d2 : -Math.sign(d1) * 0.05;
      const un = u + Math.max(-0.5, Math.min(0.5, stepU));
      const vn = f(t2, un);
      if (!(vn < v)) break;
      u = un;
      v = vn;
    }
    return [v, u];
  };
  let best: [number, number, number] = [Number.POSITIVE_INFINITY, 0, 1];
  if (previous)
    best = [f(previous[0], previous[1] + previous[0] * ybar), previous[0], previous[1] + previous[0] * ybar];
  for (let a = -thetaMax; global && a <= thetaMax + 1e-9; a += 0.02) {
    const [v, u] = lineMin(a);
    if (v < best[0]) best = [v, a, u];
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
  let step = 0.01;
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

/** ∂ψ_a/∂θ2 and ∂ψ_a/∂θ3 from a mean moment row, `[A][2]`. */
export function headJacobian(layout: MomentLayout, mean: Float64Array, t2: number, t3: number): Float64Array {
  const A = layout.shapes.length;
  const out = new Float64Array(2 * A);
  for (let a = 0; a < A; a++) {
    const k = layout.sizes[a];
    const base = layout.offsets[a];
    let d2 = 0;
    let d3 = 0;
    for (let m = 0; m <= k; m++) {
      const e = mean[base + m];
      if (m > 0) d2 += m * t2 ** (m - 1) * t3 ** (k - m) * e;
      if (m < k) d3 += (k - m) * t2 ** m * t3 ** (k - m - 1) * e;
    }
    out[2 * a] = d2;
    out[2 * a + 1] = d3;
  }
  return out;
}

/**
 * The Jacobian of the profile loss L*(t) = min_θ L(t, θ) in the linearised model: J_t [A][K]
 * with the head directions projected out, J⊥ = J_t − J_θ (J_θᵀJ_θ)⁻¹ J_θᵀ J_t.
 */
export function profileJacobian(jt: Float64Array, jth: Float64Array, K: number): Float64Array {
  const A = jth.length / 2;
  let a11 = 0;
  let a12 = 0;
  let a22 = 0;
  for (let a = 0; a < A; a++) {
    a11 += jth[2 * a] ** 2;
    a12 += jth[2 * a] * jth[2 * a + 1];
    a22 += jth[2 * a + 1] ** 2;
  }
  const det = a11 * a22 - a12 * a12 || 1e-300;
  const perp = new Float64Array(A * K);
  for (let k = 0; k < K; k++) {
    let b1 = 0;
    let b2 = 0;
    for (let a = 0; a < A; a++) {
      b1 += jth[2 * a] * jt[a * K + k];
      b2 += jth[2 * a + 1] * jt[a * K + k];
    }
    const c1 = (a22 * b1 - a12 * b2) / det;
    const c2 = (a11 * b2 - a12 * b1) / det;
    for (let a = 0; a < A; a++) perp[a * K + k] = jt[a * K + k] - jth[2 * a] * c1 - jth[2 * a + 1] * c2;
  }
  return perp;
}

/**
 * The Gauss–Newton matrix J⊥ᵀJ⊥ [K][K] of the profile loss (see {@link profileJacobian}). A step
 * −(J⊥ᵀJ⊥)⁻¹·(½∂L/∂t) is Newton's step on L* in the linearised model.
 */
export function profileGram(jt: Float64Array, jth: Float64Array, K: number): Float64Array {
  const perp = profileJacobian(jt, jth, K);
  const A = jth.length / 2;
  const gram = new Float64Array(K * K);
  for (let a = 0; a < A; a++) {
    for (let i = 0; i < K; i++)
      for (let j = 0; j < K; j++) gram[i * K + j] += perp[a * K + i] * perp[a * K + j];
  }
  return gram;
}
