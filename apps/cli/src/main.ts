#!/usr/bin/env node
// physml: parse the command line, find the subcommand, run it. Exit codes: 0 ok, 1 runtime
// failure, 2 bad usage (unknown command or bad flag value), 3 a result that failed its own
// validation (printed, with a warning on stderr saying why).
import { parseArgs } from "node:util";
import { COMMON_FLAGS, type Command, type CommandIO } from "./command.js";
import { COMMANDS } from "./commands/index.js";
import { FlagError } from "./flags.js";

function findCommand(argv: string[]): { cmd: Command; rest: string[] } | null {
  let best: { cmd: Command; rest: string[] } | null = null;
  for (const cmd of COMMANDS) {
    const n = cmd.path.length;
    if (argv.length >= n && cmd.path.every((w, k) => argv[k] === w)) {
      if (!best || n > best.cmd.path.length) best = { cmd, rest: argv.slice(n) };
    }
  }
  return best;
}

// parseArgs reads `--nnn -0.1` as two options; couplings are often negative, so a value that
// looks like a negative number after a string flag is joined to it (`--nnn=-0.1`).
function joinNegativeValues(args: string[], cmd: Command): string[] {
  const out: string[] = [];
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    const name = a.startsWith("--") && !a.includes("=") ? a.slice(2) : null;
    const next = args[k + 1];
    if (name && cmd.flags[name]?.type === "string" && next !== undefined && /^-\d|^-\.\d|^-Inf/.test(next)) {
      out.push(`${a}=${next}`);
      k++;
    } else {
      out.push(a);
    }
  }
  return out;
}

function commandHelp(cmd: Command): string {
  const flags = { ...cmd.flags, ...COMMON_FLAGS };
  const lines = [`physml ${cmd.path.join(" ")} — ${cmd.summary}`, "", "Flags:"];
  for (const [name, spec] of Object.entries(flags)) {
    const def = spec.default !== undefined ? ` (default ${spec.default})` : "";
    lines.push(`  --${name}${spec.type === "string" ? " <value>" : ""}  ${spec.description}${def}`);
  }
  if (cmd.examples?.length) lines.push("", "Examples:", ...cmd.examples.map((e) => `  ${e}`));
  return lines.join("\n");
}

function globalHelp(): string {
  const lines = ["physml — machine learning meets theoretical physics", "", "Commands:"];
  for (const cmd of COMMANDS) lines.push(`  physml ${cmd.path.join(" ").padEnd(22)} ${cmd.summary}`);
  lines.push("", "Run `physml <command> --help` for its flags. Every command takes --json.");
  return lines.join("\n");
}

/** Runs the CLI on `argv` (without node and script); returns the exit code. */
export async function runCli(argv: string[], io: CommandIO): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "help") {
    io.stdout(`${globalHelp()}\n`);
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    io.stderr(`physml: unknown command "${argv.join(" ")}"\n\n${globalHelp()}\n`);
    return 2;
  }
  const { cmd, rest } = found;
  const options = Object.fromEntries(
    Object.entries({ ...cmd.flags, ...COMMON_FLAGS }).map(([k, v]) => [k, { type: v.type }]),
  );
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: joinNegativeValues(rest, cmd),
      options,
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    io.stderr(`physml ${cmd.path.join(" ")}: ${(e as Error).message}\n\n${commandHelp(cmd)}\n`);
    return 2;
  }
  // --debug is PHYSML_DEBUG for the whole process (stack traces; Dawn tried and heard even
  // without a GPU driver).
  if (values.debug) process.env.PHYSML_DEBUG = "1";
  if (values.help) {
    io.stdout(`${commandHelp(cmd)}\n`);
    return 0;
  }
  try {
    const code = await cmd.run(values, io);
    return typeof code === "number" ? code : 0;
  } catch (e) {
    const err = e as Error;
    const usage = err instanceof FlagError || err.name === "PhysmlInputError" || err.name === "ZodError";
    io.stderr(`physml ${cmd.path.join(" ")}: ${err.message}\n`);
    if (process.env.PHYSML_DEBUG && err.stack) io.stderr(`${err.stack}\n`);
    return usage ? 2 : 1;
  }
}

const isMain =
  process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split("/").pop() ?? "");
if (isMain) {
  const io: CommandIO = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`physml: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 1;
    },
  );
}
