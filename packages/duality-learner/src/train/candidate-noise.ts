// The candidate chains' share of the error of the learned couplings (exact mode). The fit matches
// the memory pool's weighted feature means to the target, and those means carry the sampling
// noise of the candidate chains. The pool holds the last steps of the same persistent chains, so
// its rows are far from independent, and the tail of a short training moves t too little for
// batch means of t to see that noise. The chains are independent of one another, though, so the
// covariance of the pooled means follows from per-chain sums, each chain taken as one cluster.
// (The chains cloned from the kept start at the end of exploration count as independent once the
// sweeps since then have decorrelated them; in a pool of the first few training steps they have
// not, and this part is then too small.)
import type { MemoryPool } from "./memory-pool.js";
import type { StepContext } from "./step-context.js";
import { type FitSensitivity, propagatedErrors } from "./target-sensitivity.js";

/**
 * Covariance `[A][A]` of the weighted means of `psi` `[S][A]` over the pool's rows, with the rows
 * grouped by the chain that drew them (`rowsPerChain` consecutive rows of an entry per chain):
 * the linearised ratio estimator Σ_c u_c u_cᵀ / W² · C/(C − 1), u_c = Σ_{rows of c} w (ψ − m).
 */
export function chainClusterCovariance(
  pool: MemoryPool,
  psi: Float64Array,
  rowsPerChain: number,
): number[][] {
  const S = pool.samples;
  const A = psi.length / S;
  const mean = new Float64Array(A);
  let W = 0;
  for (let r = 0; r < S; r++) {
    const w = pool.weights[r];
    W += w;
    for (let a = 0; a < A; a++) mean[a] += w * psi[r * A + a];
  }
  for (let a = 0; a < A; a++) mean[a] /= W;
  const sums = new Map<number, Float64Array>();
  let r = 0;
  for (const run of pool.runs) {
    for (let b = run.lo; b < run.hi; b++, r++) {
      const c = Math.floor(b / rowsPerChain);
      let u = sums.get(c);
      if (!u) {
        u = new Float64Array(A);
        sums.set(c, u);
      }
      const w = pool.weights[r];
      for (let a = 0; a < A; a++) u[a] += w * (psi[r * A + a] - mean[a]);
    }
  }
  const C = sums.size;
  const cov = Array.from({ length: A }, () => new Array<number>(A).fill(0));
  if (C < 2) return cov;
  const f = C / (C - 1) / (W * W);
  for (const u of sums.values()) {
    for (let a = 0; a < A; a++) for (let b = 0; b < A; b++) cov[a][b] += f * u[a] * u[b];
  }
  return cov;
}

/**
 * How much the tail average shrinks a single pool's candidate noise: the tail averages t over
 * `tailSteps` steps, the fit at step n sees the pool of the `poolSteps` steps up to n, so step s's
 * samples enter with weight k_s / (tailSteps · poolSteps), k_s the number of tail pools holding s.
 * With the chains' correlation from step to step short against the pool, the variance of that
 * average over the one of a single pool (weight 1/poolSteps each) is poolSteps · Σ_s (k_s /
 * (tailSteps · poolSteps))²; this returns its square root (1 for a one-step tail).
 */
export function tailAveragingFactor(tailSteps: number, poolSteps: number): number {
  const span = tailSteps + poolSteps - 1;
  let sum = 0;
  for (let s = 0; s < span; s++) {
    const k = Math.min(s + 1, poolSteps, tailSteps, span - s);
    sum += k * k;
  }
  return Math.sqrt((poolSteps * sum) / (tailSteps * poolSteps) ** 2);
}

/**
 * The candidate chains' share of the error of each learned coupling averaged over the last
 * `tailSteps` steps: √(w Σ_C wᵀ) with w the fit's sensitivity `fit` (see fitSensitivity) and Σ_C
 * the chain-cluster covariance of its pool's feature means, times {@link tailAveragingFactor};
 * null when `fit` is (not the exact mode, or no fitted head yet).
 */
export function candidateErrors(
  ctx: StepContext,
  fit: FitSensitivity | null,
  tailSteps: number,
): number[] | null {
  if (!fit) return null;
  const cc = ctx.config.candidate;
  const cov = chainClusterCovariance(fit.pool, fit.psi, Math.floor(cc.sweepsPerStep / cc.every));
  // Every entry of the pool is two runs (its half A and its half B).
  const f = tailAveragingFactor(Math.max(1, tailSteps), fit.pool.runs.length / 2);
  return propagatedErrors(ctx, fit.w, (a, b) => cov[a][b]).map((e) => e * f);
}
