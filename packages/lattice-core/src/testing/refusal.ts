// The PhysmlInputError a call throws, so a test can compare its whole one-line message or the
// field it names (matched by instanceof, as callers match errors).
import { PhysmlInputError } from "../errors.js";

/** The PhysmlInputError that `f` throws; fails the test when it returns or throws anything else. */
export function refusal(f: () => unknown): PhysmlInputError {
  try {
    f();
  } catch (e) {
    if (e instanceof PhysmlInputError) return e;
    throw e;
  }
  throw new Error("expected a PhysmlInputError, but the call returned");
}

/** The message of the PhysmlInputError that `f` throws. */
export const refusalMessage = (f: () => unknown): string => refusal(f).message;
