// The shared refusal helper fails the test on every outcome but a PhysmlInputError, so a test
// built on it cannot pass when the call under test accepts its input or fails differently.
import { describe, expect, it } from "vitest";
import { PhysmlInputError } from "../errors.js";
import { refusal, refusalMessage } from "./refusal.js";

describe("refusal", () => {
  it("returns the PhysmlInputError the call throws", () => {
    const thrown = new PhysmlInputError("L", "an integer in [2, 8]", 9);
    expect(
      refusal(() => {
        throw thrown;
      }),
    ).toBe(thrown);
    expect(
      refusalMessage(() => {
        throw thrown;
      }),
    ).toBe("L: expected an integer in [2, 8], got 9");
  });

  it("throws when the call returns, and passes any other error on unchanged", () => {
    expect(() => refusal(() => 1)).toThrow("expected a PhysmlInputError, but the call returned");
    const other = new RangeError("not an input error");
    expect(() =>
      refusal(() => {
        throw other;
      }),
    ).toThrow(other);
  });
});
