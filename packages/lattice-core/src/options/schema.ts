// Options described by a zod schema: the one place where a field's range, default and rule
// live. The library validates with it (`parseOptions`, errors as PhysmlInputError naming the
// field) and the command line reads the same schema for its flags, help and errors
// (`describeAllowed` gives both the words for a field's allowed values).
import { z } from "zod";
import { PhysmlInputError } from "../errors.js";

/**
 * What an option field's `.meta()` may say about its command-line flag. A field without `flag`
 * is not a flag.
 */
export interface OptionMeta {
  /** The flag's name, e.g. `"L"` or `"max-memory"`. */
  flag?: string;
  /** One line of help. */
  description?: string;
  /** A rule the type cannot express (a cross-field constraint), in words. */
  rule?: string;
  /** The allowed values in words where the type cannot say them (a string with a grammar). */
  allowed?: string;
  /** The command line's default where the library has none (e.g. β). */
  cliDefault?: unknown;
  /** The default in words when the library chooses it at run time (e.g. "all cores"). */
  defaultText?: string;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  values?: unknown[];
  element?: z.ZodType;
  checks?: { _zod: { def: { check: string; error?: () => unknown } } }[];
}
const defOf = (s: z.ZodType) => (s as unknown as { def: Def }).def;
const WRAPPERS = new Set(["default", "prefault", "optional", "nullable", "readonly"]);

/** The type under default/optional/… layers, with the meta collected on the way (outer wins). */
export function unwrapOption(s: z.ZodType): { inner: z.ZodType; meta: OptionMeta } {
  let meta: OptionMeta = {};
  let cur = s;
  for (;;) {
    meta = { ...(z.globalRegistry.get(cur) as OptionMeta | undefined), ...meta };
    const d = defOf(cur);
    if (!WRAPPERS.has(d.type) || !d.innerType) return { inner: cur, meta };
    cur = d.innerType;
  }
}

const show = (v: number) => (v === 2 ** 53 - 1 ? "2^53 − 1" : String(v));

/**
 * Whether the bound `value` of a number comes from an exclusive check (`gt`, `lt`, `positive`):
 * that end is refused, so the range is written open there.
 */
function excludes(s: z.ZodType, check: "greater_than" | "less_than", value: number): boolean {
  return (defOf(s).checks ?? []).some((c) => {
    const d = c._zod.def as { check: string; value?: unknown; inclusive?: boolean };
    return d.check === check && d.value === value && d.inclusive === false;
  });
}

/** The messages of a number's refinements (e.g. "even"), which name its rule. */
function customRules(s: z.ZodType): string[] {
  return (defOf(s).checks ?? []).flatMap((c) => {
    if (c._zod.def.check !== "custom") return [];
    const e = c._zod.def.error?.();
    return typeof e === "string" ? [e] : [];
  });
}

/**
 * Whether a refinement's message is a noun phrase ("a multiple of 4"), said after the range,
 * rather than an adjective ("even"), said before the type.
 */
const isPhrase = (rule: string) => /^an? /.test(rule);

/** A list's element count in words ("4 ", "up to 11 ", "2 to 5 ", "at least 2 "; "" when free). */
function listCount(s: z.ZodArray): string {
  let min = 0;
  let max = Infinity;
  for (const c of (defOf(s).checks ?? []) as unknown as {
    _zod: { def: { check: string; minimum?: number; maximum?: number; length?: number } };
  }[]) {
    const d = c._zod.def;
    if (d.check === "min_length") min = Math.max(min, d.minimum ?? 0);
    else if (d.check === "max_length") max = Math.min(max, d.maximum ?? Infinity);
    else if (d.check === "length_equals") [min, max] = [d.length ?? 0, d.length ?? Infinity];
  }
  if (min === max) return `${min} `;
  if (max < Infinity) return min > 1 ? `${min} to ${max} ` : `up to ${max} `;
  return min > 1 ? `at least ${min} ` : "";
}

/** A list's numbers in words: "numbers", "integers in [2, 12]", "even integers in [4, 512]". */
function numbersInWords(e: z.ZodNumber): string {
  const rules = customRules(e);
  const what = [...rules.filter((r) => !isPhrase(r)), e.isInt ? "integers" : "numbers"].join(" ");
  const each = rules
    .filter(isPhrase)
    .map((r) => `, each ${r}`)
    .join("");
  const lo = e.minValue ?? -Infinity;
  const hi = e.maxValue ?? Infinity;
  // an integer's default bounds are the safe integers: no bound a user chose
  const free = lo <= -Number.MAX_SAFE_INTEGER && hi >= Number.MAX_SAFE_INTEGER;
  return `${free ? what : `${what} in [${show(lo)}, ${show(hi)}]`}${each}`;
}

/**
 * The allowed values of an option field in words, e.g. "an even integer in [4, 512]",
 * "one of cold | hot", "a comma-separated list of up to 11 integers in [2, 12], distinct" (a
 * list's own refinements after it); the meta's
 * `allowed` when given.
 */
export function describeAllowed(field: z.ZodType): string {
  const { inner: s, meta } = unwrapOption(field);
  if (meta.allowed) return meta.allowed;
  const d = defOf(s);
  if (s instanceof z.ZodNumber) {
    const extra = customRules(s);
    const what = s.isInt ? "integer" : "number";
    const adjectives = extra.filter((r) => !isPhrase(r));
    const named = adjectives.length ? `${adjectives.join(", ")} ${what}` : what;
    const lo = s.minValue ?? -Infinity;
    const hi = s.maxValue ?? Infinity;
    const open = `${excludes(s, "greater_than", lo) ? "(" : "["}${show(lo)}, ${show(hi)}${excludes(s, "less_than", hi) ? ")" : "]"}`;
    const range = `${/^[aeiou]/i.test(named) ? "an" : "a"} ${named} in ${open}`;
    return [range, ...extra.filter(isPhrase)].join(", ");
  }
  if (s instanceof z.ZodBoolean) return "a switch (no value)";
  if (s instanceof z.ZodEnum) return `one of ${s.options.join(" | ")}`;
  if (d.type === "union" && d.options) {
    const opts = d.options.map((o) => unwrapOption(o).inner);
    const literals = opts.flatMap((o) => defOf(o).values ?? []);
    if (opts.every((o) => defOf(o).type === "literal")) return `one of ${literals.join(" | ")}`;
    const en = opts.find((o): o is z.ZodEnum => o instanceof z.ZodEnum);
    if (en && opts.some((o) => o instanceof z.ZodArray)) {
      return `${en.options.join(" | ")} or a comma-separated list`;
    }
  }
  if (s instanceof z.ZodArray) {
    const e = unwrapOption(s.element as z.ZodType).inner;
    if (e instanceof z.ZodNumber) {
      const rules = customRules(s).map((r) => `, ${r}`);
      return `a comma-separated list of ${listCount(s)}${numbersInWords(e)}${rules.join("")}`;
    }
  }
  if (s instanceof z.ZodString) return "a text";
  return "a value";
}

/** The field of `schema` at `path` (through default/optional layers and nested objects). */
export function optionAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType | null {
  let s: z.ZodType | undefined = schema;
  for (const p of path) {
    if (!s) return null;
    const inner: z.ZodType = unwrapOption(s).inner;
    if (inner instanceof z.ZodObject) s = inner.shape[p as string] as z.ZodType | undefined;
    else if (inner instanceof z.ZodArray) s = inner.element as z.ZodType;
    else return null; // a pipe, a number, …: no fields below
  }
  return s ?? null;
}

/**
 * Validates `input` against `schema` and fills in defaults. Throws {@link PhysmlInputError}
 * naming the first bad field (dotted path) with its allowed values as {@link describeAllowed}
 * words them; a cross-field rule (a refinement) gives its own message as the allowed values.
 * `root` names the whole input in an error about it (e.g. an unknown key).
 */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown, root = "options"): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue.path.map(String).join(".") || root;
  let received: unknown = input;
  for (const p of issue.path) received = (received as Record<PropertyKey, unknown> | undefined)?.[p];
  const at = issue.path.length > 0 ? optionAt(schema, issue.path) : null;
  if (issue.code === "unrecognized_keys") {
    const keys = (issue as { keys?: string[] }).keys ?? [];
    throw new PhysmlInputError(field, `no unknown keys (${keys.join(", ")})`, keys[0]);
  }
  const ownRule =
    issue.code === "custom" && at !== null && !customRules(unwrapOption(at).inner).includes(issue.message);
  const allowed = at === null || ownRule ? issue.message : describeAllowed(at);
  throw new PhysmlInputError(field, allowed, received);
}
