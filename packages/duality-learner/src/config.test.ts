import { describe, expect, test } from "vitest";
import { learnedTermIndices, resolveConfig } from "./config.js";

describe("resolveConfig", () => {
  test("fills defaults", () => {
    const c = resolveConfig({ beta: 0.3 });
    expect(c.L).toBe(16);
    expect(c.candidate.learn).toEqual(["nn"]);
    expect(c.candidate.init.nn).toBe(0.5);
    expect(c.optimizer.steps).toBeGreaterThan(0);
    expect(learnedTermIndices(c)).toEqual([0]);
    expect(
      learnedTermIndices(resolveConfig({ beta: 0.3, candidate: { learn: ["plaquette", "nn"] } })),
    ).toEqual([0, 1]);
  });

  test.each([
    [{ beta: 5 }, /^beta: expected a number in \[0.01, 3\], got 5/],
    [{ beta: 0.3, L: 7 }, /^L: expected an even integer in \[4, 512\], got 7/],
    [
      { beta: 0.3, optimizer: { steps: 0 } },
      /^optimizer\.steps: expected an integer in \[1, 1000000\], got 0/,
    ],
    [
      { beta: 0.3, observable: { kind: "cnn" } },
      /^observable\.kind: expected one of attention \| mlp, got cnn/,
    ],
    [{ beta: 0.3, candidate: { learn: ["spin"] } }, /^candidate\.learn\.0: expected one of/],
    [{ beta: 0.3, colour: 1 }, /^config: expected no unknown keys \(colour\)/],
    [{ beta: 0.3, L: 4, observable: { window: 2 } }, /^L: expected an even integer >= 6/],
    [{ beta: 0.3, sign: "ferro", candidate: { learn: ["nn", "field"] } }, /^sign: expected "any" when/],
  ])("rejects %j", (input, message) => {
    expect(() => resolveConfig(input as never)).toThrow(message);
    try {
      resolveConfig(input as never);
    } catch (e) {
      expect((e as Error).name).toBe("PhysmlInputError");
    }
  });
});
