// What every `physml integrability …` command shares: the run flags (--out, --force, --resume,
// --quiet), running the command's body in an @physml/runs run directory (inIntegrabilityRun), and
// the formatting of numbers in its text output.

import { inIntegrabilityRun } from "@physml/integrability";
import { parseOptions } from "@physml/lattice-core";
import type { Run } from "@physml/runs";
import type { z } from "zod";
import type { CommandIO, FlagSpec, RawFlags } from "../command.js";
import { boolFlag, stringFlag } from "../flags.js";
import { type ConfigFlag, flagError, inputFromFlags } from "../schema-flags.js";

/** The run flags of `physml integrability <kind>`. */
export const runFlags = (kind: string): Record<string, FlagSpec> => ({
  out: { type: "string", description: "run directory", default: `runs/integrability-${kind}-<time>` },
  force: {
    type: "boolean",
    description: "archive the run already in --out (to <out>.archived-<time>) and start anew",
  },
  resume: {
    type: "boolean",
    description:
      "report the finished run in --out without running it again (flags given must match its config); an unfinished one is run again from the start",
  },
  quiet: { type: "boolean", description: "no progress on stderr" },
});

/** Progress lines on stderr (none with --quiet). */
export const progress =
  (io: CommandIO, flags: RawFlags) =>
  (s: string): void => {
    if (!boolFlag(flags, "quiet")) io.stderr(`${s}\n`);
  };

/** A number in text output: 3 significant digits in exponent form, or its word when non-finite. */
export const fmt = (v: number | string): string => (typeof v === "number" ? v.toExponential(3) : v);

/**
 * Runs a command's body in its run directory: the configuration comes from the flags (without
 * the CLI defaults under --resume, so only the flags given are compared with the stored run), and
 * a library error about a field is restated for its flag. A finished run read back with --resume
 * says so on stderr.
 */
export async function inRun<S extends z.ZodType, R extends object>(
  kind: string,
  schema: S,
  flags: readonly ConfigFlag[],
  raw: RawFlags,
  io: CommandIO,
  body: (config: z.output<S>, run: Run<z.output<S>>) => Promise<{ result: R; report: string }>,
): Promise<R & { out: string }> {
  const resume = boolFlag(raw, "resume");
  const out =
    stringFlag(raw, "out") ?? `runs/integrability-${kind}-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  try {
    const r = await inIntegrabilityRun(
      `integrability-${kind}`,
      inputFromFlags(flags, raw, {}, !resume),
      (i) => parseOptions(schema, i),
      { out, force: boolFlag(raw, "force"), resume, log: (m) => io.stderr(`${m}\n`) },
      body,
    );
    if (r.resumed) progress(io, raw)(`the run in ${out} is finished: its stored result (nothing was run)`);
    return r.result;
  } catch (e) {
    throw flagError(e, flags, raw);
  }
}
