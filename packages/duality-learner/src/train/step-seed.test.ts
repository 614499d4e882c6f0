// The Gumbel step's key seed: every seed bit counts (s and s + 2^32 once shared their noise), and
// every seed below 2^32 keeps the key it had, checked against the formula used before.
import { random } from "@physml/autodiff";
import { MAX_SEED } from "@physml/lattice-core";
import { seededUint32 } from "@physml/lattice-core/testing";
import { describe, expect, it } from "vitest";
import { stepSeed } from "./step-seed.js";

/** The key seed before the fix: the seed reduced modulo 2^32, then hashed with the step and group. */
function before(seed: number, step: number, g: number): number {
  let h =
    (Math.imul((seed % 2 ** 32) ^ 0x9e3779b9, 0x85ebca6b) ^
      Math.imul(step + 1, 0xc2b2ae35) ^
      Math.imul(g + 1, 0x27d4eb2f)) >>>
    0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

const word = seededUint32(7);
const SEEDS_BELOW_2_32 = [0, 1, 42, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, ...Array.from({ length: 50 }, word)];
const STEPS = [0, 1, 2, 99, 10_000];

describe("stepSeed", () => {
  it("gives every seed below 2^32 the key seed it had, for every step and group", () => {
    for (const s of SEEDS_BELOW_2_32)
      for (const step of STEPS)
        for (const g of [0, 1, 3]) expect(stepSeed(s, step, g), `${s} ${step} ${g}`).toBe(before(s, step, g));
  });

  it("tells s from s + 2^32 (and from s + k·2^32 up to the largest seed): keys and Gumbel noise differ", () => {
    for (const s of SEEDS_BELOW_2_32.slice(0, 12)) {
      const lifted = [1, 2, 12345, Math.floor((MAX_SEED - s) / 2 ** 32)].map((k) => s + k * 2 ** 32);
      for (const step of STEPS) {
        const seeds = [s, ...lifted].map((x) => stepSeed(x, step, 0));
        for (const x of seeds) expect(Number.isSafeInteger(x) && x >= 0).toBe(true);
        expect(new Set(seeds).size).toBe(seeds.length);
        // before the fix they were one and the same
        expect(new Set([s, ...lifted].map((x) => before(x, step, 0))).size).toBe(1);
      }
      const noise = [s, s + 2 ** 32].map((x) =>
        random.gumbel(random.key(stepSeed(x, 5, 0)), [8]).toFloat64Array(),
      );
      expect(noise[1]).not.toEqual(noise[0]);
    }
  });

  it("accepts the largest seed and keeps the step and group apart there too", () => {
    const keys = new Set<number>();
    for (const step of [0, 1, 2]) for (const g of [0, 1]) keys.add(stepSeed(MAX_SEED, step, g));
    expect(keys.size).toBe(6);
    for (const k of keys) expect(k).toBeLessThanOrEqual(MAX_SEED);
  });
});
