import { describe, expect, it } from "vitest";
import {
  finiteOrText,
  isNonFiniteText,
  jsonWithNonFiniteText,
  type NonFiniteText,
  numbersFromText,
  type WithNonFiniteText,
} from "./non-finite-text.js";

describe("non-finite numbers as text", () => {
  it("finiteOrText writes non-finite numbers as text and leaves the rest", () => {
    expect(
      finiteOrText({ a: [1, Number.NaN], b: { c: -Number.POSITIVE_INFINITY, d: "x", e: null } }),
    ).toEqual({ a: [1, "NaN"], b: { c: "-Infinity", d: "x", e: null } });
  });

  it("isNonFiniteText recognises exactly the texts finiteOrText writes", () => {
    const written = finiteOrText([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(written.map(isNonFiniteText)).toEqual([true, true, true]);
    for (const other of ["nan", "inf", "NaNo", " NaN", "+Infinity", "1e999", 0, null, Number.NaN])
      expect(isNonFiniteText(other)).toBe(false);
  });

  it("WithNonFiniteText lets each number, at any depth, be one of the three texts, and nothing else change", () => {
    interface Step {
      step: number;
      name: string;
      pulls: [number, string];
      grad: number[][];
      fit?: { chi2: number };
    }
    const stored: WithNonFiniteText<Step> = {
      step: 1,
      name: "NaN-free",
      pulls: ["-Infinity", "x"],
      grad: [["NaN", 2]],
      fit: { chi2: "Infinity" },
    };
    // @ts-expect-error only the three texts stand for a number
    const misspelt: WithNonFiniteText<Step> = { step: "nan", name: "a", pulls: [1, "x"], grad: [] };
    // @ts-expect-error a string field stays a string
    const renamed: WithNonFiniteText<Step> = { step: 1, name: 2, pulls: [1, "x"], grad: [] };
    const texts = [stored.pulls[0], stored.grad[0][0], stored.fit?.chi2].filter(isNonFiniteText);
    const narrowed: NonFiniteText[] = texts;
    expect(narrowed).toEqual(["-Infinity", "NaN", "Infinity"]);
    expect([misspelt.step, renamed.name]).toEqual(["nan", 2]);
  });

  it("numbersFromText reads finiteOrText's texts back as the numbers, at any depth", () => {
    const v = {
      a: [1, Number.NaN, [Number.NEGATIVE_INFINITY]],
      b: { c: Number.POSITIVE_INFINITY, d: "x" },
      e: null,
    };
    const back = numbersFromText(finiteOrText(v));
    expect(back).toEqual(v);
    expect(Object.is(back.a[1], Number.NaN)).toBe(true);
    // other strings, near misses included, stay strings
    expect(numbersFromText(["nan", "inf", " NaN", "+Infinity", "1e999"])).toEqual([
      "nan",
      "inf",
      " NaN",
      "+Infinity",
      "1e999",
    ]);
  });

  it("jsonWithNonFiniteText is the JSON of finiteOrText's value, with no null for a number, a Date as its ISO text", () => {
    const v = {
      a: [1, Number.NaN, [Number.NEGATIVE_INFINITY]],
      b: { c: Number.POSITIVE_INFINITY, d: "x" },
      e: null,
    };
    expect(jsonWithNonFiniteText(v)).toBe(JSON.stringify(finiteOrText(v)));
    expect(jsonWithNonFiniteText(v, 2)).toBe(JSON.stringify(finiteOrText(v), null, 2));
    expect(jsonWithNonFiniteText([Number.NaN])).toBe('["NaN"]');
    const when = new Date(Date.UTC(2026, 11, 7));
    expect(JSON.parse(jsonWithNonFiniteText({ when, x: Number.NaN }))).toEqual({
      when: when.toISOString(),
      x: "NaN",
    });
  });
});
