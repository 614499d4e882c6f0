// Run directories outlive the fields of a configuration too: a field added after a run was written
// is absent from its config.json, and the current schema would fill it with today's default. When
// that default is not what the run was trained with, a resumed run would continue (or start over)
// with other settings; the value the run had stands in for the missing field instead.
import { isObject } from "@physml/lattice-core";

/**
 * What a field had before it existed: its value, or, where that depends on when the run was
 * written, a function of the stored configuration (as stored: before any field of the table is
 * filled in) that tells. Stored configurations are JSON, so a function is never a value.
 */
export type AddedField = unknown | ((stored: Readonly<Record<string, unknown>>) => unknown);

/**
 * `stored` (a stored configuration) with every top-level field named by a key of `added` that it
 * lacks set to its value there: the value the field had before it existed, i.e. what a run written
 * then was trained with. Fields it holds, however stored, are kept. Only for fields a resolved
 * configuration always holds (they have a default): an optional field left out is absent from a
 * new run's config.json too. Anything but a plain object passes unchanged.
 */
export function fillAddedFields<T>(stored: T, added: Readonly<Record<string, AddedField>>): T {
  if (!isObject(stored)) return stored;
  const out: Record<string, unknown> = { ...stored };
  for (const [field, before] of Object.entries(added))
    if (!(field in out)) out[field] = typeof before === "function" ? before(stored) : before;
  return out as T;
}
