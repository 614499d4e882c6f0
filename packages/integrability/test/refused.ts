// The tests' check of a refused input: the call throws a PhysmlInputError (lattice-core's shared
// `refusal`) naming the expected field (matched by instanceof and by field, not by message text).
import { refusal } from "@physml/lattice-core/testing";
import { expect } from "vitest";

/** Asserts that `call` throws a PhysmlInputError whose `field` is `field`. */
export function expectRefused(call: () => unknown, field: string): void {
  expect(refusal(call).field).toBe(field);
}
