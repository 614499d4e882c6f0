// Seeds: the one range every command accepts (any safe integer from 0) and the one way to offset
// a seed without leaving it.
import { z } from "zod";
import { PhysmlInputError } from "../errors.js";

/** The largest seed: 2^53 − 1, the largest integer a JavaScript number holds exactly. */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

/**
 * The `--seed` option: an integer in [0, 2^53 − 1] with its default and one line of help. Every
 * command's seed is this field, so every command accepts the same seeds.
 *
 * @example
 * ```ts
 * const schema = z.object({ seed: seedOption(1, "random seed (same seed, same result)") });
 * ```
 */
export function seedOption(dflt = 1, description = "random seed (same seed, same result)") {
  return z.number().int().min(0).max(MAX_SEED).default(dflt).meta({ flag: "seed", description });
}

/**
 * `seed + d` wrapped into [0, 2^53 − 1]: the seed of a derived stream (held-out data, a second
 * sampler) that stays a valid seed for every seed: {@link seedAffine} with factor 1, so exact.
 * Distinct offsets below 2^53 give distinct seeds.
 *
 * @param seed - an integer in [0, 2^53 − 1].
 * @param d - the offset, an integer in [0, 2^53 − 1].
 */
export function seedPlus(seed: number, d: number): number {
  return seedAffine(seed, 1, d);
}

/**
 * `seed · factor + d` modulo 2^53: a seed per step or item (an epoch's batch order, a CICY's
 * arrangements) that stays a valid seed for every seed, computed exactly, and equal to the plain
 * `seed · factor + d` wherever that is below 2^53, so the streams of seeds that fitted before keep
 * their values. Distinct (seed, d) with 0 ≤ d < factor give distinct seeds while seed · factor < 2^53.
 *
 * @param seed - an integer in [0, 2^53 − 1].
 * @param factor - a positive integer below 2^53.
 * @param d - the step or item, an integer in [0, 2^53 − 1].
 */
export function seedAffine(seed: number, factor: number, d: number): number {
  for (const [field, v] of [
    ["seed", seed],
    ["offset", d],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 0)
      throw new PhysmlInputError(field, "an integer in [0, 2^53 − 1]", v);
  }
  if (!Number.isSafeInteger(factor) || factor < 1)
    throw new PhysmlInputError("factor", "an integer in [1, 2^53 − 1]", factor);
  const plain = seed * factor + d;
  if (Number.isSafeInteger(plain)) return plain;
  return Number((BigInt(seed) * BigInt(factor) + BigInt(d)) % 2n ** 53n);
}
