// The CLI without its entry point: parse the command line, find the subcommand, run it, map what
// it threw to one stderr line and an exit code (see main.ts for the codes). Commands get the
// registry and `runCli` from here through `run`'s `cli` argument, never by importing this module.
import { readFileSync } from "node:fs";
import { FAILURE_EXIT_CODES, failureCategory } from "@physml/lattice-core";
import type { Command, CommandCli, CommandIO } from "./command.js";
import { COMMAND_ENTRIES, type CommandEntry, loadAllCommands, loadCommand } from "./commands/index.js";
import { UsageError } from "./flags.js";
import { commandHelp, globalHelp, groupHelp } from "./help.js";
import { parseCommandLine, suggest } from "./parse.js";

/** The CLI's version (from its package.json). */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
).version;

/** The registry entry `argv` selects (the longest matching path) and the words after its path, or null. */
function findEntry(argv: string[]): { entry: CommandEntry; rest: string[] } | null {
  let best: { entry: CommandEntry; rest: string[] } | null = null;
  for (const entry of COMMAND_ENTRIES) {
    const n = entry.path.length;
    if (argv.length >= n && entry.path.every((w, k) => argv[k] === w)) {
      if (!best || n > best.entry.path.length) best = { entry, rest: argv.slice(n) };
    }
  }
  return best;
}

/**
 * The command `argv` selects (the longest matching path; where that entry hands the line to
 * another command, that one), loaded, and the words after its path, or null. Imports only that
 * command's module.
 */
export async function findCommand(argv: string[]): Promise<{ cmd: Command; rest: string[] } | null> {
  const found = findEntry(argv);
  if (!found) return null;
  const elsewhere = await found.entry.redirect?.(found.rest);
  if (elsewhere) return findCommand([...elsewhere.path, ...found.rest]);
  return { cmd: await loadCommand(found.entry), rest: found.rest };
}

/** The leading words of argv (before the first flag). */
const wordsOf = (argv: string[]) => {
  const k = argv.findIndex((a) => a.startsWith("-"));
  return k < 0 ? argv : argv.slice(0, k);
};

/**
 * The exit code of a command that threw `e`: a command line that cannot be read is bad input
 * (2); any other error (a bad flag value is a PhysmlInputError) as lattice-core's
 * `failureCategory` maps it, which is also the category a run directory records in failure.json.
 */
function exitCodeOf(e: unknown): 1 | 2 {
  if (e instanceof UsageError) return 2;
  return FAILURE_EXIT_CODES[failureCategory(e)];
}

/** Runs the CLI on `argv` (without node and script); returns the exit code. */
export async function runCli(argv: string[], io: CommandIO): Promise<number> {
  const debug = argv.includes("--debug") || Boolean(process.env.PHYSML_DEBUG);
  const fail = (where: string, e: unknown): number => {
    const err = e instanceof Error ? e : new Error(String(e));
    io.stderr(`${where}: ${err.message.split("\n")[0]}\n`);
    if (debug && err.stack) io.stderr(`${err.stack}\n`);
    return exitCodeOf(err);
  };
  if (argv.length === 0 || ["--help", "-h", "help"].includes(argv[0])) {
    io.stdout(`${globalHelp(COMMAND_ENTRIES, VERSION)}\n`);
    return 0;
  }
  if (argv[0] === "--version") {
    io.stdout(`physml ${VERSION}\n`);
    return 0;
  }
  const found = findEntry(argv);
  if (!found) {
    const words = wordsOf(argv);
    const group = COMMAND_ENTRIES.filter((c) => words.length > 0 && words.every((w, k) => c.path[k] === w));
    if (group.length > 0 && argv.slice(words.length).every((a) => ["--help", "-h"].includes(a))) {
      io.stdout(`${groupHelp(words, group)}\n`);
      return 0;
    }
    // A group with flags but no command (`physml exact --json`) lacks its command: the group exists.
    if (group.length > 0) {
      const name = words.join(" ");
      const next = [...new Set(group.map((c) => c.path[words.length]))].join(", ");
      return fail(
        `physml ${name}`,
        new UsageError(
          `expected one of its commands (${next}) before the flags, got "${argv[words.length]}"; see \`physml ${name} --help\``,
        ),
      );
    }
    const typed = words.join(" ") || argv[0];
    const paths = COMMAND_ENTRIES.map((c) => c.path.join(" "));
    const hint = suggest(typed, paths);
    return fail(
      "physml",
      new UsageError(
        `unknown command "${typed}"${hint ? ` (did you mean "physml ${hint}"?)` : ""}; run \`physml --help\` for the list`,
      ),
    );
  }
  const { entry, rest } = found;
  const where = `physml ${entry.path.join(" ")}`;
  let elsewhere: Awaited<ReturnType<NonNullable<CommandEntry["redirect"]>>> | undefined;
  try {
    elsewhere = await entry.redirect?.(rest);
  } catch (e) {
    return fail(where, e);
  }
  if (elsewhere) {
    if (!rest.includes("--quiet")) io.stderr(`${where}: ${elsewhere.why}\n`);
    return runCli([...elsewhere.path, ...rest], io);
  }
  let cmd: Command;
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    // A module that fails to load is this command's runtime failure (exit 1), one line as usual.
    cmd = await loadCommand(entry);
    parsed = cmd.rawArgs
      ? {
          flags: {
            debug: rest.includes("--debug") || undefined,
            help: rest.some((a) => a === "--help" || a === "-h") || undefined,
          },
          positionals: rest,
        }
      : parseCommandLine(cmd, rest);
  } catch (e) {
    return fail(where, e);
  }
  // --debug is PHYSML_DEBUG for the whole process (stack traces; Dawn tried and heard even
  // without a GPU driver).
  if (parsed.flags.debug) process.env.PHYSML_DEBUG = "1";
  if (parsed.flags.help) {
    io.stdout(`${commandHelp(cmd)}\n`);
    return 0;
  }
  try {
    const code = await cmd.run(parsed.flags, io, parsed.positionals, COMMAND_CLI);
    return typeof code === "number" ? code : 0;
  } catch (e) {
    return fail(where, e);
  }
}

/** The registry and the CLI as every command's `run` gets them (see {@link CommandCli}). */
export const COMMAND_CLI: CommandCli = {
  async find(words) {
    const entry = COMMAND_ENTRIES.find((e) => e.path.join(" ") === words.join(" "));
    return entry && loadCommand(entry);
  },
  all: loadAllCommands,
  run: runCli,
};
