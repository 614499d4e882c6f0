// The PhysmlInputError a call throws, so a test can compare its whole one-line message or the
// field it names (matched by instanceof, as callers match errors). A package whose refusals are
// a subclass of its own (a run directory's RunDirError, autodiff's AutodiffInputError) passes
// that class, so a plain PhysmlInputError from elsewhere fails the test.
import { PhysmlInputError } from "../errors.js";

/** A class of input errors (PhysmlInputError or a subclass of it). */
export type InputErrorClass<E extends PhysmlInputError> = abstract new (...args: never[]) => E;

/**
 * The input error that `f` throws, of class `type` (PhysmlInputError unless given); fails the
 * test when `f` returns or throws anything else.
 */
export function refusal<E extends PhysmlInputError = PhysmlInputError>(
  f: () => unknown,
  type: InputErrorClass<E> = PhysmlInputError as unknown as InputErrorClass<E>,
): E {
  try {
    f();
  } catch (e) {
    if (e instanceof type) return e;
    throw e;
  }
  throw new Error(`expected the call to throw a ${type.name}, but it returned`);
}

/** The message of the input error (of class `type`, PhysmlInputError unless given) that `f` throws. */
export const refusalMessage = <E extends PhysmlInputError>(
  f: () => unknown,
  type?: InputErrorClass<E>,
): string => refusal(f, type).message;
