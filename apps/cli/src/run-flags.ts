// What the commands that run a one-call learner in a run directory share: the run flags (--out,
// --force, --resume, --quiet) and running the body through the learner package's run wrapper
// (@physml/runs' inRunFor with that package's provenance), with field errors restated for flags.
import { parseOptions } from "@physml/lattice-core";
import { type InRunOutput, type InRunWith, type Run, renameFields } from "@physml/runs";
import type { z } from "zod";
import type { CommandIO, FlagSpec, RawFlags } from "./command.js";
import { boolFlag, stringFlag } from "./flags.js";
import { type ConfigFlag, flagError, inputFromFlags } from "./schema-flags.js";
import { storedConfig } from "./stored-fields.js";

/** The default run directory of a `<prefix>-<kind>` run: under runs/, stamped with the time. */
export const defaultRunDir = (name: string): string =>
  `runs/${name}-${new Date().toISOString().replace(/[:.]/g, "-")}`;

/** The run flags of a command whose runs are `name` (e.g. "integrability-kdv"). */
export const runFlags = (name: string): Record<string, FlagSpec> => ({
  out: { type: "string", description: "run directory", default: `runs/${name}-<time>` },
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
export const progressLines =
  (io: CommandIO, flags: RawFlags) =>
  (s: string): void => {
    if (!boolFlag(flags, "quiet")) io.stderr(`${s}\n`);
  };

/**
 * Says on stderr (unless --quiet) that `--resume` found the run in `out` finished and reports its
 * stored result: what every command running in a run directory prints then.
 */
export const storedRunNote = (io: CommandIO, raw: RawFlags, out: string): void =>
  progressLines(io, raw)(`the run in ${out} is finished: its stored result (nothing was run)`);

/** How {@link runFromFlags} reads a configuration, given or stored, and a stored result. */
export interface ReadFields<Out> {
  /**
   * Old field name → current (the package's): a run written before a rename is read, its stored
   * configuration and result, under the current names.
   */
  renamed?: Readonly<Record<string, string>>;
  /**
   * Field → the value it had before it existed (the package's): a run written before those fields
   * were added resumes with the settings it was trained with, never today's defaults. Applied to
   * stored configurations only; a new run's flags are resolved by the schema alone.
   */
  added?: Readonly<Record<string, unknown>>;
  /**
   * Reads a configuration, given or stored, whose resolved form the schema does not read back
   * (e.g. ψ parsed from text to {re, im}); default: the schema's parse.
   */
  resolve?: (input: unknown) => Out;
}

/**
 * Runs a command's body in its run directory `name`: the configuration comes from the flags
 * (without the CLI defaults under --resume, so only the flags given are compared with the stored
 * run), and a library error about a field is restated for its flag. A finished run read back
 * with --resume says so on stderr. `read` says how old runs read (see {@link ReadFields}).
 */
export async function runFromFlags<S extends z.ZodType, R extends object>(
  wrapper: InRunWith,
  name: string,
  schema: S,
  flags: readonly ConfigFlag[],
  raw: RawFlags,
  io: CommandIO,
  body: (config: z.output<S>, run: Run<z.output<S>>) => Promise<InRunOutput<R>>,
  read: ReadFields<z.output<S>> = {},
): Promise<R & { out: string }> {
  const { renamed = {}, added = {}, resolve = (i: unknown) => parseOptions(schema, i) } = read;
  const resume = boolFlag(raw, "resume");
  const out = stringFlag(raw, "out") ?? defaultRunDir(name);
  try {
    const r = await wrapper(
      name,
      inputFromFlags(flags, raw, {}, !resume),
      (i) => resolve(renameFields(i, renamed)),
      {
        out,
        force: boolFlag(raw, "force"),
        resume,
        log: (m) => io.stderr(`${m}\n`),
        stored: storedConfig(renamed, added),
      },
      body,
    );
    if (r.resumed) storedRunNote(io, raw, out);
    return renameFields(r.result, renamed);
  } catch (e) {
    throw flagError(e, flags, raw);
  }
}
