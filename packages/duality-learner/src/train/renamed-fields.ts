// Run directories outlive the names of the fields they store: a result.json, a failed attempt's
// result-attempt-<k>.json or a checkpoint's `failedAttempts` written before a field was renamed
// is read under the current names, so an old run resumes and reports with the keys new runs use.
import { renameFieldsDeep } from "@physml/runs";

/**
 * Result fields renamed since runs were first written (old name → current name), at any depth:
 * the validation's failed checks and thresholds, in `validation` and in every `failedAttempts`
 * entry, carry the names every learner's validation uses. Neither old name means anything else
 * in a result.
 */
const DUALITY_RENAMED_FIELDS: Readonly<Record<string, string>> = {
  reasons: "failures",
  limits: "targets",
};

/** A stored result (or part of one, such as `failedAttempts`) under the current field names. */
export function currentDualityResult<T>(stored: T): T {
  return renameFieldsDeep(stored, DUALITY_RENAMED_FIELDS);
}
