// Seeds: the seed option accepts exactly [0, 2^53 − 1] and says so; seedPlus is seed + d and
// seedAffine seed · factor + d, modulo 2^53.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { PhysmlInputError } from "../errors.js";
import { describeAllowed, parseOptions, unwrapOption } from "./schema.js";
import { MAX_SEED, seedAffine, seedOption, seedPlus } from "./seed.js";

describe("seedOption", () => {
  const schema = z.object({ seed: seedOption(3, "random seed") }).strict();

  it("accepts every integer in [0, 2^53 − 1], defaults and names its flag", () => {
    for (const seed of [0, 1, 2 ** 31, 2 ** 32, 2 ** 53 - 1])
      expect(parseOptions(schema, { seed }).seed).toBe(seed);
    expect(parseOptions(schema, {}).seed).toBe(3);
    expect(unwrapOption(schema.shape.seed).meta).toMatchObject({ flag: "seed", description: "random seed" });
    expect(MAX_SEED).toBe(2 ** 53 - 1);
  });

  it("refuses what is outside, naming the field and the range", () => {
    for (const seed of [-1, 2 ** 53, 1.5]) {
      expect(() => parseOptions(schema, { seed })).toThrow(PhysmlInputError);
      expect(() => parseOptions(schema, { seed })).toThrow("seed: expected an integer in [0, 2^53 − 1]");
    }
    expect(describeAllowed(schema.shape.seed)).toBe("an integer in [0, 2^53 − 1]");
  });
});

describe("seedPlus", () => {
  it("is seed + d below 2^53 and wraps modulo 2^53 above, exactly", () => {
    expect(seedPlus(5, 7)).toBe(12);
    expect(seedPlus(0, 0)).toBe(0);
    expect(seedPlus(MAX_SEED, 0)).toBe(MAX_SEED);
    expect(seedPlus(MAX_SEED, 1)).toBe(0);
    expect(seedPlus(MAX_SEED - 2, 5)).toBe(2);
    expect(seedPlus(MAX_SEED, MAX_SEED)).toBe(MAX_SEED - 1);
    // against BigInt arithmetic on seeds and offsets across the range
    const M = 2n ** 53n;
    for (const s of [0, 1, 2 ** 31 - 1, 2 ** 32 + 5, 2 ** 52 + 3, MAX_SEED - 10, MAX_SEED]) {
      for (const d of [0, 1, 1000, 0x50000000, 2 ** 40, MAX_SEED]) {
        const r = seedPlus(s, d);
        expect(Number.isSafeInteger(r) && r >= 0).toBe(true);
        expect(BigInt(r)).toBe((BigInt(s) + BigInt(d)) % M);
      }
    }
  });

  it("refuses a seed or offset outside [0, 2^53 − 1]", () => {
    expect(() => seedPlus(-1, 1)).toThrow(/^seed: /);
    expect(() => seedPlus(1, 2 ** 53)).toThrow(/^offset: /);
    expect(() => seedPlus(0.5, 1)).toThrow(PhysmlInputError);
  });
});

describe("seedAffine", () => {
  it("is seed · factor + d where that is below 2^53 and its value modulo 2^53 above, exactly", () => {
    expect(seedAffine(3, 7919, 5)).toBe(3 * 7919 + 5);
    expect(seedAffine(2 ** 31 - 1, 7919, 999)).toBe((2 ** 31 - 1) * 7919 + 999);
    const M = 2n ** 53n;
    for (const s of [0, 1, 2 ** 31 - 1, 2 ** 32 + 5, 2 ** 52 + 3, MAX_SEED]) {
      for (const f of [1, 31, 7919, 100003, 2 ** 40 + 1]) {
        for (const d of [0, 1, 7918, MAX_SEED]) {
          const r = seedAffine(s, f, d);
          expect(Number.isSafeInteger(r) && r >= 0).toBe(true);
          expect(BigInt(r)).toBe((BigInt(s) * BigInt(f) + BigInt(d)) % M);
        }
      }
    }
  });

  it("refuses a seed, factor or offset outside its range", () => {
    expect(() => seedAffine(-1, 2, 1)).toThrow(/^seed: /);
    expect(() => seedAffine(1, 0, 1)).toThrow(/^factor: /);
    expect(() => seedAffine(1, 2, -1)).toThrow(/^offset: /);
  });
});
