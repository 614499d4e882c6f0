// Makes stored duality results look as if an older version had written them: the validation's
// `failures` and `targets` under their old names `reasons` and `limits`, and each failed
// attempt's `failures` under `reasons`.

type Attempt = { failures?: unknown } & Record<string, unknown>;

/** A failed-attempt summary with `failures` back under `reasons`. */
export function attemptWithOldNames({ failures, ...rest }: Attempt): Record<string, unknown> {
  return { ...rest, reasons: failures };
}

/** A stored result (result.json, result-attempt-<k>.json) with the old names, at every place they were. */
export function resultWithOldNames(r: Record<string, unknown>): Record<string, unknown> {
  const { failures, targets, ...validation } = r.validation as Record<string, unknown>;
  return {
    ...r,
    validation: { ...validation, reasons: failures, limits: targets },
    failedAttempts: (r.failedAttempts as Attempt[]).map(attemptWithOldNames),
  };
}
