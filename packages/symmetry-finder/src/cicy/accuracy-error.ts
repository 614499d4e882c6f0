// The error bar of an accuracy p measured on n independent items. The binomial standard error
// √(p(1−p)/n) is 0 at p = 0 or 1, which on a handful of test CICYs would claim a certainty the
// data do not have; there the bar is the distance to the 1σ Wilson score bound instead.
import { PhysmlInputError } from "@physml/lattice-core";

/**
 * One-σ error of an accuracy p = hits/n over n ≥ 1 independent items: √(p(1−p)/n) for 0 < p < 1;
 * at p = 1 (and alike at p = 0) 1/(n + 1), the distance to the true accuracy q = n/(n + 1) that
 * the Wilson score bound puts one standard error √(q(1−q)/n) below the observed 1. It joins the
 * formula's values next to it: 0.5 at n = 1 (every accuracy ±0.5), 0.2 at n = 4 where 3 of 4
 * gives 0.22, 0.0099 at n = 100 where 99 of 100 gives 0.00995.
 */
export function accuracyError(p: number, n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new PhysmlInputError("n", "an integer ≥ 1", n);
  if (!(p >= 0 && p <= 1)) throw new PhysmlInputError("p", "an accuracy in [0, 1]", p);
  return p === 0 || p === 1 ? 1 / (n + 1) : Math.sqrt((p * (1 - p)) / n);
}
