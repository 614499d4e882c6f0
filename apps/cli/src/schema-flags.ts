// Flags built from a learner's zod configuration schema: every field marked with
// `.meta({ flag, description, rule?, cliDefault? })` becomes a flag whose help text (range,
// default, rule) and whose validation both come from the schema, so they cannot disagree.
import { PhysmlInputError } from "@physml/lattice-core";
import { z } from "zod";
import type { FlagSpec, RawFlags } from "./command.js";
import { FlagError, strictNumber } from "./flags.js";

/** What a schema field's meta says about its flag. */
interface FlagMeta {
  flag: string;
  description: string;
  /** A rule the type cannot express (a cross-field constraint). */
  rule?: string;
  /** The command line's default where the library has none (e.g. β). */
  cliDefault?: unknown;
}

/** One flag derived from the schema. */
export interface ConfigFlag {
  name: string;
  /** Path of the field in the configuration, e.g. `["optimizer", "steps"]`. */
  path: string[];
  spec: FlagSpec;
  /** The allowed values in words, as in help and in errors. */
  allowed: string;
  cliDefault?: unknown;
  /** The configuration value for a raw flag value (strict: no hex, no empty number). */
  parse(raw: string | boolean): unknown;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  defaultValue?: unknown;
  options?: z.ZodType[];
  values?: unknown[];
  element?: z.ZodType;
  checks?: { _zod: { def: { check: string; error?: () => unknown } } }[];
}
const defOf = (s: z.ZodType) => (s as unknown as { def: Def }).def;
const WRAPPERS = new Set(["default", "prefault", "optional", "nullable", "readonly"]);

/** Unwraps default/optional/… layers, collecting meta and the default on the way. */
function unwrap(s: z.ZodType): { inner: z.ZodType; meta: Partial<FlagMeta>; def: unknown } {
  let meta: Partial<FlagMeta> = {};
  let dflt: unknown;
  let cur = s;
  for (;;) {
    meta = { ...(z.globalRegistry.get(cur) as Partial<FlagMeta> | undefined), ...meta };
    const d = defOf(cur);
    if (d.type === "default" && dflt === undefined) {
      dflt = typeof d.defaultValue === "function" ? (d.defaultValue as () => unknown)() : d.defaultValue;
    }
    if (!WRAPPERS.has(d.type) || !d.innerType) return { inner: cur, meta, def: dflt };
    cur = d.innerType;
  }
}

const show = (v: number) => (v === 2 ** 53 - 1 ? "2^53 − 1" : String(v));

function customRules(s: z.ZodType): string[] {
  return (defOf(s).checks ?? []).flatMap((c) => {
    if (c._zod.def.check !== "custom") return [];
    const e = c._zod.def.error?.();
    return typeof e === "string" ? [e] : [];
  });
}

/** The allowed values of a leaf type in words, and how to parse a raw value for it. */
function leaf(
  s: z.ZodType,
  name: string,
): { allowed: string; boolean: boolean; parse: (raw: string) => unknown } {
  const d = defOf(s);
  const num = (allowed: string) => (raw: string) => {
    const v = strictNumber(raw);
    if (v === null) throw new FlagError(name, allowed, raw);
    return v;
  };
  if (s instanceof z.ZodNumber) {
    const extra = customRules(s);
    const what = s.isInt ? "integer" : "number";
    const allowed = `${extra.length ? `an ${extra.join(", ")} ${what}` : s.isInt ? "an integer" : "a number"} in [${show(s.minValue ?? -Infinity)}, ${show(s.maxValue ?? Infinity)}]`;
    return { allowed, boolean: false, parse: num(allowed) };
  }
  if (s instanceof z.ZodBoolean) return { allowed: "a switch (no value)", boolean: true, parse: () => true };
  if (s instanceof z.ZodEnum) {
    return { allowed: `one of ${s.options.join(" | ")}`, boolean: false, parse: (raw) => raw };
  }
  if (d.type === "union" && d.options) {
    const opts = d.options.map((o) => unwrap(o).inner);
    const literals = opts.flatMap((o) => defOf(o).values ?? []);
    if (opts.every((o) => defOf(o).type === "literal") && literals.every((v) => typeof v === "number")) {
      const allowed = `one of ${literals.join(" | ")}`;
      return {
        allowed,
        boolean: false,
        parse: (raw) => {
          const v = strictNumber(raw);
          if (v === null || !literals.includes(v)) throw new FlagError(name, allowed, raw);
          return v;
        },
      };
    }
    const en = opts.find((o): o is z.ZodEnum => o instanceof z.ZodEnum);
    if (en && opts.some((o) => o instanceof z.ZodArray)) {
      return {
        allowed: `${en.options.join(" | ")} or a comma-separated list`,
        boolean: false,
        parse: (raw) => ((en.options as string[]).includes(raw) ? raw : raw.split(",").map((x) => x.trim())),
      };
    }
  }
  if (s instanceof z.ZodArray && unwrap(s.element as z.ZodType).inner instanceof z.ZodNumber) {
    const allowed = "a comma-separated list of numbers";
    return {
      allowed,
      boolean: false,
      parse: (raw) =>
        raw.split(",").map((x) => {
          const v = strictNumber(x);
          if (v === null) throw new FlagError(name, allowed, raw);
          return v;
        }),
    };
  }
  return { allowed: "a value", boolean: false, parse: (raw) => raw };
}

const fmtDefault = (v: unknown) => (Array.isArray(v) ? v.join(",") : String(v));

/** The flags of every field of `schema` marked with a `flag` meta, in schema order. */
export function configFlags(schema: z.ZodType): ConfigFlag[] {
  const out: ConfigFlag[] = [];
  const walk = (s: z.ZodType, path: string[]) => {
    const { inner, meta, def } = unwrap(s);
    if (meta.flag) {
      const name = meta.flag;
      const l = leaf(inner, name);
      const shownDefault = meta.cliDefault ?? def;
      out.push({
        name,
        path,
        allowed: meta.rule ? `${l.allowed}; ${meta.rule}` : l.allowed,
        cliDefault: meta.cliDefault,
        spec: {
          type: l.boolean ? "boolean" : "string",
          description: meta.description ?? name,
          rule: meta.rule ? `${l.allowed}; ${meta.rule}` : l.boolean ? undefined : l.allowed,
          ...(shownDefault === undefined || l.boolean ? {} : { default: fmtDefault(shownDefault) }),
        },
        parse: (raw) => (typeof raw === "boolean" ? (l.boolean ? raw : l.parse("")) : l.parse(raw)),
      });
    } else if (inner instanceof z.ZodObject) {
      for (const [k, v] of Object.entries(inner.shape)) walk(v as z.ZodType, [...path, k]);
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
  if (!(e instanceof PhysmlInputError)) return e;
  // PhysmlInputError's message is "<field>: expected <allowed>, got <value>[ (<detail>)]".
  const shown =
    typeof e.received === "number" || typeof e.received === "string" ? String(e.received) : typeof e.received;
  const prefix = `${e.field}: expected ${e.allowed}, got ${shown}`;
  const detail = e.message.startsWith(`${prefix} (`) ? e.message.slice(prefix.length + 2, -1) : undefined;
  const f = flags.find((x) => x.path.join(".") === e.field);
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
  if (f) return new FlagError(f.name, e.allowed, e.received, detail);
  return e;
}
