// What every `physml integrability …` command shares: the run flags, running the command's body
// in a run directory through inIntegrabilityRun, and the formatting of numbers in text output.
import { inIntegrabilityRun } from "@physml/integrability";
import type { InRunOutput, Run } from "@physml/runs";
import type { z } from "zod";
import type { CommandIO, FlagSpec, RawFlags } from "../command.js";
import { progressLines, runFlags as runFlagsOf, runFromFlags } from "../run-flags.js";
import type { ConfigFlag } from "../schema-flags.js";

/** The run flags of `physml integrability <kind>`. */
export const runFlags = (kind: string): Record<string, FlagSpec> => runFlagsOf(`integrability-${kind}`);

/** Progress lines on stderr (none with --quiet). */
export const progress = progressLines;

/** A number in text output: 3 significant digits in exponent form, or its word when non-finite. */
export const fmt = (v: number | string): string => (typeof v === "number" ? v.toExponential(3) : v);

/** Runs a command's body in its run directory (see `runFromFlags`). */
export function inCommandRun<S extends z.ZodType, R extends object>(
  kind: string,
  schema: S,
  flags: readonly ConfigFlag[],
  raw: RawFlags,
  io: CommandIO,
  body: (config: z.output<S>, run: Run<z.output<S>>) => Promise<InRunOutput<R>>,
): Promise<R & { out: string }> {
  return runFromFlags(inIntegrabilityRun, `integrability-${kind}`, schema, flags, raw, io, body);
}
