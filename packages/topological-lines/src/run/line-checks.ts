// What a lines run checks: in each geometry, whether the learner found the line that geometry
// must find when it is exact. The run's `validation` is the one verdict over all geometries, as
// every command's `validation` is, with each geometry's check (and its fresh-sample statistics)
// inside it.
import type { Geometry } from "../paths/paths.js";

/**
 * One geometry's check of the line learned in it; `V` is the chunk's validation of the learned
 * table on the fresh samples.
 */
export interface LineCheck<V> {
  geometry: Geometry;
  /** The line this geometry must find when it is exact (κ = 0, or the Z2 line at any κ); absent when none is. */
  expected?: string;
  /** The line found: a candidate's name, "ambiguous (…)", or "failed". */
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
