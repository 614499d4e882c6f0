// A non-finite number never reaches stdout as null: its key is left out and `…Unavailable` says why.
import { describe, expect, it } from "vitest";
import { finiteJson, NOT_FINITE } from "./finite-json.js";

describe("finiteJson", () => {
  it("leaves finite results as JSON.stringify would print them", () => {
    const r = { a: 1, b: [1, 2, [3]], c: { d: "x", e: [{ f: 0.5 }] }, g: true, h: null };
    expect(JSON.stringify(finiteJson(r))).toBe(JSON.stringify(r));
    const typed = { v: Float64Array.from([1, 2]) };
    expect(JSON.stringify(finiteJson(typed))).toBe(JSON.stringify(typed));
  });

  it("replaces a non-finite number, or an array holding one at any depth, by …Unavailable", () => {
    const r = {
      laxResidual: Number.NaN,
      conservedVariation: [1e-3, Number.POSITIVE_INFINITY],
      formulas: { L: [[{ r2: Number.NaN, formula: "q" }]] },
      loss: { total: 1, lax: Number.NEGATIVE_INFINITY },
      seconds: 2,
    };
    const out = finiteJson(r);
    expect(out).toEqual({
      laxResidualUnavailable: NOT_FINITE,
      conservedVariationUnavailable: NOT_FINITE,
      formulas: { L: [[{ r2Unavailable: NOT_FINITE, formula: "q" }]] },
      loss: { total: 1, laxUnavailable: NOT_FINITE },
      seconds: 2,
    });
    expect(JSON.stringify(out)).not.toContain("null");
  });
});
