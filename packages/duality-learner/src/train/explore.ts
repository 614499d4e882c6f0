// The choice of the exploration start to refine. The lowest mean loss alone is not enough: in
// the ordered phase of the original model several starts can tie within noise, and a tied start
// deep in the candidate's ordered phase is a trap — its chains barely fluctuate, so the
// covariance estimate of ∂L/∂t has no signal and t never moves. Among the starts whose loss is
// statistically indistinguishable from the best, keep the one whose energy term fluctuates most
// (largest Var S_nn), where the coupling gradient is best measured. A start with a large error
// bar must not count as tied when its loss is many times the best, so a tie also needs the loss
// within a factor `ratio` of the best.
//
// The learner ranks the starts by their pooled losses, sampling noise included (never negative):
// the split-half (unbiased) loss subtracts the noise floor, and at a start whose head amplifies
// the noise (|θ2| at its bound, e.g. t0 = 0.1 for β = 0.3 at L = 8) the least of the per-slot
// unbiased losses came out at −0.02 while the noise floor was 0.87 — that start won and the run
// ended 33% off. With the noise included the same start scores 0.85 against 0.009 near β̃.
import { estimate } from "@physml/lattice-core";

/** Mean and error of the second half of one start's exploration losses. */
export function tailEstimate(losses: readonly number[]): { mean: number; error: number } {
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
  return startChoice(losses, varS, z, ratio).chosen;
}

/** The choice of {@link chooseStart}, with why it was made and the order of the fallbacks. */
export interface StartChoice {
  chosen: number;
  /** The reference start: the least upper bound max(mean, 0) + z·error. */
  best: number;
  /** Starts tied with the reference within noise (the reference included). */
  tied: number[];
  /** Per start, the mean per-step Var S_nn. */
  varS: number[];
  /** All starts, the chosen first, then by increasing upper bound (the retries' order). */
  order: number[];
  /** Set when `chosen` is a checkpoint's stored choice that this ranking would not make. */
  stored?: true;
}

/**
 * The ranking with `first` kept, for a run resumed from a checkpoint of an earlier version: that
 * version ranked the starts by their unbiased losses alone (it stored no pooled losses), so
 * ranking its starts now can pick another start than the one it trained from.
 */
export function storedChoice(ranked: StartChoice, first: number): StartChoice {
  if (ranked.chosen === first) return ranked;
  return {
    ...ranked,
    chosen: first,
    order: [first, ...ranked.order.filter((g) => g !== first)],
    stored: true,
  };
}

/** {@link chooseStart} with its reasons. */
export function startChoice(
  losses: readonly number[][],
  varS: readonly number[][],
  z = 2,
  ratio = 1.5,
): StartChoice {
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
  const tiedSet: number[] = [];
  for (let g = 0; g < est.length; g++) {
    const gap = est[g].mean - est[best].mean;
    const tied = gap <= z * Math.hypot(est[g].error, est[best].error) && est[g].mean <= ratio * scale;
    if (tied) tiedSet.push(g);
    if (tied && (meanVar[g] ?? 0) > (meanVar[chosen] ?? 0)) chosen = g;
  }
  const rest = est.map((_, g) => g).filter((g) => g !== chosen);
  rest.sort((a, b) => upper[a] - upper[b]);
  return { chosen, best, tied: tiedSet, varS: meanVar, order: [chosen, ...rest] };
}

/**
 * Why a start was kept, in words, for the exploration log: the lowest loss with sampling noise
 * included, or a tie within noise broken by the energy fluctuation.
 */
export function explainChoice(choice: StartChoice, starts: readonly number[]): string {
  const c = choice.chosen;
  if (choice.stored)
    return `keeping start ${starts[c]}: the choice stored in the checkpoint (an earlier version ranked the starts by their unbiased losses alone)`;
  if (c === choice.best) {
    const others = choice.tied.filter((g) => g !== c);
    return `keeping start ${starts[c]}: lowest loss with sampling noise included${
      others.length > 0
        ? ` (tied within noise with ${others.map((g) => starts[g]).join(", ")}, whose Var S_nn is smaller)`
        : ""
    }`;
  }
  return (
    `keeping start ${starts[c]}: tied within noise with the lowest loss (start ${starts[choice.best]}), ` +
    `and its energy fluctuates most (Var S_nn ${choice.varS[c].toFixed(1)} against ${choice.varS[choice.best].toFixed(1)}), ` +
    "so its coupling gradient is best measured"
  );
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
