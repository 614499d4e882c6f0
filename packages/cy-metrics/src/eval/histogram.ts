// Histograms with counts for JSON and reports: the range spans the 1st to the 99th percentile of
// the finite values (so one far outlier does not squash the rest into one bin), values outside it
// are counted in the end bins, and non-finite values are counted apart — so the counts plus
// `nonFinite` always add up to the number of values.

/** A histogram: `counts[i]` values lie in [edges[i], edges[i+1]) (the end bins also hold the tails). */
export interface Histogram {
  edges: number[];
  counts: number[];
  /** Values that are NaN or infinite (not in any bin). */
  nonFinite: number;
}

/** Percentile range of the finite values of `values` (p in [0, 1]); null when none is finite. */
function percentileRange(values: Float64Array, p: number): [number, number] | null {
  const finite = Float64Array.from(values.filter(Number.isFinite)).sort();
  if (finite.length === 0) return null;
  const at = (q: number) =>
    finite[Math.min(finite.length - 1, Math.max(0, Math.round(q * (finite.length - 1))))];
  return [at(p), at(1 - p)];
}

/** Counts of `values` in `bins` equal bins over their 1st–99th percentile (or over [lo, hi] if given). */
export function histogram(values: Float64Array, bins: number, range?: [number, number]): Histogram {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError("histogram: bins must be a positive integer");
  let [lo, hi] = range ?? percentileRange(values, 0.01) ?? [0, 1];
  if (!(hi > lo)) {
    const pad = Math.max(Math.abs(lo), 1) * 1e-6;
    lo -= pad;
    hi += pad;
  }
  const counts = new Array<number>(bins).fill(0);
  let nonFinite = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) {
      nonFinite++;
      continue;
    }
    counts[Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * bins)))]++;
  }
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + (i * (hi - lo)) / bins));
  return { edges, counts, nonFinite };
}
