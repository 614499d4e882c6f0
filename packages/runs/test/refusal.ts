// The RunDirError a call throws, so a test can check the field it names and its whole message.
import { RunDirError } from "../src/errors.js";

/** The RunDirError that `f` throws; fails the test when it returns or throws anything else. */
export function refusal(f: () => unknown): RunDirError {
  try {
    f();
  } catch (e) {
    if (e instanceof RunDirError) return e;
    throw e;
  }
  throw new Error("expected a RunDirError, but the call returned");
}
