import { describe, expect, it } from "vitest";
import { defineModel } from "./define.js";
import { standardSquareModel } from "./standard.js";
import { isSpinFlipSymmetric } from "./symmetry.js";

describe("isSpinFlipSymmetric", () => {
  it("even shapes keep H(−s) = H(s); a nonzero field or another odd shape breaks it", () => {
    expect(
      isSpinFlipSymmetric(standardSquareModel(4, 4, { nn: 0.4, plaquette: 0.1, nnn: -0.2, field: 0 })),
    ).toBe(true);
    expect(
      isSpinFlipSymmetric(standardSquareModel(4, 4, { nn: 0.4, plaquette: 0, nnn: 0, field: 0.1 })),
    ).toBe(false);
    const threeSpin = (coupling: number) =>
      defineModel({
        spin: "ising",
        lattice: { chain: 6 },
        terms: [
          { name: "nn", coupling: 0.3, sites: [[0], [1]] },
          { name: "three", coupling, sites: [[0], [1], [2]] },
        ],
      });
    expect(isSpinFlipSymmetric(threeSpin(0.2))).toBe(false);
    expect(isSpinFlipSymmetric(threeSpin(0))).toBe(true);
    const xy = (field: number) =>
      defineModel({
        spin: "xy",
        lattice: { chain: 8 },
        terms: [
          { name: "nn", coupling: 1, sites: [[0], [1]] },
          { name: "field", coupling: field, sites: [[0]] },
        ],
      });
    expect(isSpinFlipSymmetric(xy(0.1))).toBe(false);
    expect(isSpinFlipSymmetric(xy(0))).toBe(true);
  });
});
