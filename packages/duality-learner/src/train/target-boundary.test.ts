// Which boundary the target is sampled with: the twist sum only where its exact weights (those of
// the nearest-neighbour model) apply, "auto" choosing it there, and a twist sum that cannot apply
// refused with the field's name.
import { expect, test } from "vitest";
import { resolveConfig } from "../config.js";
import { targetBoundary } from "./target.js";

const cfg = (over: Record<string, unknown>, boundary: "auto" | "periodic" | "twist-sum") =>
  resolveConfig({ beta: 0.4, ...over, target: { boundary, ...(over.target as object) } });

test.each([
  ["nearest-neighbour", {}, "twist-sum"],
  ["plaquette coupling", { plaquette: 0.1 }, "periodic"],
  ["nnn coupling", { nnn: -0.2 }, "periodic"],
  ["tempering", { target: { temperingEvery: 5 } }, "periodic"],
] as const)("auto with a %s model: %s", (_, over, want) => {
  expect(targetBoundary(cfg(over, "auto"))).toBe(want);
  expect(targetBoundary(cfg(over, "periodic"))).toBe("periodic");
});

test("twist-sum is kept for the nearest-neighbour model and refused otherwise, naming the field", () => {
  expect(targetBoundary(cfg({}, "twist-sum"))).toBe("twist-sum");
  for (const over of [{ plaquette: 0.1 }, { nnn: 0.2 }, { target: { temperingEvery: 3 } }]) {
    expect(() => targetBoundary(cfg(over, "twist-sum"))).toThrow(
      'target.boundary: expected "periodic" or "auto" with a plaquette or nnn coupling or tempering (the exact twist weights are those of the nearest-neighbour model; the twisted sampler has no tempering), got twist-sum',
    );
  }
});
