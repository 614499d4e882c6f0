// Flags built from a library's zod option schema: every field marked with
// `.meta({ flag, description, rule?, allowed?, cliDefault?, defaultText? })` (lattice-core's
// OptionMeta) becomes a flag whose help text (range, default, rule) and whose validation both
// come from the schema, so they cannot disagree.
import { describeAllowed, PhysmlInputError, parseOptions, unwrapOption } from "@physml/lattice-core";
import { z } from "zod";
import type { FlagSpec, RawFlags } from "./command.js";
import { FlagError, strictNumber } from "./flags.js";

/** One flag derived from the schema. */
export interface ConfigFlag {
  name: string;
  /** Path of the field in the configuration, e.g. `["optimizer", "steps"]`. */
  path: string[];
  spec: FlagSpec;
  /** The allowed values in words, as in help and in errors. */
  allowed: string;
  cliDefault?: unknown;
  /** The value the field takes when the flag is left out (its command-line default, else the schema's). */
  leftOut?: unknown;
  /** The configuration value for a raw flag value (strict: no hex, no empty number), checked against the field's own schema. */
  parse(raw: string | boolean): unknown;
}

interface Def {
  type: string;
  defaultValue?: unknown;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  values?: unknown[];
}
const defOf = (s: z.ZodType) => (s as unknown as { def: Def }).def;

/** The default of a field (through optional/… layers), if it has one. */
function defaultOf(s: z.ZodType): unknown {
  for (let cur: z.ZodType | undefined = s; cur; cur = defOf(cur).innerType) {
    const d = defOf(cur);
    if (d.type === "default") {
      return typeof d.defaultValue === "function" ? (d.defaultValue as () => unknown)() : d.defaultValue;
    }
  }
  return undefined;
}

/** How a raw command-line value becomes a value of the field's type (before its schema checks it). */
function reader(s: z.ZodType, name: string, allowed: string): (raw: string) => unknown {
  const num = (raw: string) => {
    const v = strictNumber(raw);
    if (v === null) throw new FlagError(name, allowed, raw);
    return v;
  };
  if (s instanceof z.ZodNumber) return num;
  const d = defOf(s);
  if (d.type === "union" && d.options) {
    const opts = d.options.map((o) => unwrapOption(o).inner);
    const literals = opts.flatMap((o) => defOf(o).values ?? []);
    if (opts.every((o) => defOf(o).type === "literal") && literals.every((v) => typeof v === "number")) {
      return num;
    }
    const en = opts.find((o): o is z.ZodEnum => o instanceof z.ZodEnum);
    if (en && opts.some((o) => o instanceof z.ZodArray)) {
      return (raw) => ((en.options as string[]).includes(raw) ? raw : raw.split(",").map((x) => x.trim()));
    }
  }
  if (s instanceof z.ZodArray) {
    const numbers = unwrapOption(s.element as z.ZodType).inner instanceof z.ZodNumber;
    return numbers ? (raw) => raw.split(",").map(num) : (raw) => raw.split(",").map((x) => x.trim());
  }
  return (raw) => raw;
}

const fmtDefault = (v: unknown) => (Array.isArray(v) ? v.join(",") : String(v));

/** The flags of every field of `schema` marked with a `flag` meta, in schema order. */
export function configFlags(schema: z.ZodType): ConfigFlag[] {
  const out: ConfigFlag[] = [];
  // A field is required when it and every object around it must be given.
  const walk = (s: z.ZodType, path: string[], optionalAround = false) => {
    const { inner, meta } = unwrapOption(s);
    const optional = optionalAround || s.safeParse(undefined).success;
    if (meta.flag) {
      const name = meta.flag;
      const l = describeAllowed(s);
      const isSwitch = inner instanceof z.ZodBoolean;
      const allowed = meta.rule ? `${l}; ${meta.rule}` : l;
      // A value the field's own type refuses is told the field's range (the rule is about other flags).
      const read = reader(inner, name, l);
      const shownDefault = meta.defaultText ?? meta.cliDefault ?? defaultOf(s);
      out.push({
        name,
        path,
        allowed,
        cliDefault: meta.cliDefault,
        leftOut: meta.cliDefault ?? defaultOf(s),
        spec: {
          type: isSwitch ? "boolean" : "string",
          description: meta.description ?? name,
          rule: isSwitch && !meta.rule ? undefined : allowed,
          ...(shownDefault === undefined && !optional ? { required: true } : {}),
          ...(shownDefault === undefined || isSwitch ? {} : { default: fmtDefault(shownDefault) }),
        },
        parse: (raw) => {
          if (typeof raw === "boolean") {
            if (isSwitch) return raw;
            throw new FlagError(name, allowed, raw);
          }
          // The field's own schema (range, rule) judges the value: the library's words, the library's limits.
          const v = read(raw);
          if (!inner.safeParse(v).success) throw new FlagError(name, l, raw);
          return v;
        },
      });
    } else if (inner instanceof z.ZodObject) {
      for (const [k, v] of Object.entries(inner.shape)) walk(v as z.ZodType, [...path, k], optional);
    }
  };
  walk(schema, []);
  return out;
}

/** The FlagSpecs of `flags` (for a Command's `flags`), optionally leaving some out. */
export function flagSpecs(
  flags: readonly ConfigFlag[],
  omit: readonly string[] = [],
): Record<string, FlagSpec> {
  return Object.fromEntries(flags.filter((f) => !omit.includes(f.name)).map((f) => [f.name, f.spec]));
}

function setPath(obj: Record<string, unknown>, path: string[], v: unknown): void {
  let o = obj;
  for (const p of path.slice(0, -1)) {
    const next = o[p];
    o[p] = typeof next === "object" && next !== null && !Array.isArray(next) ? { ...next } : {};
    o = o[p] as Record<string, unknown>;
  }
  o[path[path.length - 1]] = v;
}

function getPath(obj: unknown, path: string[]): unknown {
  let o = obj;
  for (const p of path)
    o = typeof o === "object" && o !== null ? (o as Record<string, unknown>)[p] : undefined;
  return o;
}

/**
 * The configuration input of the flags actually given, laid over `base` (e.g. a --config file).
 * With `cliDefaults`, fields with a command-line default that neither gives are filled in.
 */
export function inputFromFlags(
  flags: readonly ConfigFlag[],
  raw: RawFlags,
  base: Record<string, unknown> = {},
  cliDefaults = true,
): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(base);
  for (const f of flags) {
    const v = raw[f.name];
    if (v !== undefined && v !== false) setPath(out, f.path, f.parse(v));
    else if (cliDefaults && f.cliDefault !== undefined && getPath(out, f.path) === undefined) {
      setPath(out, f.path, f.cliDefault);
    }
  }
  return out;
}

/**
 * A configuration error of field `e.field` restated for the flag that set it (`--steps:
 * expected …, got "0"`), or for the --config file that did; other errors pass unchanged.
 */
export function flagError(
  e: unknown,
  flags: readonly ConfigFlag[],
  raw: RawFlags,
  configFile?: string,
  rename: Record<string, string> = {},
): unknown {
  // A FlagError names its flag already.
  if (!(e instanceof PhysmlInputError) || e instanceof FlagError) return e;
  // PhysmlInputError's message is "<field>: expected <allowed>, got <value>[ (<detail>)]".
  const shown =
    typeof e.received === "number" || typeof e.received === "string" ? String(e.received) : typeof e.received;
  const prefix = `${e.field}: expected ${e.allowed}, got ${shown}`;
  const detail = e.message.startsWith(`${prefix} (`) ? e.message.slice(prefix.length + 2, -1) : undefined;
  // An element of a list flag (`shapes[1]`) is the flag's (`--shapes`).
  const element = e.field.replace(/(\[\d+\])+$/, "");
  const f =
    flags.find((x) => x.path.join(".") === e.field) ?? flags.find((x) => x.path.join(".") === element);
  const name = rename[e.field] ?? f?.name;
  if (name && typeof raw[name] === "string") {
    // A renamed field (one β of --betas) shows the offending value itself.
    return new FlagError(
      name,
      e.allowed,
      rename[e.field] && e.received !== undefined ? e.received : raw[name],
      detail,
    );
  }
  // Errors about the run directory name the run flags (--out, --resume, --force).
  if (!f && e.field in raw) {
    return new FlagError(
      e.field,
      e.allowed,
      typeof raw[e.field] === "string" ? raw[e.field] : e.received,
      detail,
    );
  }
  if (configFile !== undefined && !(e.field in raw)) {
    return new PhysmlInputError(`${e.field} (in --config ${configFile})`, e.allowed, e.received, detail);
  }
  if (f) {
    // a flag left out: the value refused is its default (one that fits only with other flags)
    const byDefault = raw[f.name] === undefined && f.leftOut !== undefined;
    const got = e.received ?? (byDefault ? f.leftOut : undefined);
    const why = byDefault ? [detail, `its default; give --${f.name}`].filter(Boolean).join("; ") : detail;
    return new FlagError(f.name, e.allowed, got, why);
  }
  return e;
}

/**
 * The options of a command from its flags: the flags given (and command-line defaults) checked
 * by the library's schema, every error restated for the flag that caused it.
 */
export function optionsFromFlags<S extends z.ZodType>(
  schema: S,
  flags: readonly ConfigFlag[],
  raw: RawFlags,
): z.output<S> {
  try {
    return parseOptions(schema, inputFromFlags(flags, raw));
  } catch (e) {
    throw flagError(e, flags, raw);
  }
}

/** Runs `f`, restating a library error of a configuration field for the flag that set it ({@link flagError}). */
export function withFlagErrors<T>(flags: readonly ConfigFlag[], raw: RawFlags, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw flagError(e, flags, raw);
  }
}
