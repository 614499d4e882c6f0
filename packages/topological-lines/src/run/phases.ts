// The parts of a lines run that are kept once finished, so a killed run does not do them again:
// the two sample sets (most of a two-entry run's time), then each geometry's learning and
// validation in order (most of a neighbourhood run's), and inside the geometry under way its
// learner's state after a step. A run is handed the parts an earlier attempt finished and hands
// on each part it finishes; what it does in between is unchanged, each geometry's learner has
// its own seed and continues a state with the same bits, so the result is the same however it
// was split.

import type { LinesConfig } from "../config.js";
import type { Geometry } from "../paths/paths.js";
import { type LineSamples, sampleLineSets } from "./samples.js";

/** A finished geometry: what it learned, its check, and the failures it added to the run's. */
export interface FinishedGeometry<G, C> {
  result: G;
  check: C;
  failures: string[];
}

/**
 * The parts of a run finished before, and where the parts finished now go; `S` is the chunk's
 * learner state.
 */
export interface LinesPhases<G, C, S = unknown> {
  /** The sample sets of an earlier attempt (else they are sampled and handed to `onSampled`). */
  samples?: LineSamples;
  onSampled?: (samples: LineSamples) => void;
  /** The first geometries of the run, finished by an earlier attempt, in order. */
  finished?: readonly FinishedGeometry<G, C>[];
  onGeometry?: (finished: FinishedGeometry<G, C>) => void;
  /** The learner's state in the geometry after `finished`, where an earlier attempt stopped inside it. */
  training?: S;
  /** Hears the learner's state in geometry `g` after each of its steps. */
  onTraining?: (g: Geometry, state: S) => void;
}

/** The run's sample sets: an earlier attempt's, or sampled now. */
export async function phaseSamples<G, C, S>(
  c: LinesConfig,
  phases: LinesPhases<G, C, S> = {},
): Promise<LineSamples> {
  if (phases.samples) return phases.samples;
  const samples = await sampleLineSets(c);
  phases.onSampled?.(samples);
  return samples;
}

/**
 * Every geometry of `geometries` in order: an earlier attempt's, or `body(g, from)`, `from` the
 * learner state to continue in the first geometry not finished (`phases.training`); the
 * results, the checks and all failures in geometry order.
 */
export function eachGeometry<G, C, S>(
  geometries: readonly Geometry[],
  phases: LinesPhases<G, C, S>,
  body: (g: Geometry, from?: S) => FinishedGeometry<G, C>,
): { results: G[]; checks: C[]; failures: string[] } {
  const results: G[] = [];
  const checks: C[] = [];
  const failures: string[] = [];
  const underWay = phases.finished?.length ?? 0;
  for (const [i, g] of geometries.entries()) {
    let finished = phases.finished?.[i];
    if (!finished) {
      finished = body(g, i === underWay ? phases.training : undefined);
      phases.onGeometry?.(finished);
    }
    results.push(finished.result);
    checks.push(finished.check);
    failures.push(...finished.failures);
  }
  return { results, checks, failures };
}
