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
    expect(() => refusal(() => 1)).toThrow("expected the call to throw a PhysmlInputError, but it returned");
    const other = new RangeError("not an input error");
    expect(() =>
      refusal(() => {
        throw other;
      }),
    ).toThrow(other);
  });

  it("with a package's own subclass, returns only that: a plain PhysmlInputError is passed on", () => {
    class PackageError extends PhysmlInputError {}
    const own = new PackageError("out", "an empty directory", "runs/a");
    expect(
      refusal(() => {
        throw own;
      }, PackageError),
    ).toBe(own);
    const plain = new PhysmlInputError("out", "an empty directory", "runs/a");
    expect(() =>
      refusal(() => {
        throw plain;
      }, PackageError),
    ).toThrow(plain);
    expect(() => refusal(() => 1, PackageError)).toThrow(
      "expected the call to throw a PackageError, but it returned",
    );
  });
});
