// The shared input errors: one line naming the field, the allowed range and the value received;
// the checks accept exactly their closed ranges (edges included) and refuse one step outside.
import { describe, expect, it } from "vitest";
import { checkEven, checkFinite, checkInt, PhysmlInputError } from "./errors.js";
import { refusal, refusalMessage } from "./testing/refusal.js";

describe("PhysmlInputError", () => {
  it("shows numbers and strings as themselves, anything else by its type, and an optional detail", () => {
    const e = new PhysmlInputError("Lx", "an integer in [1, 4]", 7);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("PhysmlInputError");
    expect([e.field, e.allowed, e.received]).toEqual(["Lx", "an integer in [1, 4]", 7]);
    expect(e.message).toBe("Lx: expected an integer in [1, 4], got 7");
    expect(new PhysmlInputError("f", "a text", "abc").message).toBe("f: expected a text, got abc");
    expect(new PhysmlInputError("f", "a", { x: 1 }).message).toBe("f: expected a, got object");
    expect(new PhysmlInputError("f", "a", undefined).message).toBe("f: expected a, got undefined");
    expect(new PhysmlInputError("f", "a", true).message).toBe("f: expected a, got boolean");
    expect(new PhysmlInputError("f", "a", 5n).message).toBe("f: expected a, got bigint");
    expect(new PhysmlInputError("f", "a", "p", "ENOENT").message).toBe("f: expected a, got p (ENOENT)");
    expect(new PhysmlInputError("f", "a", "p", "").message).toBe("f: expected a, got p");
    expect(e.message).not.toContain("\n");
  });

  it("is one line even when the value or the detail quotes text with line breaks", () => {
    const quoted = new PhysmlInputError(
      "model",
      "valid JSON",
      "unparsable text",
      "Unexpected token 'o', \"not json\r\n  at all\n\" is not valid JSON",
    );
    expect(quoted.message).toBe(
      "model: expected valid JSON, got unparsable text (Unexpected token 'o', \"not json at all \" is not valid JSON)",
    );
    expect(new PhysmlInputError("kahler", "an expression", "a\nb").message).toBe(
      "kahler: expected an expression, got a b",
    );
  });
});

describe("checkInt", () => {
  it("accepts both edges, refuses one step outside and non-integers", () => {
    expect(checkInt("n", 1, 1, 5)).toBe(1);
    expect(checkInt("n", 5, 1, 5)).toBe(5);
    expect(checkInt("n", -3, -3, -3)).toBe(-3);
    for (const v of [0, 6, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(refusalMessage(() => checkInt("n", v, 1, 5))).toBe(`n: expected an integer in [1, 5], got ${v}`);
    }
    expect(refusal(() => checkInt("n", 0, 1, 5)).received).toBe(0);
  });

  it("defaults the upper edge to 2^53 − 1", () => {
    expect(checkInt("n", 2 ** 53 - 1, 0)).toBe(2 ** 53 - 1);
    expect(refusalMessage(() => checkInt("n", 2 ** 53, 0))).toBe(
      "n: expected an integer in [0, 9007199254740991], got 9007199254740992",
    );
  });
});

describe("checkFinite", () => {
  it("returns finite numbers and refuses NaN, ±Infinity and non-numbers", () => {
    for (const v of [0, -0, 1e308, -1e308, 5e-324]) expect(checkFinite("c", v)).toBe(v);
    for (const v of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(refusalMessage(() => checkFinite("c", v))).toBe(`c: expected a finite number, got ${v}`);
    }
    expect(refusalMessage(() => checkFinite("c", "3" as unknown as number))).toBe(
      "c: expected a finite number, got 3",
    );
  });
});

describe("checkEven", () => {
  it("accepts even integers from the minimum (default 2) and refuses odd, smaller and fractional ones", () => {
    expect(checkEven("L", 2)).toBe(2);
    expect(checkEven("L", 1024)).toBe(1024);
    expect(checkEven("L", 4, 4)).toBe(4);
    expect(checkEven("L", -2, -2)).toBe(-2);
    for (const v of [0, 3, 2.5, -2, Number.NaN]) {
      expect(refusalMessage(() => checkEven("L", v))).toBe(`L: expected an even integer >= 2, got ${v}`);
    }
    expect(refusalMessage(() => checkEven("L", 2, 4))).toBe("L: expected an even integer >= 4, got 2");
    expect(refusalMessage(() => checkEven("L", 5, 4))).toBe("L: expected an even integer >= 4, got 5");
  });
});
