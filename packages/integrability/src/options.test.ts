import { PhysmlInputError, parseOptions } from "@physml/lattice-core";
import { describe, expect, it } from "vitest";
import { laxOptionsSchema, scnnOptionsSchema, simulateOptionsSchema } from "./options.js";

describe("integrability option schemas", () => {
  it("defaults are the documented budgets", () => {
    expect(parseOptions(laxOptionsSchema, { system: "ho" })).toEqual({
      system: "ho",
      adamSteps: 800,
      lbfgsIter: 300,
      polish: "lbfgs",
      samples: 256,
      seed: 0,
    });
    expect(parseOptions(scnnOptionsSchema, {})).toEqual({
      system: "two-body",
      steps: 600,
      trainOrbits: 32,
      cyclic: 3,
      seed: 0,
    });
    expect(
      parseOptions(simulateOptionsSchema, { system: "ho2d", perturbation: { kind: "h1" } }).perturbation,
    ).toEqual({
      kind: "h1",
      epsilon: 0.1,
    });
  });

  it("a simulation takes at most 10^7 steps: a tiny h over a long time is refused naming h", () => {
    expect(() => parseOptions(simulateOptionsSchema, { system: "ho", time: 1e4, h: 1e-9 })).toThrow(
      /^h: expected a step with time \/ h ≤ 10\^7 steps \(h ≥ 0\.00100 for --time 10000\), got 1e-9$/,
    );
    expect(parseOptions(simulateOptionsSchema, { system: "ho", time: 1e4, h: 1e-3 }).h).toBe(1e-3);
    expect(() => parseOptions(simulateOptionsSchema, { system: "ho", time: 1e4, h: 0.999e-3 })).toThrow(
      PhysmlInputError,
    );
  });

  it("a perturbation belongs to ho2d only, and ε needs its kind", () => {
    let e: unknown;
    try {
      parseOptions(laxOptionsSchema, { system: "toda", perturbation: { kind: "h2", epsilon: 0.2 } });
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(PhysmlInputError);
    expect((e as PhysmlInputError).field).toBe("perturbation.kind");
    expect(() =>
      parseOptions(simulateOptionsSchema, { system: "ho2d", perturbation: { epsilon: 0.2 } }),
    ).toThrow(/perturbation.kind: expected one of h1 \| h2/);
    expect(() =>
      parseOptions(simulateOptionsSchema, { system: "ho2d", perturbation: { kind: "h1", epsilon: 1 } }),
    ).toThrow(/perturbation.epsilon: expected a number in \[-0.99, 0.99\]/);
  });
});
