// stdout never carries NaN or null for a number (root README, "Conventions"). JSON.stringify
// writes a non-finite number as null, so before a result is printed every key holding one (or an
// array holding one anywhere inside) is left out and `<key>Unavailable` says why, as for any
// number that cannot be computed. A learner that diverged then shows where, instead of a null.
// The text output formats numbers in each command's own way (toFixed, toExponential, …), all of
// which write a non-finite number as NaN or Infinity; the text is mended in the same one place.
import { isNonFiniteText } from "@physml/lattice-core";

/** Why a key was left out. */
export const NOT_FINITE = "not a finite number (the computation diverged or divided by zero)";

// A result read back from a run directory (`inRun`'s, `runs show`) holds a non-finite number as
// the text result.json stores for it: on stdout that is as little a number as NaN.
const hasNonFinite = (v: unknown): boolean =>
  typeof v === "number" ? !Number.isFinite(v) : Array.isArray(v) ? v.some(hasNonFinite) : isNonFiniteText(v);

/**
 * `value` with every object key whose number is not finite (or is stored as the text of one,
 * "NaN" or "±Infinity"), or whose array holds one at any depth,
 * replaced by `<key>Unavailable` ({@link NOT_FINITE}); objects inside arrays are cleaned the same
 * way. Other values, and objects that are not plain, are returned as they are (a top-level
 * non-finite number cannot be named).
 */
export function finiteJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(finiteJson);
  // only plain objects: anything else (a typed array, a class with toJSON) is stringified as it is
  if (value === null || typeof value !== "object") return value;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (hasNonFinite(v)) out[`${k}Unavailable`] = NOT_FINITE;
    else out[k] = finiteJson(v);
  }
  return out;
}

/** What the text output prints for a number that is not finite (the README's "n/a"). */
export const NOT_FINITE_TEXT = "n/a (not finite)";

// A number's own formatting of NaN/±Infinity, as a word of its own (not inside a name).
const NON_FINITE_WORD = /(?<![\w.])[-+]?(?:NaN|Infinity)(?![\w])/g;

/** `text` with every number formatted from NaN or ±Infinity replaced by {@link NOT_FINITE_TEXT}. */
export function finiteText(text: string): string {
  return text.replace(NON_FINITE_WORD, NOT_FINITE_TEXT);
}
