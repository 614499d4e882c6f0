// Help texts: global, per group of commands (e.g. `physml exact`) and per command, with each
// flag's rule, range and default.
import type { Command, CommandHeading } from "./command.js";
import { allFlags } from "./parse.js";

/** Help of one command: usage, flags (with rule and default), examples. */
export function commandHelp(cmd: Command): string {
  const args = (cmd.args ?? []).map((a) =>
    a.required ? `<${a.name}${a.variadic ? "…" : ""}>` : `[${a.name}${a.variadic ? "…" : ""}]`,
  );
  const lines = [
    `physml ${cmd.path.join(" ")} — ${cmd.summary}`,
    "",
    `Usage: physml ${[...cmd.path, ...args].join(" ")} [flags]`,
  ];
  if (cmd.args?.length) {
    lines.push("", "Arguments:");
    for (const a of cmd.args) lines.push(`  ${a.name.padEnd(18)} ${a.description}`);
  }
  lines.push("", "Flags:");
  for (const [name, spec] of Object.entries(allFlags(cmd))) {
    const head = `  --${name}${spec.type === "string" ? " <value>" : ""}`;
    const notes = [
      spec.required ? "required" : undefined,
      spec.rule,
      spec.default !== undefined ? `default ${spec.default}` : undefined,
    ].filter(Boolean);
    lines.push(`${head.padEnd(26)} ${spec.description}${notes.length ? ` [${notes.join("; ")}]` : ""}`);
  }
  if (cmd.examples?.length) lines.push("", "Examples:", ...cmd.examples.map((e) => `  ${e}`));
  return lines.join("\n");
}

function listing(commands: readonly CommandHeading[]): string[] {
  return commands.map((c) => `  physml ${c.path.join(" ").padEnd(22)} ${c.summary}`);
}

/** Help of every command. */
export function globalHelp(commands: readonly CommandHeading[], version: string): string {
  return [
    `physml ${version} — machine learning meets theoretical physics`,
    "",
    "Commands:",
    ...listing(commands),
    "",
    "Run `physml <command> --help` for its flags. Every command takes --json and --debug;",
    "`physml --version` prints the version. Exit codes: 0 ok, 1 runtime failure, 2 bad usage, 3 a result that failed its own checks (printed, with a warning).",
  ].join("\n");
}

/** Help of the commands under `words`, e.g. `physml exact`. */
export function groupHelp(words: readonly string[], commands: readonly CommandHeading[]): string {
  return [
    `physml ${words.join(" ")} — ${commands.length} commands:`,
    "",
    ...listing(commands),
    "",
    `Run \`physml ${words.join(" ")} <command> --help\` for its flags.`,
  ].join("\n");
}
