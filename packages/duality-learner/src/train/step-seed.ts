// The seed of a Gumbel step's key: the run's seed, the step and the group mixed so that every
// step draws fresh Gumbel noise, and every bit of the seed (any integer in [0, 2^53 − 1]) counts.

/**
 * The key seed of step `step` of group `g` of a run seeded `seed` (pass it to `random.key`).
 * Its low 32 bits hash the seed's low 32 bits, the step and the group; its high 21 bits are the
 * seed's own, so the key's first word is the seed's high part. Seeds below 2^32 therefore keep
 * the keys they always had, and seeds s and s + 2^32 draw different noise (they once shared it).
 *
 * @param seed - the run's seed, an integer in [0, 2^53 − 1].
 * @param step - the step, a non-negative integer.
 * @param g - the group, a non-negative integer.
 */
export function stepSeed(seed: number, step: number, g: number): number {
  const low = seed % 2 ** 32;
  let h =
    (Math.imul(low ^ 0x9e3779b9, 0x85ebca6b) ^
      Math.imul(step + 1, 0xc2b2ae35) ^
      Math.imul(g + 1, 0x27d4eb2f)) >>>
    0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return seed - low + ((h ^ (h >>> 16)) >>> 0);
}
