// Which learned coordinates the shared classifier should read together, found from the
// coordinates' own statistics: the second step of independent subspace analysis (Cardoso's
// multidimensional ICA: first make the coordinates as non-Gaussian as possible, then group the
// ones that stay dependent). With the peak reward the learned map's rows each hold one frequency,
// but the reward is the same for any order of the rows, so the two rows of one frequency are almost
// never the pair the classifier reads (MEASUREMENTS.md). The cos and sin of one frequency are
// large together whenever that frequency's wave is drawn, so their squares are correlated; rows of
// different frequencies, or noise, are not. No label and no Fourier basis enter.
import { PhysmlInputError } from "@physml/lattice-core";
import { modePowers, realFourierModes } from "./basis.js";

/**
 * The correlation matrix [d, d] (row-major) over the `rows` rows of z [rows, d] of the
 * coordinates' squared deviations from their means, (z_j − z̄_j)²: how much two coordinates' powers
 * move together. The diagonal is 1; a coordinate constant on the rows gets 0 off the diagonal.
 */
export function powerCorrelations(z: Float64Array, rows: number, d: number): Float64Array {
  if (z.length !== rows * d) throw new PhysmlInputError("z", `${rows} × ${d} values`, z.length);
  const p = new Float64Array(rows * d);
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let b = 0; b < rows; b++) m += z[b * d + j];
    m /= rows;
    for (let b = 0; b < rows; b++) p[b * d + j] = (z[b * d + j] - m) ** 2;
  }
  // Centre each power column and take its norm, so the correlation is one dot product per pair.
  const norm = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let b = 0; b < rows; b++) m += p[b * d + j];
    m /= rows;
    let s = 0;
    for (let b = 0; b < rows; b++) {
      p[b * d + j] -= m;
      s += p[b * d + j] ** 2;
    }
    norm[j] = Math.sqrt(s);
  }
  const c = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    c[a * d + a] = 1;
    for (let b = a + 1; b < d; b++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += p[r * d + a] * p[r * d + b];
      const v = norm[a] > 0 && norm[b] > 0 ? s / (norm[a] * norm[b]) : 0;
      c[a * d + b] = v;
      c[b * d + a] = v;
    }
  }
  return c;
}

/**
 * The d/2 pairs of coordinates (d even) that a greedy maximum-weight matching on the power
 * correlations picks: the most correlated pair first, then the most correlated pair among the
 * coordinates left, and so on (ties by index). Greedy rather than an optimal matching: the pairs to
 * find stand out (for the DFT's rows on the Figure 1 data, N = 32, A = 1: 0.13–0.21 for the cos
 * and sin of one frequency, |c| ≤ 0.04 for two frequencies; measured).
 */
export function pairByPowerCorrelation(z: Float64Array, rows: number, d: number): [number, number][] {
  if (d % 2 !== 0) throw new PhysmlInputError("d", "an even number of coordinates", d);
  const c = powerCorrelations(z, rows, d);
  const candidates: [number, number][] = [];
  for (let a = 0; a < d; a++) for (let b = a + 1; b < d; b++) candidates.push([a, b]);
  // Array.prototype.sort is stable, so equal correlations keep the index order.
  candidates.sort(([a1, b1], [a2, b2]) => c[a2 * d + b2] - c[a1 * d + b1]);
  const used = new Uint8Array(d);
  const pairs: [number, number][] = [];
  for (const [a, b] of candidates) {
    if (used[a] || used[b]) continue;
    used[a] = used[b] = 1;
    pairs.push([a, b]);
  }
  return pairs;
}

/**
 * The row order that puts pair m of `pairs` where the shared classifier reads its pair m, the
 * coordinates (2m + 1, 2m + 2 mod d) (`dftPairOrder`): row k of the reordered map is row
 * `order[k]` of the old one.
 */
export function headRowOrder(pairs: readonly (readonly [number, number])[], d: number): number[] {
  if (pairs.length * 2 !== d) throw new PhysmlInputError("pairs", `${d / 2} pairs`, pairs.length);
  const order = new Array<number>(d).fill(-1);
  pairs.forEach(([a, b], m) => {
    order[(2 * m + 1) % d] = a;
    order[(2 * m + 2) % d] = b;
  });
  if (new Set(order).size !== d || order.some((r) => r < 0 || r >= d))
    throw new PhysmlInputError("pairs", `every coordinate 0…${d - 1} exactly once`, JSON.stringify(pairs));
  return order;
}

/** W [m, N] (row-major) with its rows in `order`: row k is W's row order[k]. */
export function reorderRows(W: Float64Array, order: readonly number[], N: number): Float64Array {
  const out = new Float64Array(order.length * N);
  order.forEach((r, k) => {
    out.set(W.subarray(r * N, (r + 1) * N), k * N);
  });
  return out;
}

/**
 * How many of the shared classifier's d/2 pairs (2m + 1, 2m + 2 mod d) of W's rows (W N × N, a
 * ring of N sites) hold one frequency: both rows with more than half their power in the same
 * pair ±k. N/2 − 1 for the DFT's rows in their order (the last pair, the alternating and the
 * constant row, holds two), 0 for the identity (a site spreads its power over every k), about
 * 0–1 for a Fourier map in a random row order.
 */
export function headPairsOnOneFrequency(W: Float64Array, N: number): number {
  const dominant = modePowers(W, N, realFourierModes([N])).map((p) => {
    const total = p.reduce((a, b) => a + b, 0);
    const top = Math.max(...p);
    return total > 0 && top > total / 2 ? p.indexOf(top) : -1;
  });
  let n = 0;
  for (let m = 0; m < N / 2; m++) {
    const a = dominant[(2 * m + 1) % N];
    if (a >= 0 && a === dominant[(2 * m + 2) % N]) n++;
  }
  return n;
}
