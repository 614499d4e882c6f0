// JSON for state a run reads back to resume (checkpoints, a learner's resumable files). Plain
// JSON.stringify writes NaN and ±Infinity as null, which a learner's validator then rejects (or
// worse, reads as 0 in a comparison), so a run whose state holds a diverged loss could not resume.
// Here a non-finite number is written as `{"$nonFinite":"NaN"}` ("Infinity", "-Infinity") and read
// back as the number. A file written before (plain JSON) reads as before: it holds no such object.
import { nonFiniteOfText, PhysmlInputError } from "@physml/lattice-core";

/** The one key of the object that stands for a non-finite number in state JSON. */
export const NON_FINITE_KEY = "$nonFinite";

const TAG_TEXT = `"${NON_FINITE_KEY}"`;

/** Whether `o` has the reserved key as its only key: the form of a tag, so no state may hold it. */
const tagShaped = (o: object): boolean => Object.hasOwn(o, NON_FINITE_KEY) && Object.keys(o).length === 1;

const tagOf = (x: number): { [NON_FINITE_KEY]: string } => ({ [NON_FINITE_KEY]: String(x) });

/** Thrown where {@link tagged} meets an object shaped like a tag; each level adds its key on the way out. */
class TagShapedAt extends Error {
  readonly path: (string | number)[] = [];
}

/** Thrown by {@link tagged} for a value whose JSON form JSON.stringify computes itself (toJSON, a boxed number). */
class ConvertedByJson extends Error {}

/** `tagged(v)`, with `key` added to the path of a tag-shaped object found in it. */
function taggedAt(v: unknown, key: string | number): unknown {
  try {
    return tagged(v);
  } catch (e) {
    if (e instanceof TagShapedAt) e.path.unshift(key);
    throw e;
  }
}

/**
 * `v` with each non-finite number replaced by its tag, sharing every array and object that holds
 * none (so a state without them is returned as is, and one with a few copies only the arrays and
 * objects on their paths): then plain JSON.stringify writes it, faster than with a replacer,
 * which it calls for every value.
 */
function tagged(v: unknown): unknown {
  if (typeof v === "number") return Number.isFinite(v) ? v : tagOf(v);
  if (typeof v !== "object" || v === null) return v;
  if (Array.isArray(v)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < v.length; i++) {
      const x = taggedAt(v[i], i);
      if (x !== v[i]) {
        out ??= v.slice();
        out[i] = x;
      }
    }
    return out ?? v;
  }
  if (ArrayBuffer.isView(v)) {
    if (v instanceof Float64Array || v instanceof Float32Array)
      for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) throw new ConvertedByJson();
    return v;
  }
  if (typeof (v as { toJSON?: unknown }).toJSON === "function" || v instanceof Number)
    throw new ConvertedByJson();
  if (tagShaped(v)) throw new TagShapedAt();
  let out: Record<string, unknown> | null = null;
  const o = v as Record<string, unknown>;
  for (const k in o) {
    if (!Object.hasOwn(o, k)) continue;
    const x = taggedAt(o[k], k);
    if (x !== o[k]) {
      out ??= { ...o };
      out[k] = x;
    }
  }
  return out ?? v;
}

function refuseTagShaped(path: string, o: unknown): never {
  throw new PhysmlInputError(
    path,
    `an object other than one whose only key is ${NON_FINITE_KEY} (reserved for non-finite numbers)`,
    JSON.stringify(o),
  );
}

/** The general way, for what JSON.stringify converts itself: the replacer sees each value as converted. */
function replacer(key: string, v: unknown): unknown {
  const x = v instanceof Number ? v.valueOf() : v;
  if (typeof x === "number") return Number.isFinite(x) ? x : tagOf(x);
  if (typeof x === "object" && x !== null && !Array.isArray(x) && tagShaped(x))
    refuseTagShaped(key || "(the whole value)", x);
  return x;
}

/**
 * `value` as JSON whose non-finite numbers read back exactly through {@link stateFromJson}; the
 * same text as JSON.stringify(value, null, indent) when it holds none. An object whose only key is
 * {@link NON_FINITE_KEY} is refused (PhysmlInputError naming where it is), since it would read back
 * as a number.
 */
export function stateToJson(value: unknown, indent?: number): string {
  try {
    return JSON.stringify(tagged(value), null, indent);
  } catch (e) {
    if (e instanceof TagShapedAt) {
      const at = e.path.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], value);
      refuseTagShaped(e.path.join(".") || "(the whole value)", at);
    }
    if (!(e instanceof ConvertedByJson)) throw e;
    return JSON.stringify(value, replacer, indent);
  }
}

/** The number a tag stands for, or undefined when `o` is no tag. */
function tagValue(o: object): number | undefined {
  if (!tagShaped(o)) return undefined;
  const text = (o as Record<string, unknown>)[NON_FINITE_KEY];
  return nonFiniteOfText(text);
}

/**
 * `v`, freshly parsed, with its tags replaced by their numbers in place: a walk after a plain
 * JSON.parse, several times faster than a reviver, which JSON.parse calls for every value.
 */
function untagged(v: unknown): unknown {
  if (typeof v !== "object" || v === null) return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = untagged(v[i]);
      if (x !== v[i]) v[i] = x;
    }
    return v;
  }
  const n = tagValue(v);
  if (n !== undefined) return n;
  const o = v as Record<string, unknown>;
  for (const k in o) {
    const x = untagged(o[k]);
    // defineProperty, not assignment: a key "__proto__" (an own key in parsed JSON) stays a key
    if (x !== o[k])
      Object.defineProperty(o, k, { value: x, writable: true, enumerable: true, configurable: true });
  }
  return v;
}

/** Parses JSON written by {@link stateToJson} (or plain JSON), its tags turned back into numbers. */
export function stateFromJson(text: string): unknown {
  const parsed: unknown = JSON.parse(text);
  return text.includes(TAG_TEXT) ? untagged(parsed) : parsed;
}
