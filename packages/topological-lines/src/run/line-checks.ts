// What a lines run checks: in each geometry, whether the learner found the line that geometry
// must find when it is exact. The run's `validation` is the one verdict over all geometries, as
// every command's `validation` is, with each geometry's check (and its fresh-sample statistics)
// inside it.
import type { Geometry } from "../paths/paths.js";

/**
 * One geometry's check of the line learned in it; `V` is the chunk's statistics of the learned
 * table on the fresh samples (the verdict they decide is the check's).
 */
export interface LineCheck<V> {
  geometry: Geometry;
  /** The line this geometry must find when it is exact (κ = 0, or the Z2 line at any κ); absent when none is. */
  expected?: string;
  /** The line found: a candidate's name, "ambiguous (…)", or "failed" (with no statistics too). */
  verdict: string;
  /** No line was expected, or the expected one was found. */
  passed: boolean;
  /** The learned table on the fresh samples; absent when every start ended on a trivial line. */
  fresh?: V;
}

/** A lines run's checks. */
export interface LinesValidation<V> {
  /** Every geometry passed its check. */
  passed: boolean;
  /** One sentence per failed check, naming its geometry; empty when passed. */
  failures: string[];
  /** Each geometry's check, in the order of the result's `geometries`. */
  geometries: LineCheck<V>[];
}

/** The validation of a run whose geometries were checked as `checks` and failed as `failures` say. */
export function linesValidation<V>(checks: LineCheck<V>[], failures: string[]): LinesValidation<V> {
  return { passed: failures.length === 0, failures, geometries: checks };
}

/** A geometry's check and the failures it adds to the run's (none when it passed). */
export interface CheckedGeometry<V> {
  check: LineCheck<V>;
  failures: string[];
}

/** The failure of geometry `g` whose validation says `verdict` when `expected` is due; undefined when it passed. */
function verdictFailure(g: Geometry, expected: string | undefined, verdict: string): string | undefined {
  return expected === undefined || verdict === expected
    ? undefined
    : `${g}: learned ${verdict}, expected the ${expected}`;
}

/**
 * The check of geometry `g` where every start ended on a trivial line (`trivial` words which, e.g.
 * "the trivial line"): failed when a line was `expected`, else passed with nothing learned.
 */
export function noLineCheck<V>(
  g: Geometry,
  expected: string | undefined,
  trivial: string,
): CheckedGeometry<V> {
  return {
    check: { geometry: g, ...(expected ? { expected } : {}), verdict: "failed", passed: !expected },
    failures: expected ? [`${g}: every start ended on ${trivial} (expected the ${expected})`] : [],
  };
}

/**
 * The check of geometry `g` whose learned line the fresh samples call `validation.verdict`: that
 * verdict, and the statistics without it as `fresh`.
 */
export function learnedLineCheck<V extends { verdict: string }>(
  g: Geometry,
  expected: string | undefined,
  validation: V,
): CheckedGeometry<Omit<V, "verdict">> {
  const { verdict, ...fresh } = validation;
  const failure = verdictFailure(g, expected, verdict);
  return {
    check: {
      geometry: g,
      ...(expected ? { expected } : {}),
      verdict,
      passed: failure === undefined,
      fresh,
    },
    failures: failure ? [failure] : [],
  };
}
