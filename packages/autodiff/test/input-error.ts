// Test-only helper: the AutodiffInputError a call throws (lattice-core's shared `refusal`) in one
// string, so a table of refusals compares the field, what is allowed and what was received.
import { refusal } from "@physml/lattice-core/testing";
import { AutodiffInputError } from "../src/index.js";

/** The thrown AutodiffInputError as "field | allowed | received" (received as JSON). */
export function inputError(f: () => unknown): string {
  const e = refusal(f, AutodiffInputError);
  return `${e.field} | ${e.allowed} | ${JSON.stringify(e.received)}`;
}
