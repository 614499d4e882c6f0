// The choice of the exploration start to refine. The lowest mean loss alone is not enough: in
// the ordered phase of the original model several starts can tie within noise, and a tied start
// deep in the candidate's ordered phase is a trap — its chains barely fluctuate, so the
// covariance estimate of ∂L/∂t has no signal and t never moves. Among the starts whose loss is
// statistically indistinguishable from the best, keep the one whose energy term fluctuates most
// (largest Var S_nn), where the coupling gradient is best measured. A start with a large error
// bar must not count as tied when its loss is many times the best, so a tie also needs the loss
// within a factor `ratio` of the best.
import { estimate } from "@physml/lattice-core";

/** Mean and error of the second half of one start's exploration losses. */
function tailEstimate(losses: readonly number[]): { mean: number; error: number } {
  const tail = losses.slice(Math.floor(losses.length / 2));
  if (tail.length < 4) {
    const mean = tail.reduce((a, b) => a + b, 0) / Math.max(1, tail.length);
    return { mean, error: 0 };
  }
  const e = estimate(tail);
  return { mean: e.mean, error: Number.isFinite(e.error) ? e.error : 0 };
}

/**
 * Index of the start to refine: among starts whose tail loss is within `z` combined standard
 * errors of the reliably lowest one (least max(mean, 0) + z·error) and at most `ratio` times it
 * (or times its error, when that is larger), the one with the largest mean `varS`
 * (per-step variance of S_nn over the start's samples). `varS` may be empty for a start (old
 * checkpoints): it then counts as 0.
 */
export function chooseStart(
  losses: readonly number[][],
  varS: readonly number[][],
  z = 2,
  ratio = 1.5,
): number {
  const est = losses.map(tailEstimate);
  // The reference start is the one whose loss is reliably lowest: the least upper bound
  // max(mean, 0) + z·error. (The loss estimates are unbiased, so a start whose chains are nearly
  // frozen — deep in the candidate's ordered phase — can show a small or even negative mean with
  // a wide error bar; the plain lowest mean picked exactly those at L = 8.)
  const upper = est.map((e) => Math.max(e.mean, 0) + z * e.error);
  let best = 0;
  for (let g = 1; g < est.length; g++) if (upper[g] < upper[best]) best = g;
  const scale = Math.max(est[best].mean, est[best].error);
  const meanVar = varS.map((v) => (v.length > 0 ? v.reduce((a, b) => a + b, 0) / v.length : 0));
  let chosen = best;
  for (let g = 0; g < est.length; g++) {
    const gap = est[g].mean - est[best].mean;
    const tied = gap <= z * Math.hypot(est[g].error, est[best].error) && est[g].mean <= ratio * scale;
    if (tied && (meanVar[g] ?? 0) > (meanVar[chosen] ?? 0)) chosen = g;
  }
  return chosen;
}

/** Variance of S_nn over `samples` rows of a `[sample][4]` term array. */
export function termVariance(terms: ArrayLike<number>, samples: number, k = 0): number {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < samples; i++) {
    const v = terms[i * 4 + k];
    s += v;
    s2 += v * v;
  }
  const m = s / samples;
  return Math.max(0, s2 / samples - m * m);
}
