// JSON has no NaN or ±Infinity: JSON.stringify writes them as null, which reads as "no value"
// rather than "the computation overflowed". Stored results (a run's result.json) keep such a
// number as its text instead, and every reader that prints them recognises that text; a reader
// that computes with them reads the text back as the number ({@link numbersFromText}).

/**
 * The non-finite number `v` is the text of ("NaN", "Infinity", "-Infinity": what
 * {@link finiteOrText} stores), or undefined for any other value.
 */
export function nonFiniteOfText(v: unknown): number | undefined {
  if (v === "NaN") return Number.NaN;
  if (v === "Infinity") return Number.POSITIVE_INFINITY;
  if (v === "-Infinity") return Number.NEGATIVE_INFINITY;
  return undefined;
}

/** The text {@link finiteOrText} stores for a non-finite number. */
export type NonFiniteText = "NaN" | "Infinity" | "-Infinity";

/** Whether `v` is the text {@link finiteOrText} stores for a non-finite number. */
export const isNonFiniteText = (v: unknown): v is NonFiniteText => nonFiniteOfText(v) !== undefined;

/**
 * `T` as stored JSON holds it: every number, at any depth (arrays, tuples, objects, optional
 * fields), may instead be its {@link NonFiniteText}. The type of a stored record read back as it
 * is; {@link numbersFromText} turns such a record into `T`.
 */
export type WithNonFiniteText<T> = T extends number
  ? T | NonFiniteText
  : T extends object
    ? { [K in keyof T]: WithNonFiniteText<T[K]> }
    : T;

/** `v` with every non-finite number, at any depth, replaced by its text ("NaN", "Infinity", "-Infinity"). */
export function finiteOrText<T>(v: T): T {
  const walk = (x: unknown): unknown => {
    if (typeof x === "number") return Number.isFinite(x) ? x : String(x);
    if (Array.isArray(x)) return x.map(walk);
    if (x !== null && typeof x === "object")
      return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, walk(y)]));
    return x;
  };
  return walk(v) as T;
}

/**
 * `v` as JSON with every non-finite number, at any depth, written as its text, as
 * {@link finiteOrText} stores it (never the null JSON.stringify writes). Numbers are replaced as
 * JSON.stringify meets them, after any toJSON (a Date stays its ISO text, where finiteOrText's walk
 * of the object would leave {}).
 */
export function jsonWithNonFiniteText(v: unknown, indent?: number): string {
  return JSON.stringify(
    v,
    (_key, x) => (typeof x === "number" && !Number.isFinite(x) ? String(x) : x),
    indent,
  );
}

/**
 * `v` with every text {@link finiteOrText} writes, at any depth, read back as its number (NaN,
 * ±Infinity): the inverse of finiteOrText, for a reader that computes with the numbers. Use it on
 * values whose strings are never such a text (a field that is a number or a name).
 */
export function numbersFromText<T>(v: T): T {
  const walk = (x: unknown): unknown => {
    if (typeof x === "string") return nonFiniteOfText(x) ?? x;
    if (Array.isArray(x)) return x.map(walk);
    if (x !== null && typeof x === "object")
      return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, walk(y)]));
    return x;
  };
  return walk(v) as T;
}
