// Lines results and checkpoints written before the checks moved under `validation`: they kept
// `checksPassed` and `failures` at the top level, and each geometry held its check beside what
// it learned (`expected`, `verdict`, `passed`, and the fresh-sample statistics under
// `validation`). And those written before the fresh-sample statistics lost their own copy of the
// check's verdict and the prefix repeating their key (`fresh.freshAngleDeg`). Read under the
// current shape, an old run still resumes and reports with the keys every new run uses; the
// files on disk are left as written.

import { isObject } from "@physml/lattice-core";
import { nestFields, renameFields } from "@physml/runs";
import { LINES_RENAMED_FIELDS } from "../config.js";

type Obj = Record<string, unknown>;

/** An old geometry entry: what it learned, and its check as the current `LineCheck`. */
function splitGeometry(old: Obj): { result: Obj; check: Obj } {
  const { expected, validation, verdict, passed, ...result } = old;
  return {
    result,
    check: {
      geometry: old.geometry,
      ...(expected === undefined ? {} : { expected }),
      verdict,
      passed,
      ...(validation === undefined ? {} : { fresh: validation }),
    },
  };
}

/** Fields of a check's fresh-sample statistics renamed (old name → current name). */
const FRESH_RENAMED_FIELDS: Readonly<Record<string, string>> = {
  freshAngleDeg: "angleDeg",
  freshAngleErrorDeg: "angleErrorDeg",
  freshTable: "table",
  freshTableError: "tableError",
};

/** A check in the current shape: its `fresh` statistics under their current names, without the verdict the check has. */
function currentCheck(check: unknown): unknown {
  if (!isObject(check) || !isObject(check.fresh)) return check;
  const { verdict: _, ...fresh } = renameFields(check.fresh, FRESH_RENAMED_FIELDS);
  return { ...check, fresh };
}

/** The old top-level checks and their names inside `validation`. */
const CHECKS_MOVED: Readonly<Record<string, string>> = { checksPassed: "passed", failures: "failures" };

/**
 * A stored result.json under the current field names (`kappa` → `plaquette`, `dual` →
 * `sampleDual`, in each check's `fresh` `freshAngleDeg` → `angleDeg`, `freshAngleErrorDeg` →
 * `angleErrorDeg`, `freshTable` → `table`, `freshTableError` → `tableError`, and its copy of the
 * check's `verdict` dropped) and shape: top-level `checksPassed` and `failures`, with each
 * geometry's check, become `validation: { passed, failures, geometries }`. As with a renamed
 * field, a `validation` already there wins and the old keys are dropped.
 */
export function currentLinesResult<R>(stored: R): R {
  const nested = nestedChecks(renameFields(stored, LINES_RENAMED_FIELDS));
  if (!isObject(nested) || !isObject(nested.validation)) return nested as R;
  const { validation } = nested;
  if (!Array.isArray(validation.geometries)) return nested as R;
  return {
    ...nested,
    validation: { ...validation, geometries: validation.geometries.map(currentCheck) },
  } as R;
}

/** `renamed` with the checks moved under `validation` (see {@link currentLinesResult}). */
function nestedChecks(renamed: unknown): unknown {
  const old = isObject(renamed) && !("validation" in renamed);
  const nested = nestFields(renamed, "validation", CHECKS_MOVED, { failures: [] });
  if (!old || nested === renamed || !isObject(nested)) return nested;
  const { geometries, validation } = nested as Obj & { validation: Obj };
  if (!Array.isArray(geometries) || !geometries.every(isObject)) return nested;
  const split = geometries.map(splitGeometry);
  return {
    ...nested,
    geometries: split.map((s) => s.result),
    validation: { ...validation, geometries: split.map((s) => s.check) },
  };
}

/**
 * A finished geometry as a checkpoint stores it, in the current shape `{ result, check,
 * failures }` with its check as {@link currentLinesResult} reads one: an older checkpoint held
 * the check inside `result`.
 */
export function currentFinishedGeometry(stored: unknown): unknown {
  if (!isObject(stored) || !isObject(stored.result)) return stored;
  if ("check" in stored) return { ...stored, check: currentCheck(stored.check) };
  const { result, check } = splitGeometry(stored.result);
  return { result, check: currentCheck(check), failures: stored.failures };
}
