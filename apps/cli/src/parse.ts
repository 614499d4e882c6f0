// Reading a command's flags and positional arguments from argv: unknown flags get a
// did-you-mean, a repeated flag, a missing value or a value given to a switch is an error.
import { parseArgs } from "node:util";
import { closest, distance } from "fastest-levenshtein";
import { COMMON_FLAGS, type Command, type FlagSpec, type RawFlags } from "./command.js";
import { UsageError } from "./flags.js";

/**
 * The closest of `candidates` to `word`, when it is close enough to be a likely typo; else the one
 * candidate that ends in `-word` (a flag that grew a qualifier, as `--time` became
 * `--trajectory-time`), if only one does.
 */
export function suggest(word: string, candidates: readonly string[]): string | null {
  if (candidates.length === 0) return null;
  const best = closest(word, candidates as string[]);
  if (distance(word, best) <= Math.max(2, Math.floor(best.length / 3))) return best;
  const qualified = candidates.filter((c) => c.endsWith(`-${word}`));
  return qualified.length === 1 ? qualified[0] : null;
}

// parseArgs reads `--nnn -0.1` as two options; couplings are often negative, so a value that
// looks like a negative number after a string flag is joined to it (`--nnn=-0.1`).
function joinNegativeValues(args: string[], flags: Record<string, FlagSpec>): string[] {
  const out: string[] = [];
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    const name = a.startsWith("--") && !a.includes("=") ? a.slice(2) : null;
    const next = args[k + 1];
    if (name && flags[name]?.type === "string" && next !== undefined && /^-\d|^-\.\d|^-Inf/.test(next)) {
      out.push(`${a}=${next}`);
      k++;
    } else {
      out.push(a);
    }
  }
  return out;
}

/** All flags of a command, its own and the common ones. */
export function allFlags(cmd: Command): Record<string, FlagSpec> {
  return { ...cmd.flags, ...COMMON_FLAGS };
}

/** Parses `args` (after the command's words) into flags and positionals; throws UsageError. */
export function parseCommandLine(cmd: Command, args: string[]): { flags: RawFlags; positionals: string[] } {
  const specs = allFlags(cmd);
  const { tokens } = parseArgs({
    args: joinNegativeValues(args, specs),
    options: Object.fromEntries(Object.entries(specs).map(([k, v]) => [k, { type: v.type }])),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const flags: RawFlags = {};
  const positionals: string[] = [];
  const where = `physml ${cmd.path.join(" ")}`;
  for (const t of tokens) {
    if (t.kind === "option-terminator") continue;
    if (t.kind === "positional") {
      positionals.push(t.value);
      continue;
    }
    // -h is --help; --h is a flag of its own (the time step of `integrability simulate`).
    const name = t.rawName === "-h" ? "help" : t.name;
    const spec = specs[name];
    if (!spec) {
      const hint = suggest(name, Object.keys(specs));
      throw new UsageError(
        `unknown flag ${t.rawName}${hint ? ` (did you mean --${hint}?)` : ""}; see \`${where} --help\``,
      );
    }
    if (flags[name] !== undefined) {
      throw new UsageError(`--${name} is given more than once; give it once`);
    }
    if (spec.type === "string") {
      // parseArgs gives a string flag the next word even when that word is one of the flags
      // (`--trajectories --out x`): the flag was left without its value, and `x` is not the error.
      const nextFlag =
        !t.inlineValue && t.value?.startsWith("--") && specs[t.value.slice(2).split("=")[0]] !== undefined;
      if (t.value === undefined || nextFlag)
        throw new UsageError(`--${name}: expected a value after it (${spec.rule ?? spec.description})`);
      flags[name] = t.value;
    } else {
      if (t.value !== undefined)
        throw new UsageError(`--${name} is a switch and takes no value, got "${t.value}"`);
      flags[name] = true;
    }
  }
  const specArgs = cmd.args ?? [];
  if (!flags.help) {
    if (specArgs.length === 0 && positionals.length > 0) {
      throw new UsageError(`unexpected argument "${positionals[0]}"; see \`${where} --help\``);
    }
    const required = specArgs.filter((a) => a.required).length;
    if (positionals.length < required) {
      throw new UsageError(`expected <${specArgs[positionals.length].name}>; see \`${where} --help\``);
    }
    if (!specArgs.some((a) => a.variadic) && positionals.length > specArgs.length) {
      throw new UsageError(`unexpected argument "${positionals[specArgs.length]}"; see \`${where} --help\``);
    }
  }
  return { flags, positionals };
}
