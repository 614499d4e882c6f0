// One topological-lines analysis with the neighbourhood chunk (`--chunk neighbourhood`): the
// same two sample sets, then per geometry the six-entry table over (s_i s_j, frustrated
// neighbours) learned from many starts, validated on the fresh set against the Z2 line, the
// disorder line and — with a plaquette coupling — the disorder chunk with half of each
// neighbouring plaquette term flipped.

import type { LinesConfig } from "../config.js";
import { meanHistograms } from "../data/histograms.js";
import { LINK_TYPES, typeParts } from "../data/link-types.js";
import { monomialHistograms } from "../data/monomial-histograms.js";
import {
  type NeighbourhoodCandidate,
  type NeighbourhoodStatistics,
  validateNeighbourhood,
} from "../eval/neighbourhood-validate.js";
import { type Geometry, pathPairs } from "../paths/paths.js";
import { learnNeighbourhoodLine, type NeighbourhoodStart } from "../train/neighbourhood-learn.js";
import type { NeighbourhoodLearnerState, NeighbourhoodStepMetrics } from "../train/neighbourhood-learner.js";
import {
  disorderTable,
  plaquetteDisorderTable,
  trivialTables,
  Z2_TABLE,
} from "../train/neighbourhood-table.js";
import {
  type LineCheck,
  type LinesValidation,
  learnedLineCheck,
  linesValidation,
  noLineCheck,
} from "./line-checks.js";
import {
  checkLinesMemory,
  disorderName,
  exclusionOf,
  expectedLine,
  geometriesOf,
  geometrySeed,
  groupsOf,
  Z2_NAME,
} from "./lines.js";
import { eachGeometry, type LinesPhases, phaseSamples } from "./phases.js";
import { type LinesRunSummary, runSummary } from "./samples.js";

/** The entries' meaning, in table order: O(x, n), n frustrated plaquettes beside the link. */
export const NEIGHBOURHOOD_ENTRIES: readonly string[] = Array.from({ length: LINK_TYPES }, (_, t) => {
  const { x, n } = typeParts(t);
  return `x=${x > 0 ? "+1" : "-1"},n=${n}`;
});

export const PLAQUETTE_DISORDER_NAME = "disorder line with half plaquette terms e^{-2K x - κ(P1+P2)}";

/** What the learner did in one geometry (its check is in the result's `validation`). */
export interface NeighbourhoodGeometryResult {
  geometry: Geometry;
  /** The learned table (Σ O² = 6, order of `entries`) and its training loss; absent when every start ended on a trivial line. */
  learned?: { table: number[]; trainLoss: number };
  /** Every start's final table and loss (trivial: ended on an excluded cone's edge). */
  starts: NeighbourhoodStart[];
}

export interface NeighbourhoodLinesResult extends LinesRunSummary {
  chunk: "neighbourhood";
  /** The table's entries in order. */
  entries: readonly string[];
  geometries: NeighbourhoodGeometryResult[];
  /** Passed when every geometry found the line it must find; each geometry's check inside. */
  validation: LinesValidation<NeighbourhoodStatistics>;
}

/**
 * One neighbourhood-chunk lines analysis (see the file's head); `phases` hands it the parts an
 * earlier attempt finished (the samples, the first geometries, the learner's state in the next)
 * and takes each part it finishes.
 */
export async function runNeighbourhoodLines(
  c: LinesConfig,
  onStep?: (geometry: Geometry, m: NeighbourhoodStepMetrics) => void,
  phases: LinesPhases<
    NeighbourhoodGeometryResult,
    LineCheck<NeighbourhoodStatistics>,
    NeighbourhoodLearnerState
  > = {},
): Promise<NeighbourhoodLinesResult> {
  const t0 = performance.now();
  const { paths, pairs } = pathPairs(groupsOf(c));
  checkLinesMemory(c);
  const samples = await phaseSamples(c, phases);
  const { K, train, fresh } = samples;
  const candidates: NeighbourhoodCandidate[] = [
    { name: Z2_NAME, table: Z2_TABLE },
    { name: disorderName(c.sampleDual), table: disorderTable(K) },
    ...(c.plaquette !== 0
      ? [{ name: PLAQUETTE_DISORDER_NAME, table: plaquetteDisorderTable(K, c.plaquette) }]
      : []),
  ];
  const exclusion = exclusionOf(c);
  const { results, checks, failures } = eachGeometry(geometriesOf(c), phases, (g, from) => {
    const hTrain = monomialHistograms(train, c.L, paths, g);
    const trainMeans = meanHistograms(hTrain);
    const learned = learnNeighbourhoodLine(
      {
        data: { monomials: hTrain.map((h) => h.monomials), means: trainMeans },
        pairs,
        trivial: trivialTables(g),
        starts: c.starts,
        steps: c.steps,
        exclusion,
        seed: geometrySeed(c, g),
      },
      (m, state) => {
        onStep?.(g, m);
        phases.onTraining?.(g, state);
      },
      from,
    );
    const expected = expectedLine(c, g);
    if (!learned.table)
      return {
        result: { geometry: g, starts: learned.starts },
        ...noLineCheck<NeighbourhoodStatistics>(g, expected, "a trivial line"),
      };
    const hFresh = monomialHistograms(fresh, c.L, paths, g);
    const validation = validateNeighbourhood(hFresh, pairs, learned.table, candidates, {
      blocks: c.blocks,
      pullLimit: c.pullLimit,
      trainMeans,
    });
    return {
      result: {
        geometry: g,
        learned: { table: Array.from(learned.table), trainLoss: learned.loss ?? 0 },
        starts: learned.starts,
      },
      ...learnedLineCheck(g, expected, validation),
    };
  });
  return {
    chunk: "neighbourhood",
    ...runSummary(c, samples, paths, pairs, t0),
    entries: NEIGHBOURHOOD_ENTRIES,
    geometries: results,
    validation: linesValidation(checks, failures),
  };
}
