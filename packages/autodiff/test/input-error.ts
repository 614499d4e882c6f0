// Test-only helper: the AutodiffInputError a call throws, so a test can check the field, what is
// allowed and what was received; any other error, or none, fails the test.
import { AutodiffInputError } from "../src/index.js";

export function thrownInputError(f: () => unknown): AutodiffInputError {
  try {
    f();
  } catch (e) {
    if (e instanceof AutodiffInputError) return e;
    throw e;
  }
  throw new Error("expected an AutodiffInputError, but the call returned");
}

/** The thrown AutodiffInputError as "field | allowed | received" (received as JSON). */
export function inputError(f: () => unknown): string {
  const e = thrownInputError(f);
  return `${e.field} | ${e.allowed} | ${JSON.stringify(e.received)}`;
}
