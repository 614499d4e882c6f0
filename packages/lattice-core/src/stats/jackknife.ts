import { PhysmlInputError } from "../errors.js";
import { autocorrelation } from "./autocorrelation.js";

/** Result of a blocked jackknife. */
export interface JackknifeResult {
  /** f evaluated at the full-sample means. */
  value: number;
  /** `value − bias`: the jackknife bias-corrected estimate. */
  biasCorrected: number;
  /** Jackknife estimate of the bias of `value`: (B − 1)(mean of leave-one-out values − value). */
  bias: number;
  /** One-σ jackknife error: sqrt((B − 1)/B · Σ_b (f_b − f̄)²). */
  error: number;
  nBlocks: number;
  blockSize: number;
}

/** Options of {@link jackknife}: give at most one of them. */
export interface JackknifeOptions {
  /** Samples per block. Default: max(⌊n/64⌋, ⌈4·τ_int⌉) using the largest τ_int of the series. */
  blockSize?: number;
}

/**
 * Blocked jackknife for a (non-linear) function of means, e.g. a susceptibility
 * f(⟨m²⟩, ⟨|m|⟩) = ⟨m²⟩ − ⟨|m|⟩². `samples[k]` is the time series of observable k (all of equal
 * length n, sample t of every series taken from the same configuration); `f` receives the vector
 * of means of all observables — over the full data for `value`, and over all data except one
 * block for each leave-one-out estimate. Blocks are contiguous and a trailing partial block is
 * dropped; choose blocks much longer than τ_int (the default does) so that blocks are independent.
 */
export function jackknife(
  samples: ArrayLike<number>[],
  f: (means: Float64Array) => number,
  opts: JackknifeOptions = {},
): JackknifeResult {
  const k = samples.length;
  if (k === 0) throw new PhysmlInputError("samples", "at least one series", 0);
  const n = samples[0].length;
  for (const [j, s] of samples.entries()) {
    if (s.length !== n)
      throw new PhysmlInputError(`samples[${j}].length`, `${n} (= samples[0].length)`, s.length);
  }
  if (n < 2) throw new PhysmlInputError("samples[0].length", "at least 2", n);
  let blockSize = opts.blockSize;
  if (blockSize === undefined) {
    let tau = 0.5;
    for (const s of samples) tau = Math.max(tau, autocorrelation([s]).tauInt);
    blockSize = Math.min(Math.floor(n / 2), Math.max(Math.floor(n / 64), Math.ceil(4 * tau), 1));
  } else if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > n / 2) {
    throw new PhysmlInputError("blockSize", `an integer in [1, ${Math.floor(n / 2)}]`, blockSize);
  }
  const nb = Math.floor(n / blockSize);
  const used = nb * blockSize;
  const blockSums = new Float64Array(nb * k);
  const total = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const s = samples[j];
    for (let b = 0; b < nb; b++) {
      let acc = 0;
      for (let t = b * blockSize; t < (b + 1) * blockSize; t++) acc += s[t];
      if (!Number.isFinite(acc)) throw new PhysmlInputError(`samples[${j}]`, "finite numbers", acc);
      blockSums[b * k + j] = acc;
      total[j] += acc;
    }
  }
  const full = Float64Array.from(total, (t) => t / used);
  const value = f(full);
  const loo = new Float64Array(nb);
  const means = new Float64Array(k);
  for (let b = 0; b < nb; b++) {
    for (let j = 0; j < k; j++) means[j] = (total[j] - blockSums[b * k + j]) / (used - blockSize);
    loo[b] = f(means);
  }
  let avg = 0;
  for (const v of loo) avg += v;
  avg /= nb;
  let ss = 0;
  for (const v of loo) ss += (v - avg) * (v - avg);
  const bias = (nb - 1) * (avg - value);
  const error = Math.sqrt(((nb - 1) / nb) * ss);
  if (!Number.isFinite(value) || !Number.isFinite(error)) {
    throw new PhysmlInputError("f", "a function returning finite numbers on the block means", value);
  }
  return { value, biasCorrected: value - bias, bias, error, nBlocks: nb, blockSize };
}
