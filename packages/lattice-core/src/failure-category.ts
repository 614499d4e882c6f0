// The one mapping from a thrown error to the category of failure it is and the exit code a command
// ends with: the CLI exits with it and a run directory records it (failure.json), so the two
// always agree.
import { z } from "zod";
import { PhysmlInputError } from "./errors.js";

/**
 * `input`: bad input (a {@link PhysmlInputError}, or a schema's `ZodError`), exit code 2;
 * `crash`: any other error, exit code 1. A result that failed its own check (exit code 3) is no
 * failure: its command finishes and stores that result.
 */
export type FailureCategory = "input" | "crash";

/** The exit code of each category of failure. */
export const FAILURE_EXIT_CODES: Readonly<Record<FailureCategory, 1 | 2>> = { input: 2, crash: 1 };

/** The category of failure the thrown value `e` is (see {@link FailureCategory}). */
export function failureCategory(e: unknown): FailureCategory {
  return e instanceof PhysmlInputError || e instanceof z.ZodError ? "input" : "crash";
}
