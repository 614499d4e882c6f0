// The tests' check of a refused input: the call throws, and what it throws is a PhysmlInputError
// naming the expected field (matched by instanceof and by field, not by message text).
import { PhysmlInputError } from "@physml/lattice-core";
import { expect } from "vitest";

/** Asserts that `call` throws a {@link PhysmlInputError} whose `field` is `field`. */
export function expectRefused(call: () => unknown, field: string): void {
  let err: unknown;
  try {
    call();
  } catch (e) {
    err = e;
  }
  if (err === undefined) throw new Error(`an input with a bad ${field} was accepted`);
  expect(err).toBeInstanceOf(PhysmlInputError);
  expect((err as PhysmlInputError).field).toBe(field);
}
