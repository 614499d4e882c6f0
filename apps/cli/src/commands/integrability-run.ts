// What every `physml integrability …` command shares: the run flags, running the command's body
// in a run directory through inIntegrabilityRun, and the formatting of numbers in text output.

import { inIntegrabilityRun } from "@physml/integrability";
import type { InRunOutput, LoadedCheckpoint, Run } from "@physml/runs";
import type { z } from "zod";
import type { CommandIO, FlagSpec, RawFlags } from "../command.js";
import { progressLines, type ReadFields, runFlags as runFlagsOf, runFromFlags } from "../run-flags.js";
import type { ConfigFlag } from "../schema-flags.js";

/** The run flags of `physml integrability <kind>`. */
export const runFlags = (kind: string): Record<string, FlagSpec> => runFlagsOf(`integrability-${kind}`);

/**
 * The run flags of a command whose learner checkpoints during training: --resume continues an
 * unfinished run from its last checkpoint.
 */
export const checkpointedRunFlags = (kind: string, when: string): Record<string, FlagSpec> => ({
  ...runFlags(kind),
  resume: {
    type: "boolean",
    description: `continue the unfinished run in --out from its last checkpoint (${when}), or report a finished one (flags given must match its config)`,
  },
});

/** Progress lines on stderr (none with --quiet). */
export const progress = progressLines;

/** A number in text output: 3 significant digits in exponent form, or its word when non-finite. */
export const fmt = (v: number | string): string => (typeof v === "number" ? v.toExponential(3) : v);

/**
 * A metrics record's loss values without its `step`: a result's `loss` holds loss values only
 * (README "Conventions"), and the step it was taken at is not one.
 */
export function lossValues<M extends { step: number }>(m: M): Omit<M, "step"> {
  const { step: _step, ...values } = m;
  return values;
}

/** Runs a command's body in its run directory (see `runFromFlags`, which `read` goes to). */
export function inCommandRun<S extends z.ZodType, R extends object>(
  kind: string,
  schema: S,
  flags: readonly ConfigFlag[],
  raw: RawFlags,
  io: CommandIO,
  body: (config: z.output<S>, run: Run<z.output<S>>) => Promise<InRunOutput<R>>,
  read: ReadFields<z.output<S>> = {},
): Promise<R & { out: string }> {
  return runFromFlags(inIntegrabilityRun, `integrability-${kind}`, schema, flags, raw, io, body, read);
}

/**
 * The newest checkpoint of a resumed run whose learner takes one (null for a new run, or one
 * stopped before its first checkpoint). The run wrapper empties metrics.jsonl before the body
 * runs: `replay` writes the checkpoint's loss records again (every record up to it), so the file
 * continues from there with no line twice. `fits` tells a checkpoint of this learner from
 * anything else (a rejected one falls back to the one before it). A resumed run without one
 * (killed before its first checkpoint was renamed into place) says on stderr that it starts over.
 */
export function resumedCheckpoint<S>(
  run: Run<unknown>,
  fits: (state: Record<string, unknown>) => boolean,
  replay: (state: S) => void,
  say: (s: string) => void,
): LoadedCheckpoint<S> | null {
  if (run.status !== "resumed") return null;
  const last = run.loadCheckpoint((s) => {
    if (typeof s !== "object" || s === null || !fits(s as Record<string, unknown>))
      throw new Error("not a checkpoint this command can continue");
    return s as S;
  });
  if (last) replay(last.state);
  else say("resuming: the run stopped before its first checkpoint, so it starts from the beginning");
  return last;
}
