// The verdict of a speed target from per-round ratios (ours over the baseline, each round timed
// in the same machine state). On the 2-core VM single rounds swing by ±40% with the machine's
// slow phases (PERFORMANCE.md), so one round above or below 1 says little; what a target asks is
// whether the typical round is below it. The median round with a distribution-free interval
// (order statistics of the binomial sign test, no assumption on the rounds' distribution) says
// that with its uncertainty, and needs no more than the rounds being independent draws.

/** Median of the rounds' ratios, its 95% interval, and how the target compares. */
export interface RatioSummary {
  rounds: number;
  median: number;
  /** Bounds of the interval holding the median round with ≥ 95% confidence; null below 6 rounds. */
  interval: [number, number] | null;
  /** Rounds whose ratio is at or below the target. */
  atOrBelow: number;
  /** "met": the interval lies at or below the target; "not met": above it; else "undecided". */
  verdict: "met" | "not met" | "undecided";
}

/**
 * The order-statistic rank k (1-based) such that [x_(k), x_(n+1−k)] covers the median with
 * probability ≥ 1 − alpha: the largest k with P(Bin(n, ½) < k) ≤ alpha/2; 0 when none exists.
 */
export function medianIntervalRank(n: number, alpha = 0.05): number {
  let below = 0; // P(Bin(n, ½) < k), built term by term
  let term = 0.5 ** n; // C(n, 0)/2ⁿ
  let k = 0;
  for (let i = 0; i < n; i++) {
    below += term;
    if (below > alpha / 2) break;
    k = i + 1;
    term = (term * (n - i)) / (i + 1);
  }
  return k;
}

/** Summary of per-round ratios against a target (≤ `target` is what the target asks). */
export function summarizeRatios(ratios: readonly number[], target = 1): RatioSummary {
  const s = ratios.filter(Number.isFinite).sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) throw new Error("summarizeRatios: no finite ratio");
  const median = n % 2 === 1 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  const k = medianIntervalRank(n);
  const interval: [number, number] | null = k > 0 ? [s[k - 1], s[n - k]] : null;
  const verdict =
    interval === null
      ? "undecided"
      : interval[1] <= target
        ? "met"
        : interval[0] > target
          ? "not met"
          : "undecided";
  return { rounds: n, median, interval, atOrBelow: s.filter((r) => r <= target).length, verdict };
}

/** One line, e.g. "MLP step: median round 0.82× (95% interval 0.76–0.97 over 20 rounds; 15 of 20 ≤ 1): target ≤ 1.0× met". */
export function ratioLine(name: string, r: RatioSummary, target = 1): string {
  const f = (x: number) => x.toFixed(2);
  const iv =
    r.interval === null
      ? `no 95% interval below 6 rounds (--rounds)`
      : `95% interval ${f(r.interval[0])}–${f(r.interval[1])}`;
  const t = `target ≤ ${target.toFixed(1)}×`;
  const verdict =
    r.verdict === "met"
      ? `${t} met`
      : r.verdict === "not met"
        ? `${t} not met`
        : r.interval === null
          ? `${t} not decided`
          : `${t} not shown: the interval reaches above it`;
  return `${name}: median round ${f(r.median)}× (${iv} over ${r.rounds} rounds; ${r.atOrBelow} of ${r.rounds} ≤ ${target}): ${verdict}`;
}
