// Comparing a given configuration with a stored one, for --resume: only the fields a caller
// actually gave are compared (the stored run fills in the rest), and the differences are listed
// by dotted path.

import { isObject } from "@physml/lattice-core";
import type { ConfigDifference } from "../errors.js";

/** `base` with `over` laid on top, objects merged key by key (arrays and scalars replaced). */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}

/** The leaves where `given` differs from `stored` (values compared as JSON). */
export function configDifferences(stored: unknown, given: unknown, prefix = ""): ConfigDifference[] {
  if (isObject(stored) && isObject(given)) {
    const keys = [...new Set([...Object.keys(stored), ...Object.keys(given)])].sort();
    return keys.flatMap((k) => configDifferences(stored[k], given[k], prefix ? `${prefix}.${k}` : k));
  }
  if (JSON.stringify(stored) === JSON.stringify(given)) return [];
  return [{ path: prefix || "config", stored, given }];
}
