// Whether a README's `physml` command line would get past the CLI's reading of it, judged by the
// CLI's own code without running anything: its command table and parser (unknown command, unknown
// or repeated flag, missing value, stray argument), then the values as the command checks them
// before it starts (its `check`, a sweep's check of every point, or else each flag's field in the
// command's option schema). Alternatives (`a|b`, `[x | y]`) are expanded and optional parts
// (`[--json]`) checked as if given; a synopsis (`<dir>`, `…`, a one-letter value such as
// `--seed s`) is checked up to its flag names.
import { COMMON_FLAGS } from "../../apps/cli/src/command.ts";
import { COMMAND_ENTRIES } from "../../apps/cli/src/commands/index.ts";
import { checkSweep } from "../../apps/cli/src/commands/sweep.ts";
import { SWEEP_FLAGS } from "../../apps/cli/src/commands/sweep-request.ts";
import { FlagError } from "../../apps/cli/src/flags.ts";
import { findCommand } from "../../apps/cli/src/main.ts";
import { allFlags, parseCommandLine } from "../../apps/cli/src/parse.ts";
import { COMMAND_CLI } from "../../apps/cli/src/run-cli.ts";
import { configFlags, inputFromFlags } from "../../apps/cli/src/schema-flags.ts";

/** How far a line was checked: its command's name, its flag names, or its values too. */
export type CheckLevel = "name" | "flags" | "values";

export interface CommandVerdict {
  level: CheckLevel;
  /** The CLI's own one-line error, or null when the line passes. */
  problem: string | null;
}

/** A word that stands for something (`<dir>`, `…`), not a word to type. */
const PLACEHOLDER = /[<>…]/;
/** A value that names a quantity instead of giving it (`--seed s`, `--beta β`). */
const LETTER = /^\p{L}$/u;

/**
 * The lines a synopsis stands for: each alternative of an `a|b` word, and of a `[x | y]` group,
 * in turn (several multiply).
 */
function alternatives(args: string[]): string[][] {
  const bar = args.indexOf("|");
  if (bar >= 0) {
    const open = args.slice(0, bar).findLastIndex((w) => w.startsWith("["));
    const close = args.findIndex((w, k) => k > bar && w.endsWith("]"));
    if (open < 0 || close < 0) return alternatives(args.filter((_, k) => k !== bar));
    const bare = (ws: string[]) => ws.map((w) => w.replace(/^\[|\]$/g, ""));
    const [before, after] = [args.slice(0, open), args.slice(close + 1)];
    return [bare(args.slice(open, bar)), bare(args.slice(bar + 1, close + 1))].flatMap((alt) =>
      alternatives([...before, ...alt, ...after]),
    );
  }
  const k = args.findIndex((w) => w.includes("|") && !w.startsWith("<"));
  if (k < 0) return [args];
  const word = args[k].replace(/^\[|\]$/g, "");
  const [pre, post] = [args[k].startsWith("[") ? "[" : "", args[k].endsWith("]") ? "]" : ""];
  return word
    .split("|")
    .flatMap((alt) => alternatives([...args.slice(0, k), `${pre}${alt}${post}`, ...args.slice(k + 1)]));
}

/**
 * A synopsis's words as a command line: brackets dropped (an optional part is checked as if
 * given), `…` and (remarks) left out; a synopsis when something stands for a value.
 */
function typed(args: string[]): { args: string[]; synopsis: boolean } {
  const out: string[] = [];
  let synopsis = false;
  let remark = false;
  for (const w of args) {
    if (w.startsWith("(")) remark = true;
    if (remark) {
      synopsis = true;
      if (w.endsWith(")") || w.endsWith(")]")) remark = false;
      continue;
    }
    const bare = w.startsWith("<") ? w : w.replace(/[[\]]/g, "");
    const afterFlag = out.at(-1)?.startsWith("--") ?? false;
    if (PLACEHOLDER.test(bare) || (afterFlag && LETTER.test(bare))) synopsis = true;
    // `--out …` keeps a value, so the flag still reads as given one.
    if (bare === "…" && afterFlag) out.push("<…>");
    else if (bare !== "…" && bare !== "") out.push(bare);
  }
  return { args: out, synopsis };
}

const message = (e: unknown) => (e instanceof Error ? e.message.split("\n")[0] : String(e));

/** The words before the first flag. */
const wordsOf = (args: string[]) => {
  const k = args.findIndex((a) => a.startsWith("-"));
  return k < 0 ? args : args.slice(0, k);
};

/** Flags outside `known` among `args`, as a problem, or null. */
function unknownFlags(args: string[], known: readonly string[], where: string): string | null {
  const bad = args.filter((a) => a.startsWith("--") && !known.includes(a.slice(2).split("=")[0]));
  return bad.length ? `unknown flag ${bad[0]} for ${where}` : null;
}

async function checkOne(line: string[]): Promise<CommandVerdict> {
  const { args, synopsis } = typed(line);
  const level: CheckLevel = synopsis ? "flags" : "values";
  if (args.length === 0) return { level: "name", problem: null };
  // `physml <command> --help`, `physml … --json`: any command; only the common flags can be checked.
  if (/^<.*>$/.test(args[0]) || line[0] === "…" || ["--help", "-h", "--version"].includes(args[0])) {
    const rest = args.filter((a) => !/^<.*>$/.test(a));
    return {
      level: "flags",
      problem: unknownFlags(rest, [...Object.keys(COMMON_FLAGS), "version"], "physml"),
    };
  }
  const found = await findCommand(args);
  if (!found) {
    // `physml duality`, `physml runs`: a group of commands, named in prose.
    const words = wordsOf(args);
    const group =
      words.length === args.length && COMMAND_ENTRIES.some((c) => words.every((w, k) => c.path[k] === w));
    return { level: "name", problem: group ? null : `unknown command "${words.join(" ")}"` };
  }
  const { cmd, rest } = found;
  // A command named in prose without flags: nothing to check beyond its name.
  if (rest.length === 0) return { level: "name", problem: null };
  if (cmd.rawArgs) {
    // `physml sweep <learner> …`: with a placeholder learner only the sweep's own flags can be checked.
    if (/^<.*>$/.test(rest[0]) || line[1] === "…") {
      const known = [...Object.keys(SWEEP_FLAGS), ...Object.keys(COMMON_FLAGS)];
      return { level: "flags", problem: unknownFlags(rest, known, "physml sweep") };
    }
    try {
      await checkSweep(rest, COMMAND_CLI);
      return { level, problem: null };
    } catch (e) {
      // `physml sweep integrability simulate`: a learner named in prose, with no grid to check.
      const named = e instanceof FlagError && e.flag === "grid" && !rest.some((a) => a.startsWith("--"));
      return named ? { level: "name", problem: null } : { level, problem: message(e) };
    }
  }
  // `physml runs export --output` in prose names a flag, not a value or the arguments: checked
  // up to its name.
  const last = rest.at(-1) ?? "";
  const named = last.startsWith("--") && allFlags(cmd)[last.slice(2)]?.type === "string";
  const argv = named
    ? [...(cmd.args ?? []).filter((a) => a.required).map((a) => `<${a.name}>`), ...rest, "<value>"]
    : rest;
  try {
    const { flags } = parseCommandLine(cmd, argv);
    if (synopsis || named) return { level: "flags", problem: null };
    if (cmd.check) cmd.check(flags);
    else if (cmd.options) {
      const own = configFlags(cmd.options).filter((f) => f.name in cmd.flags);
      inputFromFlags(own, flags, {}, false);
    }
    return { level, problem: null };
  } catch (e) {
    return { level, problem: message(e) };
  }
}

/**
 * Checks one README command line (the words after `physml`) with the CLI's own table, parser and
 * checks; runs nothing. A synopsis with alternatives passes when every alternative does.
 */
export async function checkReadmeCommand(args: readonly string[]): Promise<CommandVerdict> {
  const verdicts = await Promise.all(alternatives([...args]).map(checkOne));
  const failed = verdicts.find((v) => v.problem !== null);
  if (failed) return failed;
  const order: CheckLevel[] = ["name", "flags", "values"];
  return verdicts.reduce((a, b) => (order.indexOf(b.level) < order.indexOf(a.level) ? b : a));
}
