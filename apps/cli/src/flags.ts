// Validation of raw CLI flags into typed values, with messages that name the flag and range.
import { oneLine, PhysmlInputError } from "@physml/lattice-core";
import type { RawFlags } from "./command.js";
import { finiteJson, finiteText } from "./finite-output.js";

/**
 * A bad flag value: names the flag and the allowed range. It is a {@link PhysmlInputError} whose
 * field is the flag as typed (`--steps`), so it is bad input (exit 2) wherever input errors are
 * recognised; the value is shown as typed, quoted (`got "0"`), or `nothing` when it is missing.
 */
export class FlagError extends PhysmlInputError {
  /** The flag's name without its dashes, e.g. `"steps"`. */
  readonly flag: string;
  /**
   * @param shownAs - the name the message and `field` give it: `--<flag>` unless a subclass
   *   names it otherwise ({@link ArgError}'s `<run>`).
   */
  constructor(flag: string, allowed: string, got: unknown, detail?: string, shownAs = `--${flag}`) {
    super(shownAs, allowed, got, detail);
    this.message = oneLine(
      `${shownAs}: expected ${allowed}, got ${got === undefined ? "nothing" : JSON.stringify(got)}${detail ? ` (${detail})` : ""}`,
    );
    this.name = "FlagError";
    this.flag = flag;
  }
}

/**
 * A bad value of a positional argument (`physml runs show <run>`): one line naming it `<run>`, as
 * the usage line and the missing-argument error do (there is no `--run` flag to give instead).
 */
export class ArgError extends FlagError {
  constructor(arg: string, allowed: string, got: unknown, detail?: string) {
    super(arg, allowed, got, detail, `<${arg}>`);
    this.name = "ArgError";
  }
}

/** A command line that cannot be read (unknown or repeated flag, missing value): one line, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A decimal number (optionally with an exponent), or null: no hex/octal/binary, no empty or
 * blank string, no Infinity or NaN.
 */
export function strictNumber(s: string): number | null {
  if (!DECIMAL.test(s)) return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

function raw(flags: RawFlags, name: string): string | undefined {
  const v = flags[name];
  if (v === undefined) return undefined;
  if (typeof v === "boolean") throw new FlagError(name, "a value", v);
  return v;
}

/** A string flag restricted to a set of choices. */
export function choiceFlag<T extends string>(
  flags: RawFlags,
  name: string,
  def: T,
  choices: readonly T[],
): T {
  const s = raw(flags, name);
  if (s === undefined) return def;
  if (!(choices as readonly string[]).includes(s))
    throw new FlagError(name, `one of ${choices.join("|")}`, s);
  return s as T;
}

/** A free string flag (undefined when absent). */
export function stringFlag(flags: RawFlags, name: string): string | undefined {
  return raw(flags, name);
}

/** A boolean flag. */
export function boolFlag(flags: RawFlags, name: string): boolean {
  return flags[name] === true;
}

/**
 * Prints one JSON object on stdout (with --json; a non-finite number left out with its
 * `…Unavailable`, see `finiteJson`) or the human text otherwise (a non-finite number as "n/a",
 * see `finiteText`).
 */
export function emit(
  io: { stdout: (s: string) => void },
  json: boolean,
  result: unknown,
  human: () => string,
): void {
  io.stdout(json ? `${JSON.stringify(finiteJson(result))}\n` : `${finiteText(human())}\n`);
}
