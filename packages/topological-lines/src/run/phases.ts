// The parts of a lines run that are kept once finished, so a killed run does not do them again:
// the two sample sets (most of a two-entry run's time), then each geometry's learning and
// validation in order (most of a neighbourhood run's). A run is handed the parts an earlier
// attempt finished and hands on each part it finishes; what it does in between is unchanged,
// and each geometry's learner has its own seed, so the result is the same however it was split.

import type { LinesConfig } from "../config.js";
import type { Geometry } from "../paths/paths.js";
import { type LineSamples, sampleLineSets } from "./samples.js";

/** A finished geometry: its result, and the failures it added to the run's. */
export interface FinishedGeometry<G> {
  result: G;
  failures: string[];
}

/** The parts of a run finished before, and where the parts finished now go. */
export interface LinesPhases<G> {
  /** The sample sets of an earlier attempt (else they are sampled and handed to `onSampled`). */
  samples?: LineSamples;
  onSampled?: (samples: LineSamples) => void;
  /** The first geometries of the run, finished by an earlier attempt, in order. */
  finished?: readonly FinishedGeometry<G>[];
  onGeometry?: (finished: FinishedGeometry<G>) => void;
}

/** The run's sample sets: an earlier attempt's, or sampled now. */
export async function phaseSamples<G>(c: LinesConfig, phases: LinesPhases<G> = {}): Promise<LineSamples> {
  if (phases.samples) return phases.samples;
  const samples = await sampleLineSets(c);
  phases.onSampled?.(samples);
  return samples;
}

/**
 * Every geometry of `geometries` in order: an earlier attempt's result, or `body(g, failures)`,
 * which pushes the geometry's failures; the results and all failures in geometry order.
 */
export function eachGeometry<G>(
  geometries: readonly Geometry[],
  phases: LinesPhases<G>,
  body: (g: Geometry, failures: string[]) => G,
): { results: G[]; failures: string[] } {
  const results: G[] = [];
  const failures: string[] = [];
  for (const [i, g] of geometries.entries()) {
    let finished = phases.finished?.[i];
    if (!finished) {
      const own: string[] = [];
      finished = { result: body(g, own), failures: own };
      phases.onGeometry?.(finished);
    }
    results.push(finished.result);
    failures.push(...finished.failures);
  }
  return { results, failures };
}
