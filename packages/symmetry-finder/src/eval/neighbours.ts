// The paper's neighbour analysis in embedding space: for each point, the sorted distances to its
// k nearest neighbours are cut at the largest jump (keeping at least one neighbour); the score is
// the fraction of neighbours below the cut that share the point's label.
import { checkInt, PhysmlInputError } from "@physml/lattice-core";
import { kSmallest } from "./knn.js";

export interface NeighbourOptions {
  /** Neighbours examined per point (the paper: 250). */
  k?: number;
  /** Only these points are scored (default: all). Neighbours are searched among all points. */
  anchors?: ArrayLike<number>;
  /** A label counts as "well separated" when its mean score exceeds this (default 0.95). */
  threshold?: number;
  /** Keep the sorted distance lists of the first this many scored points, for plots (default 0). */
  curves?: number;
  /** Called per scored point with the indices of its neighbours below the cut. */
  onNeighbours?: (point: number, below: Int32Array) => void;
}

export interface NeighbourReport {
  k: number;
  /** Per scored point: the fraction of neighbours below the cut with the same label. */
  scores: Float64Array;
  /** Per scored point: how many neighbours are below the cut. */
  cuts: Int32Array;
  /** Per label with at least one scored point: the mean score of its points. */
  perLabel: { label: number; accuracy: number; anchors: number }[];
  /** Share of labels whose accuracy exceeds the threshold. */
  shareAbove: number;
  threshold: number;
  /** Mean score over all scored points. */
  meanScore: number;
  /** Sorted neighbour distances of the first `curves` scored points, with their cuts. */
  curves: { point: number; distances: number[]; cut: number }[];
}

/** Index of the cut: neighbours 0…cut−1 are kept, cut = argmax of the jumps d[j] − d[j−1], j ≥ 1. */
export function cutAtLargestJump(sorted: ArrayLike<number>): number {
  let cut = 1;
  let best = -Infinity;
  for (let j = 1; j < sorted.length; j++) {
    const jump = sorted[j] - sorted[j - 1];
    if (jump > best) {
      best = jump;
      cut = j;
    }
  }
  return cut;
}

/** The k smallest squared distances from row `i` (excluding i), sorted, with their indices. */
function nearest(emb: Float64Array, n: number, e: number, i: number, k: number): [Float64Array, Int32Array] {
  const d2 = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let c = 0; c < e; c++) {
      const t = emb[i * e + c] - emb[j * e + c];
      s += t * t;
    }
    d2[j] = s;
  }
  d2[i] = Infinity;
  const top = kSmallest(d2, k);
  return [Float64Array.from(top, (j) => Math.sqrt(d2[j])), Int32Array.from(top)];
}

/** Runs the neighbour analysis on embeddings [n, e] with labels [n]. */
export function neighbourAnalysis(
  emb: Float64Array,
  labels: Int32Array,
  opts: NeighbourOptions = {},
): NeighbourReport {
  const n = labels.length;
  if (n < 2 || emb.length % n !== 0) {
    throw new PhysmlInputError("embeddings", `an [n, e] array with n = ${n} ≥ 2 rows`, emb.length);
  }
  const e = emb.length / n;
  const k = checkInt("k", Math.min(opts.k ?? 250, n - 1), 1, n - 1);
  const threshold = opts.threshold ?? 0.95;
  const anchors = opts.anchors ?? Int32Array.from({ length: n }, (_, i) => i);
  const scores = new Float64Array(anchors.length);
  const cuts = new Int32Array(anchors.length);
  const sums = new Map<number, [number, number]>();
  const curves: NeighbourReport["curves"] = [];
  for (let a = 0; a < anchors.length; a++) {
    const i = anchors[a];
    const [d, nb] = nearest(emb, n, e, i, k);
    const cut = cutAtLargestJump(d);
    let same = 0;
    for (let j = 0; j < cut; j++) if (labels[nb[j]] === labels[i]) same++;
    scores[a] = same / cut;
    opts.onNeighbours?.(i, nb.subarray(0, cut));
    cuts[a] = cut;
    if (a < (opts.curves ?? 0)) curves.push({ point: i, distances: Array.from(d), cut });
    const s = sums.get(labels[i]) ?? [0, 0];
    sums.set(labels[i], [s[0] + scores[a], s[1] + 1]);
  }
  const perLabel = [...sums.entries()]
    .sort((p, q) => p[0] - q[0])
    .map(([label, [s, c]]) => ({ label, accuracy: s / c, anchors: c }));
  const above = perLabel.filter((p) => p.accuracy > threshold).length;
  return {
    k,
    scores,
    cuts,
    perLabel,
    shareAbove: above / perLabel.length,
    threshold,
    meanScore: scores.reduce((s, v) => s + v, 0) / scores.length,
    curves,
  };
}
