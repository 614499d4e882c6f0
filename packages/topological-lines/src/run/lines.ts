// One topological-lines analysis: sample the model (or its Kramers–Wannier dual) twice — a
// training set and a fresh set — then, per geometry, learn the chunk table, validate it on the
// fresh set against the Z2 line and the disorder line, and scan the loss landscape.
import { refuseAboveMemoryLimit, seedPlus } from "@physml/lattice-core";
import type { LinesConfig } from "../config.js";
import { meanHistograms, pathHistograms } from "../data/histograms.js";
import { type LineStatistics, lossLandscape, validateLine } from "../eval/validate.js";
import { EXTENDED_GROUPS } from "../paths/minimal-paths.js";
import { DEFAULT_GROUPS, type Geometry, type PathGroup, pathPairs } from "../paths/paths.js";
import { learnLine, type StartResult } from "../train/learn.js";
import type { LearnerState, StepMetrics } from "../train/learner.js";
import { disorderAngle, tableAt, Z2_ANGLE } from "../train/table.js";
import {
  type LineCheck,
  type LinesValidation,
  learnedLineCheck,
  linesValidation,
  noLineCheck,
} from "./line-checks.js";
import { eachGeometry, type LinesPhases, phaseSamples } from "./phases.js";
import { type LinesRunSummary, runSummary } from "./samples.js";

/** What the learner did in one geometry (its check is in the result's `validation`). */
export interface GeometryResult {
  geometry: Geometry;
  /** The learned table O(+1), O(−1) on the circle O(+1)² + O(−1)² = 2, and its angle; absent when every start ended on the trivial line. */
  learned?: { plus: number; minus: number; angleDeg: number; trainLoss: number };
  starts: StartResult[];
  landscape: { phiDeg: number[]; loss: number[]; error: number[] };
}

export interface LinesResult extends LinesRunSummary {
  chunk: "table";
  geometries: GeometryResult[];
  /** Passed when every geometry found the line it must find; each geometry's check inside. */
  validation: LinesValidation<LineStatistics>;
}

export const Z2_NAME = "Z2 line s_i s_j";

export function disorderName(dual: boolean): string {
  return dual ? "disorder line e^{-2β̃ s*_i s*_j}" : "disorder line e^{-2β s_i s_j}";
}

/**
 * What a run holds at once (a model, not a measurement): two sample sets of Int8 spins (and the
 * sampler's copy while measuring), the Float64 bin fractions of every path for both sets in one
 * geometry (ℓ + 1 bins per path for the two-entry table, C(ℓ + 5, 5) count vectors for the
 * neighbourhood table), and the link-index tables (8 images × L² placements × path length, Int32).
 */
export function linesMemory(c: LinesConfig, paths: readonly string[]): number {
  const M = c.chains * c.samplesPerChain;
  const N = c.L * c.L;
  const binsOf = (l: number) => (c.chunk === "table" ? l + 1 : binomial(l + 5, 5));
  const bins = paths.reduce((s, p) => s + binsOf(p.length), 0);
  const steps = paths.reduce((s, p) => s + p.length, 0);
  return 3 * M * N + 2 * M * bins * 8 + 8 * N * steps * 4;
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/** The path groups a chunk is learned on. */
export function groupsOf(c: LinesConfig): readonly PathGroup[] {
  return c.chunk === "table" ? DEFAULT_GROUPS : EXTENDED_GROUPS;
}

/** The geometries a run learns in, in order. */
export function geometriesOf(c: LinesConfig): Geometry[] {
  return c.geometry === "both" ? ["links", "crossing"] : [c.geometry];
}

/** The half-angle of the cones excluded around the trivial lines, in radians. */
export function exclusionOf(c: LinesConfig): number {
  return (c.exclusionDeg * Math.PI) / 180;
}

/** The learner's seed in geometry `g`: the crossing geometry's starts are drawn apart from the links'. */
export function geometrySeed(c: LinesConfig, g: Geometry): number {
  return seedPlus(c.seed, g === "links" ? 0 : 1);
}

/**
 * The line geometry `g` must find when it is exact: the Z2 line telescopes for any model, the
 * link-only disorder chunk is exact only at κ = 0; undefined when nothing is expected.
 */
export function expectedLine(c: LinesConfig, g: Geometry): string | undefined {
  return g === "links" ? Z2_NAME : c.plaquette === 0 ? disorderName(c.sampleDual) : undefined;
}

/** Refuses (PhysmlInputError naming --samples) a run above the memory limit. */
export function checkLinesMemory(c: LinesConfig): void {
  const { paths } = pathPairs(groupsOf(c));
  refuseAboveMemoryLimit(linesMemory(c, paths), c.maxMemory, {
    field: "samplesPerChain",
    received: c.samplesPerChain,
  });
}

/**
 * One two-entry lines analysis (see the file's head); `phases` hands it the parts an earlier
 * attempt finished (the samples, the first geometries, the learner's state in the next) and
 * takes each part it finishes.
 */
export async function runLines(
  c: LinesConfig,
  onStep?: (geometry: Geometry, m: StepMetrics) => void,
  phases: LinesPhases<GeometryResult, LineCheck<LineStatistics>, LearnerState> = {},
): Promise<LinesResult> {
  const t0 = performance.now();
  const { paths, pairs } = pathPairs(groupsOf(c));
  checkLinesMemory(c);
  const samples = await phaseSamples(c, phases);
  const { K, train, fresh } = samples;
  const candidates = [
    { name: Z2_NAME, angle: Z2_ANGLE },
    { name: disorderName(c.sampleDual), angle: disorderAngle(K) },
  ];
  const exclusion = exclusionOf(c);
  const { results, checks, failures } = eachGeometry(geometriesOf(c), phases, (g, from) => {
    const hTrain = pathHistograms(train, c.L, paths, g);
    const hFresh = pathHistograms(fresh, c.L, paths, g);
    const trainMeans = meanHistograms(hTrain);
    const learned = learnLine(
      {
        means: trainMeans,
        pairs,
        starts: c.starts,
        steps: c.steps,
        lr: c.lr,
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
    const landscape = lossLandscape(hFresh, pairs, c.landscapePoints, c.blocks);
    if (learned.phi === undefined)
      return {
        result: { geometry: g, starts: learned.starts, landscape },
        ...noLineCheck<LineStatistics>(g, expected, "the trivial line"),
      };
    const validation = validateLine(hFresh, pairs, learned.phi, candidates, {
      blocks: c.blocks,
      pullLimit: c.pullLimit,
      trainMeans,
    });
    const [plus, minus] = tableAt(learned.phi);
    const best = learned.starts.filter((s) => !s.trivial).sort((a, b) => a.loss - b.loss)[0];
    return {
      result: {
        geometry: g,
        learned: { plus, minus, angleDeg: (learned.phi * 180) / Math.PI, trainLoss: best.loss },
        starts: learned.starts,
        landscape,
      },
      ...learnedLineCheck(g, expected, validation),
    };
  });
  return {
    chunk: "table",
    ...runSummary(c, samples, paths, pairs, t0),
    geometries: results,
    validation: linesValidation(checks, failures),
  };
}
