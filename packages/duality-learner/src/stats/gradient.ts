// The coupling gradient of the loss L(t) = Σ_a (⟨ψ_a(O)⟩_t − T_a)², by the covariance estimator
// ∂⟨f⟩_t/∂t_k = Cov_t(f, S_k) (weight exp(Σ_k t_k S_k)). The samples are split into two halves
// of independent chains: the residual l_a comes from one half and the covariance from the other,
// so their product is an unbiased estimate of l_a·∂_k⟨ψ_a⟩; both assignments are averaged.
import { PhysmlInputError } from "@physml/lattice-core";

/** Inputs of {@link couplingGradient}. Arrays are sample-major: row b = one sample. */
export interface GradientInput {
  /** ψ_a of each sample, `[S][A]`. */
  psi: Float64Array;
  /** Term sums of each sample, `[S][4]` (S_nn, S_plaq, S_nnn, M). */
  terms: Float64Array;
  /** Number of samples S; rows `[0, half)` form half A, `[half, S)` half B. */
  samples: number;
  half: number;
  /** Target feature means T_a. */
  target: ArrayLike<number>;
  /** Which term sums are the learned couplings' S_k (indices into the 4 terms). */
  termIndices: readonly number[];
  /**
   * Centre ψ within each half (the sample covariance: ψ's mean is the control variate of the
   * zero-mean score S_k − ⟨S_k⟩). False: the published form mean_b(ψ_b·(S_b − S̄)) with S̄ the
   * mean over both halves.
   */
  controlVariates?: boolean;
  /**
   * Optional importance weights per sample (e.g. exp((t − t_s)·S) for samples drawn at an
   * earlier t_s); means and covariances become weighted ones, normalised within each half.
   */
  weights?: Float64Array;
}

/** Output of {@link couplingGradient}. */
export interface GradientOutput {
  /** ∂L/∂t_k, one per learned term (split halves: unbiased). */
  grad: Float64Array;
  /**
   * ∂L/∂t_k of the pooled loss Σ_a (mean_a − T_a)², i.e. 2 Σ_a l_a J_ak with residual and
   * covariance from the same samples (biased by O(1/samples), but the gradient of a loss that is
   * bounded below on a fixed sample set).
   */
  gradPooled: Float64Array;
  /** Residuals l_a = ⟨ψ_a⟩ − T_a of half A and half B. */
  residualA: Float64Array;
  residualB: Float64Array;
  /** Means of ψ_a over all samples. */
  mean: Float64Array;
  /** L estimated without noise bias: Σ_a l_a^A·l_a^B. */
  lossUnbiased: number;
  /** L of the pooled means (biased upwards by the sampling variance). */
  loss: number;
  /** J_ak = Cov(ψ_a, S_k) over all samples, `[A][K]`. */
  jacobian: Float64Array;
  /** Fisher metric F_kl = Cov(S_k, S_l) over all samples, `[K][K]`. */
  fisher: Float64Array;
}

/** Column means of rows [lo, hi) of a row-major array: column j of row b is data[b·stride + cols[j]]. */
function colMeans(
  data: Float64Array,
  stride: number,
  cols: readonly number[],
  lo: number,
  hi: number,
  w: Float64Array | undefined,
): Float64Array {
  const width = cols.length;
  const m = new Float64Array(width);
  let W = 0;
  const dense = cols === identity(width) && stride === width;
  for (let b = lo; b < hi; b++) {
    const wb = w ? w[b] : 1;
    W += wb;
    const row = b * stride;
    if (dense) for (let j = 0; j < width; j++) m[j] += wb * data[row + j];
    else for (let j = 0; j < width; j++) m[j] += wb * data[row + cols[j]];
  }
  for (let j = 0; j < width; j++) m[j] /= W;
  return m;
}

const identities = new Map<number, number[]>();
/** [0, 1, …, n−1] (cached): the column map of a dense row. */
function identity(n: number): number[] {
  let v = identities.get(n);
  if (!v) {
    v = Array.from({ length: n }, (_, i) => i);
    identities.set(n, v);
  }
  return v;
}

/** Weighted Cov(ψ_a, S_k) over rows [lo, hi), `[A][K]` (unbiased for equal weights). */
function covariance(
  inp: GradientInput,
  A: number,
  lo: number,
  hi: number,
  centre: boolean,
  sMeanOverride?: Float64Array,
  psiMean?: Float64Array,
): Float64Array {
  const K = inp.termIndices.length;
  const w = inp.weights;
  const psi = inp.psi;
  const terms = inp.terms;
  const ti = inp.termIndices;
  // psiMean: the caller's colMeans of ψ over the same rows and weights (the same numbers)
  const pm = centre ? (psiMean ?? colMeans(psi, A, identity(A), lo, hi, w)) : new Float64Array(A);
  const sm = sMeanOverride ?? colMeans(terms, 4, ti, lo, hi, w);
  const out = new Float64Array(A * K);
  let W = 0;
  let W2 = 0;
  for (let b = lo; b < hi; b++) {
    const wb = w ? w[b] : 1;
    W += wb;
    W2 += wb * wb;
    const prow = b * A;
    for (let k = 0; k < K; k++) {
      const ds = wb * (terms[b * 4 + ti[k]] - sm[k]);
      for (let a = 0; a < A; a++) out[a * K + k] += (psi[prow + a] - pm[a]) * ds;
    }
  }
  // Bessel's correction for weighted samples: W − W2/W (= n − 1 for equal weights).
  const norm = centre ? W - W2 / W : W;
  for (let i = 0; i < out.length; i++) out[i] /= norm;
  return out;
}

/** The split-half covariance estimate of ∂L/∂t and the statistics the preconditioners use. */
export function couplingGradient(inp: GradientInput): GradientOutput {
  const { samples: S, half, target, termIndices } = inp;
  const A = target.length;
  const K = termIndices.length;
  if (inp.psi.length !== S * A)
    throw new PhysmlInputError("psi.length", `samples·A = ${S * A}`, inp.psi.length);
  if (inp.terms.length !== S * 4)
    throw new PhysmlInputError("terms.length", `samples·4 = ${S * 4}`, inp.terms.length);
  if (!Number.isInteger(half) || half < 2 || S - half < 2) {
    throw new PhysmlInputError("half", `an integer with ≥ 2 samples on each side (samples = ${S})`, half);
  }
  const centre = inp.controlVariates ?? true;
  const w = inp.weights;
  if (w && w.length !== S) throw new PhysmlInputError("weights.length", `samples = ${S}`, w.length);
  const cols = identity(A);
  const mA = colMeans(inp.psi, A, cols, 0, half, w);
  const mB = colMeans(inp.psi, A, cols, half, S, w);
  const mean = colMeans(inp.psi, A, cols, 0, S, w);
  const residualA = Float64Array.from(mA, (v, a) => v - target[a]);
  const residualB = Float64Array.from(mB, (v, a) => v - target[a]);
  const sAll = colMeans(inp.terms, 4, termIndices, 0, S, w);
  const covA = covariance(inp, A, 0, half, centre, centre ? undefined : sAll, mA);
  const covB = covariance(inp, A, half, S, centre, centre ? undefined : sAll, mB);
  const grad = new Float64Array(K);
  let lossUnbiased = 0;
  let loss = 0;
  for (let a = 0; a < A; a++) {
    lossUnbiased += residualA[a] * residualB[a];
    loss += (mean[a] - target[a]) ** 2;
    for (let k = 0; k < K; k++) grad[k] += residualA[a] * covB[a * K + k] + residualB[a] * covA[a * K + k];
  }
  const jacobian = covariance(inp, A, 0, S, true, undefined, mean);
  const gradPooled = new Float64Array(K);
  for (let a = 0; a < A; a++)
    for (let k = 0; k < K; k++) gradPooled[k] += 2 * (mean[a] - target[a]) * jacobian[a * K + k];
  const fisher = new Float64Array(K * K);
  let W = 0;
  let W2 = 0;
  for (let b = 0; b < S; b++) {
    const wb = w ? w[b] : 1;
    W += wb;
    W2 += wb * wb;
    for (let k = 0; k < K; k++) {
      const dk = wb * (inp.terms[b * 4 + termIndices[k]] - sAll[k]);
      for (let j = 0; j < K; j++) fisher[k * K + j] += dk * (inp.terms[b * 4 + termIndices[j]] - sAll[j]);
    }
  }
  for (let i = 0; i < fisher.length; i++) fisher[i] /= W - W2 / W;
  return { grad, gradPooled, residualA, residualB, mean, lossUnbiased, loss, jacobian, fisher };
}

/** Solves the small symmetric system (M + λ·diag(M) + ε) x = g by Gaussian elimination. */
export function solveDamped(M: Float64Array, g: Float64Array, damping: number): Float64Array {
  const K = g.length;
  const a = new Float64Array(K * (K + 1));
  let scale = 0;
  for (let k = 0; k < K; k++) scale = Math.max(scale, Math.abs(M[k * K + k]));
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < K; j++)
      a[i * (K + 1) + j] = M[i * K + j] + (i === j ? damping * M[i * K + i] + 1e-12 * (scale || 1) : 0);
    a[i * (K + 1) + K] = g[i];
  }
  for (let c = 0; c < K; c++) {
    let p = c;
    for (let r = c + 1; r < K; r++) if (Math.abs(a[r * (K + 1) + c]) > Math.abs(a[p * (K + 1) + c])) p = r;
    for (let j = 0; j <= K; j++)
      [a[c * (K + 1) + j], a[p * (K + 1) + j]] = [a[p * (K + 1) + j], a[c * (K + 1) + j]];
    const d = a[c * (K + 1) + c];
    for (let r = 0; r < K; r++) {
      if (r === c) continue;
      const f = a[r * (K + 1) + c] / d;
      for (let j = c; j <= K; j++) a[r * (K + 1) + j] -= f * a[c * (K + 1) + j];
    }
  }
  return Float64Array.from({ length: K }, (_, i) => a[i * (K + 1) + K] / a[i * (K + 1) + i]);
}

/**
 * Preconditioned coupling gradient: `natural` solves with the per-site Fisher metric
 * Cov(S)/N, `gauss-newton` with JᵀJ (the Gauss–Newton Hessian of L/2), both damped by 10%.
 */
export function precondition(
  g: GradientOutput,
  mode: "none" | "natural" | "gauss-newton",
  nSites: number,
): Float64Array {
  if (mode === "none") return g.grad;
  const K = g.grad.length;
  if (mode === "natural")
    return solveDamped(
      g.fisher.map((v) => v / nSites),
      g.grad,
      0.1,
    );
  const A = g.jacobian.length / K;
  const jtj = new Float64Array(K * K);
  for (let a = 0; a < A; a++) {
    for (let k = 0; k < K; k++)
      for (let j = 0; j < K; j++) jtj[k * K + j] += 2 * g.jacobian[a * K + k] * g.jacobian[a * K + j];
  }
  return solveDamped(jtj, g.grad, 0.1);
}

/** Mean and batch-means standard error of a series (e.g. t over the last steps). */
export function batchMeans(series: ArrayLike<number>, batches = 10): { mean: number; error: number } {
  const n = series.length;
  if (n === 0) throw new PhysmlInputError("series.length", ">= 1", 0);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += series[i];
  mean /= n;
  const nb = Math.min(batches, n);
  if (nb < 2) return { mean, error: Number.NaN };
  const size = Math.floor(n / nb);
  const bm: number[] = [];
  for (let b = 0; b < nb; b++) {
    let s = 0;
    for (let i = b * size; i < (b + 1) * size; i++) s += series[i];
    bm.push(s / size);
  }
  const mb = bm.reduce((x, y) => x + y, 0) / nb;
  const v = bm.reduce((x, y) => x + (y - mb) ** 2, 0) / (nb - 1);
  return { mean, error: Math.sqrt(v / nb) };
}
