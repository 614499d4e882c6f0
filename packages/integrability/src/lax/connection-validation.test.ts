import { describe, expect, it } from "vitest";
import { CONNECTION_TARGETS, validateConnection } from "./connection-validation.js";

describe("validateConnection", () => {
  const kinds = ["soliton", "two-solitons", "smooth"];
  it("passes below both targets and ignores the lone soliton's monodromy", () => {
    const v = validateConnection({ residual: 5e-3, variation: [0.9, 1e-5, 5e-4], kinds, cartanRatio: 0.1 });
    expect(v).toEqual({ passed: true, failures: [], checked: [1, 2] });
  });
  it("names each missed target, and a non-finite value fails", () => {
    const v = validateConnection({
      residual: 2e-2,
      variation: [0, Number.NaN, 0.48],
      kinds,
      cartanRatio: 0.1,
    });
    expect(v.passed).toBe(false);
    expect(v.failures).toEqual([
      `held-out residual 0.0200 (target < ${CONNECTION_TARGETS.residual})`,
      "tr P exp ∮A_x dx varies by NaN along held-out trajectory 1 (two-solitons; target < 0.001)",
      "tr P exp ∮A_x dx varies by 0.480 along held-out trajectory 2 (smooth; target < 0.001)",
    ]);
  });
  it("fails a checked trajectory whose monodromy quadrature did not converge", () => {
    const quadratureError = [0.5, 1e-5, 2e-4];
    const v = validateConnection({
      residual: 5e-3,
      variation: [0.9, 1e-5, 5e-4],
      kinds,
      quadratureError,
      cartanRatio: 0.1,
    });
    expect(v.failures).toEqual([
      "the monodromy quadrature did not converge on held-out trajectory 2 (relative error 0.000200; needs < 0.0001)",
    ]);
  });
  it("fails when only lone solitons were held out (their trace is kept by any local A_x)", () => {
    const v = validateConnection({
      residual: 1e-3,
      variation: [0, 0],
      kinds: ["soliton", "soliton"],
      cartanRatio: 0.1,
    });
    expect(v.passed).toBe(false);
    expect(v.checked).toEqual([]);
    expect(v.failures[0]).toMatch(/no held-out trajectory other than lone solitons/);
  });
  it("skips the given travelling kinds instead of solitons (Heisenberg's spin waves)", () => {
    const kinds = ["spin-wave", "smooth", "soliton"];
    const v = validateConnection(
      { residual: 1e-3, variation: [0.5, 1e-4, 0.5], kinds, cartanRatio: 0.1 },
      CONNECTION_TARGETS,
      ["spin-wave"],
    );
    expect(v.checked).toEqual([1, 2]);
    expect(v.failures).toEqual([
      "tr P exp ∮A_x dx varies by 0.500 along held-out trajectory 2 (soliton; target < 0.001)",
    ]);
    const none = validateConnection(
      { residual: 1e-3, variation: [0], kinds: ["spin-wave"], cartanRatio: 0.1 },
      CONNECTION_TARGETS,
      ["spin-wave"],
    );
    expect(none.failures).toEqual([
      "no held-out trajectory other than travelling ones (spin-wave), whose monodromy any A_x keeps",
    ]);
  });
  it("fails a solvable connection (an abelian one keeps every trace) and a non-finite ratio", () => {
    for (const cartanRatio of [0, CONNECTION_TARGETS.cartanRatio, Number.NaN]) {
      const v = validateConnection({ residual: 1e-9, variation: [0, 1e-12, 1e-12], kinds, cartanRatio });
      expect(v.passed).toBe(false);
      expect(v.failures).toHaveLength(1);
      expect(v.failures[0]).toMatch(
        /^the held-out values of A_x span a solvable Lie algebra \(Cartan ratio /,
      );
    }
  });
});
