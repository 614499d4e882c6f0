// Run directories outlive the names of the fields they store: a configuration or result written
// before a field was renamed is read under the current names, so an old run still resumes and
// reports with the keys every new run uses.
import { isObject } from "@physml/lattice-core";

/**
 * `input` with every top-level field named by a key of `renames` (old name → current name) moved
 * to its current name. A field given under its current name wins over the old one, which is
 * dropped either way (a merge of a stored old config with new flags then compares the flags with
 * the stored value). Anything but a plain object passes unchanged.
 */
export function renameFields<T>(input: T, renames: Readonly<Record<string, string>>): T {
  if (!isObject(input)) return input;
  const out: Record<string, unknown> = { ...input };
  for (const [old, current] of Object.entries(renames)) {
    if (!(old in out)) continue;
    if (!(current in out)) out[current] = out[old];
    delete out[old];
  }
  return out as T;
}

/**
 * `input` with the top-level fields named by the keys of `moved` gathered into the object field
 * `into`, each under its name there (old name → name inside `into`): for fields that moved into a
 * group, as a result's `checksPassed` and `failures` into `validation: { passed, failures }`. The
 * group holds them in the order of `moved`; `defaults` gives a value to one not stored (or stored
 * as null). As with {@link renameFields}, an `into` already there wins and the old fields are
 * dropped either way; input holding none of them passes unchanged, as does anything but a plain
 * object.
 */
export function nestFields<T>(
  input: T,
  into: string,
  moved: Readonly<Record<string, string>>,
  defaults: Readonly<Record<string, unknown>> = {},
): T {
  if (!isObject(input) || !Object.keys(moved).some((old) => old in input)) return input;
  const out: Record<string, unknown> = { ...input };
  const group: Record<string, unknown> = {};
  for (const [old, name] of Object.entries(moved)) {
    const value = out[old] ?? defaults[name];
    if (value !== undefined) group[name] = value;
    delete out[old];
  }
  if (!(into in out)) out[into] = group;
  return out as T;
}

/**
 * `input` with the fields named by `renames` moved to their current names at every depth (inside
 * nested objects and arrays too), by the rules of {@link renameFields}: for a result whose nested
 * records were renamed, where the old name means nothing else anywhere in it.
 */
export function renameFieldsDeep<T>(input: T, renames: Readonly<Record<string, string>>): T {
  if (Array.isArray(input)) return input.map((x) => renameFieldsDeep(x, renames)) as T;
  if (!isObject(input)) return input;
  const top = renameFields(input, renames) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(top).map(([k, v]) => [k, renameFieldsDeep(v, renames)])) as T;
}
