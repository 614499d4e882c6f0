#!/usr/bin/env node
// physml: parse the command line, find the subcommand, run it. Exit codes: 0 ok, 1 runtime
// failure, 2 bad usage (unknown command or flag, bad flag value, occupied run directory), 3 a
// result that failed its own validation (printed, with a warning on stderr saying why).
// Every error is one line on stderr; --debug (or PHYSML_DEBUG=1) adds the stack trace.
// This file is the entry point only; the CLI itself is run-cli.ts.
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { CommandIO } from "./command.js";
import { runCli } from "./run-cli.js";

export { findCommand, runCli, VERSION } from "./run-cli.js";

// An installed CLI runs through a bin symlink (node_modules/.bin/physml), so compare real paths.
const isMain =
  process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
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
