// Error bars over contiguous blocks of configurations (the samplers lay samples out chain by
// chain, so a block of whole chains is independent of the others): for any function of the
// mean count fractions, the leave-one-block-out values give the jackknife error.
import { PhysmlInputError } from "@physml/lattice-core";
import { meanHistograms, type PathHistogram } from "../data/histograms.js";

/** The full-sample means and the B leave-one-block-out means of every path's count fractions. */
export interface BlockedMeans {
  full: Float64Array[];
  leaveOut: Float64Array[][];
}

export function blockedMeans(h: readonly PathHistogram[], blocks: number): BlockedMeans {
  const M = h[0].p.length / h[0].bins;
  if (!Number.isInteger(blocks) || blocks < 2 || blocks > M)
    throw new PhysmlInputError("blocks", `an integer in [2, ${M}] (the configurations)`, blocks);
  const size = Math.floor(M / blocks);
  const used = new Uint8Array(M);
  used.fill(1, 0, size * blocks);
  const leaveOut: Float64Array[][] = [];
  for (let b = 0; b < blocks; b++) {
    const use = used.slice();
    use.fill(0, b * size, (b + 1) * size);
    leaveOut.push(meanHistograms(h, use));
  }
  return { full: meanHistograms(h, used), leaveOut };
}

/** Value of `f` at the full means and its jackknife error from the leave-out means. */
export function jackknifeOf(
  m: BlockedMeans,
  f: (means: readonly Float64Array[]) => number,
): { value: number; error: number } {
  const value = f(m.full);
  const vals = m.leaveOut.map(f);
  const B = vals.length;
  const mean = vals.reduce((s, v) => s + v, 0) / B;
  const error = Math.sqrt(((B - 1) / B) * vals.reduce((s, v) => s + (v - mean) ** 2, 0));
  return { value, error };
}

/**
 * Value of the vector function `f` at the full means and its jackknife covariance,
 * (B − 1)/B · Σ_b (f_b − f̄)(f_b − f̄)ᵀ over the leave-one-block-out values (row-major, n × n).
 * For an `f` linear in the means it is the sample covariance of the block means over B.
 */
export function jackknifeCovarianceOf(
  m: BlockedMeans,
  f: (means: readonly Float64Array[]) => ArrayLike<number>,
): { value: Float64Array; covariance: Float64Array } {
  const value = Float64Array.from(f(m.full));
  const n = value.length;
  const vals = m.leaveOut.map((mm) => Float64Array.from(f(mm)));
  const B = vals.length;
  const mean = new Float64Array(n);
  for (const v of vals) for (let i = 0; i < n; i++) mean[i] += v[i] / B;
  const covariance = new Float64Array(n * n);
  const dev = new Float64Array(n);
  for (const v of vals) {
    for (let i = 0; i < n; i++) dev[i] = v[i] - mean[i];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) covariance[i * n + j] += dev[i] * dev[j];
  }
  for (let k = 0; k < n * n; k++) covariance[k] *= (B - 1) / B;
  return { value, covariance };
}
