// Independent samples drawn exactly from the Boltzmann weights of a tiny lattice (N ≤ 20): the
// truth a test of the inverse fit needs, free of any Markov chain.
import { checkInt, isingStateProbabilities, MAX_SEED, type Model } from "@physml/lattice-core";
import { philox4x32, philoxKey } from "@physml/mcmc-gpu";

/**
 * `count` independent configurations of `model` drawn from its exact state probabilities by
 * inverse-CDF sampling with Philox uniforms (seeded); [sample][site], site i = −1 iff bit i of
 * the state index is set (lattice-core's convention).
 */
export function exactSamples(model: Model, count: number, seed: number): Int8Array {
  checkInt("count", count, 1, 1 << 24);
  checkInt("seed", seed, 0, MAX_SEED);
  const p = isingStateProbabilities(model);
  const cdf = new Float64Array(p.length);
  let acc = 0;
  for (let k = 0; k < p.length; k++) cdf[k] = acc += p[k];
  const N = Math.log2(p.length);
  const out = new Int8Array(count * N);
  const [k0, k1] = philoxKey(seed);
  const w = new Uint32Array(4);
  for (let a = 0; a < count; a++) {
    philox4x32(k0, k1, a, 0, 0x1a5e, 0, w);
    // 53-bit uniform in [0, 1) from two words, scaled to the total (≈ 1 up to rounding).
    const u = ((w[0] >>> 5) * 67108864 + (w[1] >>> 6)) / 9007199254740992;
    const target = u * acc;
    let lo = 0;
    let hi = p.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    for (let i = 0; i < N; i++) out[a * N + i] = (lo >> i) & 1 ? -1 : 1;
  }
  return out;
}
