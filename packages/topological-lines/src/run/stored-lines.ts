// Lines results and checkpoints written before the checks moved under `validation`: they kept
// `checksPassed` and `failures` at the top level, and each geometry held its check beside what
// it learned (`expected`, `verdict`, `passed`, and the fresh-sample statistics under
// `validation`). Read under the current shape, an old run still resumes and reports with the
// keys every new run uses; the files on disk are left as written.

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

/** The old top-level checks and their names inside `validation`. */
const CHECKS_MOVED: Readonly<Record<string, string>> = { checksPassed: "passed", failures: "failures" };

/**
 * A stored result.json under the current field names (`kappa` → `plaquette`, `dual` →
 * `sampleDual`) and shape: top-level `checksPassed` and `failures`, with each geometry's check,
 * become `validation: { passed, failures, geometries }`. As with a renamed field, a `validation`
 * already there wins and the old keys are dropped.
 */
export function currentLinesResult<R>(stored: R): R {
  const renamed: unknown = renameFields(stored, LINES_RENAMED_FIELDS);
  const old = isObject(renamed) && !("validation" in renamed);
  const nested = nestFields(renamed, "validation", CHECKS_MOVED, { failures: [] });
  if (!old || nested === renamed || !isObject(nested)) return nested as R;
  const { geometries, validation } = nested as Obj & { validation: Obj };
  if (!Array.isArray(geometries) || !geometries.every(isObject)) return nested as R;
  const split = geometries.map(splitGeometry);
  return {
    ...nested,
    geometries: split.map((s) => s.result),
    validation: { ...validation, geometries: split.map((s) => s.check) },
  } as R;
}

/**
 * A finished geometry as a checkpoint stores it, in the current shape `{ result, check,
 * failures }`: an older checkpoint held the check inside `result`.
 */
export function currentFinishedGeometry(stored: unknown): unknown {
  if (!isObject(stored) || "check" in stored || !isObject(stored.result)) return stored;
  return { ...splitGeometry(stored.result), failures: stored.failures };
}
