// The shape of one CLI subcommand. Commands are thin: parse and validate flags, call packages,
// print. With --json a command prints exactly one JSON object on stdout; progress and logs go
// to stderr.

import type { ZodType } from "zod";

/** A flag a command accepts. */
export interface FlagSpec {
  type: "string" | "boolean";
  description: string;
  /** Shown in help; the command applies its own defaults. */
  default?: string | boolean;
  /** The allowed values and rules in words (range, choices, multiples), shown in help. */
  rule?: string;
  /** Must be given (shown in help). */
  required?: boolean;
}

/** A positional argument a command takes (e.g. `runs show <run>`). */
export interface ArgSpec {
  name: string;
  description: string;
  /** Whether at least one must be given. */
  required?: boolean;
  /** Whether it takes any number of values. */
  variadic?: boolean;
}

/** Parsed flags: raw strings/booleans as given on the command line. */
export type RawFlags = Record<string, string | boolean | undefined>;

/** Where a command writes. Tests pass their own sinks. */
export interface CommandIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/**
 * What the CLI hands every command's `run`, for the commands that run other commands (`physml
 * sweep …` finds its learner and runs a point in-process). Handed in rather than imported: the
 * registry imports every command module and the CLI imports the registry, so a command importing
 * either would close a cycle.
 */
export interface CommandCli {
  /** The command whose path is exactly `words` (its module imported), or undefined. */
  find(words: readonly string[]): Promise<Command | undefined>;
  /** Every command, in help order (imports every command module). */
  all(): Promise<Command[]>;
  /** Runs the CLI on `argv` as `physml argv…` would (errors to `io.stderr`); resolves to the exit code. */
  run(argv: string[], io: CommandIO): Promise<number>;
}

/** What names a command and says what it does: all that help listings, suggestions and lookup need. */
export interface CommandHeading {
  /** The words that select it, e.g. `["exact", "energy"]`. */
  path: string[];
  summary: string;
}

export interface Command extends CommandHeading {
  flags: Record<string, FlagSpec>;
  /**
   * The library's option schema its flags are built from (schema-flags.ts): ranges, defaults,
   * rules and help come from it. Absent for commands without library options (`runs …`).
   */
  options?: ZodType;
  /** Usage examples shown in help. */
  examples?: string[];
  /** Positional arguments (none when absent: any positional is then an error). */
  args?: ArgSpec[];
  /**
   * May resolve to the exit code (3: the result failed its own validation); otherwise 0. `args`:
   * the positionals; `cli`: the registry and the CLI, for a command that runs others.
   */
  run(flags: RawFlags, io: CommandIO, args: string[] | undefined, cli: CommandCli): Promise<unknown>;
  /**
   * Validates parsed flags as `run` would, without running (throws the same one-line errors).
   * `physml sweep` checks every point of a grid with it before the first one starts.
   */
  check?(flags: RawFlags): void;
  /**
   * The command reads its own command line: every word after its path arrives as a positional,
   * unparsed (`physml sweep <learner command> …` passes the learner's flags through).
   */
  rawArgs?: boolean;
}

/**
 * What a command module defines: the command without its heading. The registry
 * (`commands/index.ts`) holds the heading, so listing the commands imports none of their modules.
 */
export type CommandBody = Omit<Command, keyof CommandHeading>;

/** Flags every command understands. */
export const COMMON_FLAGS: Record<string, FlagSpec> = {
  json: { type: "boolean", description: "print exactly one JSON object on stdout" },
  help: { type: "boolean", description: "show help for this command (also -h)" },
  debug: { type: "boolean", description: "show stack traces and GPU driver messages (PHYSML_DEBUG=1)" },
};
