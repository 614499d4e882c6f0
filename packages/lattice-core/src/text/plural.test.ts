import { describe, expect, it } from "vitest";
import { plural } from "./plural.js";

describe("plural", () => {
  it("is singular for exactly 1 and plural otherwise (0, 2, fractions)", () => {
    expect(plural(1, "epoch")).toBe("1 epoch");
    expect(plural(0, "epoch")).toBe("0 epochs");
    expect(plural(2, "Adam step")).toBe("2 Adam steps");
    expect(plural(1.5, "sample")).toBe("1.5 samples");
    expect(plural(1, "matrix", "matrices")).toBe("1 matrix");
    expect(plural(4, "matrix", "matrices")).toBe("4 matrices");
  });
});
