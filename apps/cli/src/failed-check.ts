// Exit code 3: a result that failed its own validation is printed (text or --json) and, on
// stderr, one warning says what failed and why, so a script reading only stdout's JSON and the
// exit code, or a person reading the terminal, both learn it.
import type { CommandIO } from "./command.js";
import { finiteText } from "./finite-output.js";

/**
 * Writes the one-line warning of a failed result on stderr and returns exit code 3. Every
 * command returning 3 words it so: `warning: <what> FAILED its own checks and should not be
 * trusted: <reasons>[; <advice>] (exit code 3)`.
 *
 * @param what - the result that failed, e.g. "the line-based dual".
 * @param reasons - why, in the package's words (its failures or its check).
 * @param advice - what to try instead, when the command knows (e.g. "try more steps (--steps)").
 */
export function failedCheck(io: CommandIO, what: string, reasons: readonly string[], advice?: string): 3 {
  const why = [...reasons, ...(advice ? [advice] : [])].join("; ");
  // the package's reasons format their numbers themselves: a diverged one reads as stdout's does
  io.stderr(
    finiteText(`warning: ${what} FAILED its own checks and should not be trusted: ${why} (exit code 3)\n`),
  );
  return 3;
}

/**
 * A result's verdict as its text output's line: `validation: passed[ — <detail>]` or
 * `validation: FAILED (<failures>)`, the failures in the package's words.
 */
export function verdictLine(
  v: { passed: boolean; failures: readonly string[] },
  passedDetail?: string,
): string {
  if (!v.passed) return `validation: FAILED (${v.failures.join("; ")})`;
  return passedDetail ? `validation: passed — ${passedDetail}` : "validation: passed";
}
