// The seeded generator of every package's tests: inputs that are arbitrary but the same on every
// run, so a failure reproduces. Not for simulations (those draw from their own counter-based
// generators): 32 random bits per draw and a period of 2^32.
import { PhysmlInputError } from "../errors.js";

/**
 * The seed's low 32 bits with its high bits mixed in, so every safe integer (negative ones too:
 * property tests draw seeds from the whole range) gives its own stream; a seed in [0, 2^32) is
 * its own word.
 */
function seedWord(seed: number): number {
  if (!Number.isSafeInteger(seed)) throw new PhysmlInputError("seed", "a safe integer", seed);
  return (seed ^ Math.imul(Math.floor(seed / 2 ** 32), 0x27d4eb2f)) >>> 0;
}

/**
 * A seeded stream of uint32 words: a Weyl sequence (step 0x9e3779b9) through MurmurHash3's
 * 32-bit finaliser (the SplitMix construction on 32 bits). Same seed, same stream.
 *
 * @param seed - any safe integer.
 */
export function seededUint32(seed: number): () => number {
  let s = seedWord(seed);
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * A seeded stream of numbers uniform in [lo, hi) (default [0, 1)), 32 random bits each, from
 * {@link seededUint32}. Same seed, same stream.
 *
 * @example
 * ```ts
 * import { seededUniform } from "@physml/lattice-core/testing";
 * const rnd = seededUniform(7, -0.5, 0.5);
 * const x = Float64Array.from({ length: 100 }, rnd);
 * ```
 *
 * @param seed - any safe integer.
 * @param lo - the lower end (included).
 * @param hi - the upper end (excluded), above `lo`.
 */
export function seededUniform(seed: number, lo = 0, hi = 1): () => number {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) {
    throw new PhysmlInputError("hi", `a finite number above lo (${lo})`, hi);
  }
  const word = seededUint32(seed);
  const width = hi - lo;
  return () => lo + (word() / 2 ** 32) * width;
}
