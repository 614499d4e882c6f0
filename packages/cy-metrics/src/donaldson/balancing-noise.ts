// How much σ_k varies with the integration points the metric was balanced on, by linear response.
// The balanced G solves G = Φ(G) = T_P(G)⁻¹ on the random point set P, so it is random: with
// T_P = T_∞ + δT, δG = J δG + ε where J = dΦ at G and ε = −G δT G. Iterating n times from the
// (non-random) G = 1 gives δG_n = Σ_{m<n} J^m ε, and σ moves by dσ = Re tr(Z δG_n), Z = ∂σ/∂G.
// With the pairing ⟨X, Y⟩ = Re tr(XY), dσ = ⟨v, ε⟩ for v = Σ_{m<n} (J*)^m Z, where
//   J[X] = f Σ_i (w_i/D_i²) s_iᵀX s̄_i · G A_i G,   J*[Y] = f Σ_i (w_i/D_i²) s_iᵀ(GYG)s̄_i · A_i,
// A_i = s̄_i s_iᵀ, D_i = s_iᵀG s̄_i, f = N/Σw. Since T = N Σ_l X_l / Σ_l W_l over lines l (X_l =
// Σ_{i∈l} w_i A_i/D_i, W_l = Σ_{i∈l} w_i), δT is a sum of independent centred line terms and
//   dσ = Σ_l u_l,  u_l = −(N/Σw) Σ_{i∈l} w_i (p_i/D_i − p̄),  p_i = s_iᵀ(GvG)s̄_i,
// p̄ = Σ w p/D / Σ w, so the linear part of Var σ is L/(L−1) Σ u_l² over the L lines. J has the
// eigenvalue 1 along G (the scale of G, to which σ is blind; Z ⊥ G) and |λ| < 1 elsewhere, so the
// sum over m is cut once its terms are negligible; each costs one pass over the points, as a
// T-iteration does.
// That linear part is not enough: σ is nearly stationary in most directions of G (exactly so by
// symmetry for the Fermat quintic at k = 1), where it varies quadratically. For σ = σ₀ + Z₀·δ +
// ½ δᵀHδ and Gaussian δ of covariance C, Var σ = Z₀ᵀCZ₀ + ½ tr((HC)²), while the linear response
// at the balanced (already displaced) G, with gradient Z₀ + Hδ, averages Z₀ᵀCZ₀ + tr((HC)²): it
// overestimates by ½ tr((HC)²), up to √2 in the error where σ is stationary. That term is
// estimated with one random probe (Hutchinson) and subtracted. Measured against the spread of σ_k
// over seeds in the package README ("Error bars: calibration over seeds").
import { random } from "@physml/autodiff";
import { multiply, type SplitMatrix } from "../complex.js";
import { sigmaFromEta } from "../eval/sigma.js";
import type { McValue } from "../eval/volumes.js";
import { POINTS_PER_LINE, type PointSet } from "../geometry/sample.js";
import { algebraicEtaGrad } from "../models/algebraic-grad.js";
import { etaLoss } from "../models/eta-loss.js";
import { type AlgebraicMetric, evaluateMetric } from "./algebraic-metric.js";
import { complexBlock, complexFromBlockProduct, gemm } from "./gemm.js";
import { type SectionBasis, sectionRows } from "./sections.js";

/** Held-out points per chunk of σ's gradient (its rows take 17 · 2N doubles per point). */
export const SIGMA_GRADIENT_CHUNK = 512;

/** Integration points per chunk of a linear-response pass. */
const CHUNK = 4096;

/** Relative size of a term of Σ (J*)^m Z below which the sum stops. */
const TERM_TOLERANCE = 1e-3;

/** σ of an algebraic metric on (held-out) points with its jackknife error, and ∂σ/∂G there. */
export interface SigmaGradient {
  sigma: McValue;
  /** Hermitian Z with dσ = Re tr(Z dG). */
  Z: SplitMatrix;
}

/** σ of `metric` on `points` (as {@link sigma}) and its gradient with respect to G. */
export function sigmaGradient(metric: AlgebraicMetric, points: PointSet): SigmaGradient {
  const { det } = evaluateMetric(metric, points);
  const eta = new Float64Array(points.n);
  for (let i = 0; i < points.n; i++) eta[i] = det[i] / points.omega2[i];
  const s = sigmaFromEta(eta, points.weight);
  // the l1 Monge–Ampère loss is σ on these points; its dσ/dη needs every point's η (through r)
  const dEta = new Float64Array(points.n);
  etaLoss("l1", eta, points.weight, dEta);
  const N = metric.basis.size;
  const re = new Float64Array(N * N);
  const im = new Float64Array(N * N);
  for (let from = 0; from < points.n; from += SIGMA_GRADIENT_CHUNK) {
    const to = Math.min(points.n, from + SIGMA_GRADIENT_CHUNK);
    const { Z } = algebraicEtaGrad(metric, points, from, to, (_eta, _w, d) => {
      d.set(dEta.subarray(from, to));
      return 0;
    });
    for (let q = 0; q < N * N; q++) {
      re[q] += Z.re[q];
      im[q] += Z.im[q];
    }
  }
  return { sigma: s, Z: hermitianPart({ n: N, re, im }) };
}

/** (X + X†)/2: only this part of a gradient pairs with Hermitian dG. */
function hermitianPart(x: SplitMatrix): SplitMatrix {
  const n = x.n;
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      re[a * n + b] = 0.5 * (x.re[a * n + b] + x.re[b * n + a]);
      im[a * n + b] = 0.5 * (x.im[a * n + b] - x.im[b * n + a]);
    }
  }
  return { n, re, im };
}

/**
 * One pass over the points: q_i = s_iᵀ Q s̄_i for every point into `q` and, when `coefficient` is
 * given, Σ_i coefficient(i, q_i) A_i (else null).
 */
function pass(
  basis: SectionBasis,
  Q: SplitMatrix,
  points: PointSet,
  q: Float64Array,
  coefficient?: (i: number, qi: number) => number,
): SplitMatrix | null {
  const N = basis.size;
  const W = 2 * N;
  const block = complexBlock(Q.re, Q.im, N);
  const rows = new Float64Array(CHUNK * W);
  const scaled = new Float64Array(CHUNK * W);
  const acc = new Float64Array(W * W);
  for (let from = 0; from < points.n; from += CHUNK) {
    const to = Math.min(points.n, from + CHUNK);
    const c = to - from;
    sectionRows(basis, points, from, to, false, rows);
    const U = gemm(rows, c, W, block, W, W);
    for (let i = 0; i < c; i++) {
      let d = 0;
      for (let r = 0; r < W; r++) d += U[i * W + r] * rows[i * W + r];
      q[from + i] = d;
      if (!coefficient) continue;
      const f = coefficient(from + i, d);
      for (let r = 0; r < W; r++) scaled[i * W + r] = f * rows[i * W + r];
    }
    if (!coefficient) continue;
    const M = gemm(scaled, c, W, rows, c, W, true, false);
    for (let r = 0; r < W * W; r++) acc[r] += M[r];
  }
  if (!coefficient) return null;
  // Σ f_i s̄_i s_iᵀ from the real blocks, as in the T-operator
  return complexFromBlockProduct(acc, N);
}

const norm = (x: SplitMatrix) =>
  Math.sqrt(x.re.reduce((s, v) => s + v * v, 0) + x.im.reduce((s, v) => s + v * v, 0));

/**
 * Each line's term u_l of σ's change with the integration points (dσ = Σ_l u_l, centred): σ moves
 * by ε u_l when line l's weights are scaled by 1 + ε before balancing.
 */
export function balancingInfluence(
  metric: AlgebraicMetric,
  points: PointSet,
  Z: SplitMatrix,
  iterations: number,
): Float64Array {
  if (iterations === 0) return new Float64Array(points.n / POINTS_PER_LINE);
  const { basis, G } = metric;
  const n = points.n;
  const D = new Float64Array(n);
  pass(basis, G, points, D);
  let wSum = 0;
  for (let i = 0; i < n; i++) wSum += points.weight[i];
  const f = basis.size / wSum;
  const q = new Float64Array(n);
  const adjointJ = (Y: SplitMatrix) =>
    pass(basis, multiply(multiply(G, Y), G), points, q, (i, qi) => (f * points.weight[i] * qi) / D[i] ** 2);
  const v: SplitMatrix = { n: Z.n, re: Float64Array.from(Z.re), im: Float64Array.from(Z.im) };
  let term = Z;
  let terms = 1;
  while (terms < iterations && norm(term) > TERM_TOLERANCE * norm(v)) {
    term = adjointJ(term) as SplitMatrix;
    for (let r = 0; r < v.re.length; r++) {
      v.re[r] += term.re[r];
      v.im[r] += term.im[r];
    }
    terms++;
  }
  const p = new Float64Array(n);
  pass(basis, multiply(multiply(G, v), G), points, p);
  let pBar = 0;
  for (let i = 0; i < n; i++) pBar += (points.weight[i] * p[i]) / D[i];
  pBar /= wSum;
  const lines = n / POINTS_PER_LINE;
  const u = new Float64Array(lines);
  for (let l = 0; l < lines; l++) {
    let s = 0;
    for (let i = l * POINTS_PER_LINE; i < (l + 1) * POINTS_PER_LINE; i++)
      s += points.weight[i] * (p[i] / D[i] - pBar);
    u[l] = -f * s;
  }
  return u;
}

/** The balancing's share of σ's error. */
export interface BalancingNoise {
  /** Standard deviation of σ over independent sets of integration points. */
  error: number;
  /** The linear-response part alone, Σ_l u_l² (an overestimate where σ is nearly stationary in G). */
  linear: number;
  /** ½ tr((HC)²): the curvature's share of the linear part, subtracted from it. */
  curvature: number;
}

const sumOfSquares = (u: Float64Array) =>
  u.length > 1 ? (u.length / (u.length - 1)) * u.reduce((s, x) => s + x * x, 0) : 0;

/**
 * The standard deviation that σ of `metric` on `held` (gradient `Z` from {@link sigmaGradient})
 * has over the integration points `points` it was balanced on by `iterations` T-iterations from
 * G = 1 (whole lines in sampling order). `probe` seeds the random line multipliers of the
 * curvature estimate.
 */
export function balancingNoise(
  metric: AlgebraicMetric,
  points: PointSet,
  held: PointSet,
  Z: SplitMatrix,
  iterations: number,
  probe = 1,
): BalancingNoise {
  if (iterations === 0) return { error: 0, linear: 0, curvature: 0 };
  const linear = sumOfSquares(balancingInfluence(metric, points, Z, iterations));
  // Hutchinson: with δ the response to ξ ~ N(0, 1) per line, Cov δ = C and H δ = (Z(G + δ) − Z(G − δ))/2
  // exactly for a quadratic σ, so E[(Hδ)ᵀ C (Hδ)] = tr((HC)²).
  const xi = random.normal(random.key(probe), [points.n / POINTS_PER_LINE]).toFloat64Array();
  const delta = balancingResponse(metric, points, xi, iterations);
  const shifted = (sign: number) =>
    sigmaGradient(
      {
        basis: metric.basis,
        G: {
          n: delta.n,
          re: metric.G.re.map((x, r) => x + sign * delta.re[r]),
          im: metric.G.im.map((x, r) => x + sign * delta.im[r]),
        },
      },
      held,
    ).Z;
  const plus = shifted(1);
  const minus = shifted(-1);
  const Hdelta: SplitMatrix = {
    n: delta.n,
    re: plus.re.map((x, r) => 0.5 * (x - minus.re[r])),
    im: plus.im.map((x, r) => 0.5 * (x - minus.im[r])),
  };
  const curvature = 0.5 * sumOfSquares(balancingInfluence(metric, points, Hdelta, iterations));
  return { error: Math.sqrt(Math.max(0, linear - curvature)), linear, curvature };
}

/** σ_k of a balanced metric with both parts of its error. */
export interface BalancedSigma {
  /** σ on the held-out points; its error is theirs alone (the error of this metric's σ). */
  sigma: McValue;
  /** The spread of σ over the integration points the metric was balanced on. */
  balancingError: number;
  /** σ with both errors in quadrature: the spread of σ_k over seeds (new integration and held-out points). */
  sigmaWithBalancing: McValue;
}

/**
 * σ of the metric balanced by `iterations` T-iterations on `integrationPoints`, on the independent
 * held-out points `held`, with the held-out error and the balancing's.
 */
export function balancedSigma(
  metric: AlgebraicMetric,
  integrationPoints: PointSet,
  held: PointSet,
  iterations: number,
): BalancedSigma {
  const { sigma, Z } = sigmaGradient(metric, held);
  const balancingError = balancingNoise(metric, integrationPoints, held, Z, iterations).error;
  return {
    sigma,
    balancingError,
    sigmaWithBalancing: { mean: sigma.mean, error: Math.hypot(sigma.error, balancingError) },
  };
}

/** G's linear response δG = Σ_{m<n} J^m ε to line multipliers ξ (line l's weights scaled by 1 + ξ_l). */
export function balancingResponse(
  metric: AlgebraicMetric,
  points: PointSet,
  xi: Float64Array,
  iterations: number,
): SplitMatrix {
  const { basis, G } = metric;
  const n = points.n;
  const N = basis.size;
  const D = new Float64Array(n);
  let wSum = 0;
  for (let i = 0; i < n; i++) wSum += points.weight[i];
  const f = N / wSum;
  const T = pass(basis, G, points, D, (i, d) => (f * points.weight[i]) / d) as SplitMatrix;
  let xw = 0;
  for (let i = 0; i < n; i++) xw += xi[Math.floor(i / POINTS_PER_LINE)] * points.weight[i];
  const q = new Float64Array(n);
  const X = pass(
    basis,
    G,
    points,
    q,
    (i) => (f * xi[Math.floor(i / POINTS_PER_LINE)] * points.weight[i]) / D[i],
  ) as SplitMatrix;
  const c = (f * xw) / N;
  const dT: SplitMatrix = {
    n: N,
    re: X.re.map((x, r) => x - c * T.re[r]),
    im: X.im.map((x, r) => x - c * T.im[r]),
  };
  const eps = multiply(multiply(G, dT), G);
  const delta: SplitMatrix = { n: N, re: eps.re.map((x) => -x), im: eps.im.map((x) => -x) };
  let term = delta;
  const out: SplitMatrix = { n: N, re: Float64Array.from(delta.re), im: Float64Array.from(delta.im) };
  for (let m = 1; m < iterations && norm(term) > TERM_TOLERANCE * norm(out); m++) {
    const C = pass(basis, term, points, q, (i, qi) => (f * points.weight[i] * qi) / D[i] ** 2) as SplitMatrix;
    term = multiply(multiply(G, C), G);
    for (let r = 0; r < out.re.length; r++) {
      out.re[r] += term.re[r];
      out.im[r] += term.im[r];
    }
  }
  return out;
}
