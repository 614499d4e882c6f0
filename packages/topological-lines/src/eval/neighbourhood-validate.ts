// Validation of a learned neighbourhood table on fresh samples: is it path-independent within
// errors (the pair differences' χ² with their full jackknife covariance), where is the fresh-sample minimiser (an undamped tangent
// Gauss–Newton step from the learned table, whose jackknife spread over blocks of whole chains
// is its covariance), and which known line does it match — the Mahalanobis distance of each
// candidate from the learned table in the sphere's 5-dimensional tangent space.
import { solve, tensor } from "@physml/autodiff";
import { LINK_TYPES } from "../data/link-types.js";
import type { MonomialHistogram } from "../data/monomial-histograms.js";
import { tangentGaussNewton } from "../train/neighbourhood-learner.js";
import {
  lineAngle,
  type MonomialMeans,
  monomialValue,
  neighbourhoodLoss,
  normaliseTable,
  pairDifferences,
  TABLE_NORM2,
} from "../train/neighbourhood-table.js";
import { blockedMeans, jackknifeCovarianceOf, jackknifeOf } from "./jackknife.js";
import { ANGLE_FLOOR, matchVerdict, type PairTest, pairTest } from "./validate.js";

/** A known line to compare with, as a neighbourhood table. */
export interface NeighbourhoodCandidate {
  name: string;
  table: Float64Array;
}

export interface NeighbourhoodCandidateComparison {
  name: string;
  /** The candidate's table, normalised and with the learned table's sign. */
  table: number[];
  /** Angle between the learned and the candidate line (degrees). */
  angleDeg: number;
  /** Squared Mahalanobis distance in the tangent space (5 dof), the floor added to the covariance. */
  distance2: number;
  matches: boolean;
}

/** The learned table on the fresh samples, as a geometry's check holds it (`fresh`). */
export interface NeighbourhoodStatistics extends PairTest {
  /** The loss at the learned table on the fresh samples, with its jackknife error. */
  loss: { value: number; error: number };
  /** The fresh-sample minimiser's table and the jackknife error of each entry. */
  table: number[];
  tableError: number[];
  /** dof + pullLimit·√(2·dof) for the 5-dimensional candidate distance. */
  distanceLimit: number;
  candidates: NeighbourhoodCandidateComparison[];
  /**
   * min over paths of ⟨|ψ_a|⟩ (Σ O² = 6, so O = ±1 everywhere gives 1): below `MIN_SUPPORT` the
   * table is zero on the link types most placements contain and the "line" vanishes on the data.
   */
  support: number;
}

/** The statistics and what they decide (the check's verdict). */
export interface NeighbourhoodValidation extends NeighbourhoodStatistics {
  /** The one candidate matched by a path-independent, non-vanishing table, "ambiguous (…)", else "failed (…)". */
  verdict: string;
}

/** Below this mean |ψ| on some path the learned table is a vanishing line, not a line. */
export const MIN_SUPPORT = 1e-3;

const T = LINK_TYPES;

function dataOf(h: readonly MonomialHistogram[], means: readonly ArrayLike<number>[]): MonomialMeans {
  return { monomials: h.map((x) => x.monomials), means };
}

/** Five orthonormal vectors orthogonal to the table (Gram–Schmidt on the unit vectors). */
function tangentBasis(table: ArrayLike<number>): Float64Array[] {
  const basis: Float64Array[] = [normaliseTable(table).map((v) => v / Math.sqrt(TABLE_NORM2))];
  for (let k = 0; k < T && basis.length <= T - 1; k++) {
    const e = Float64Array.from({ length: T }, (_, t) => (t === k ? 1 : 0));
    for (const b of basis) {
      let c = 0;
      for (let t = 0; t < T; t++) c += e[t] * b[t];
      for (let t = 0; t < T; t++) e[t] -= c * b[t];
    }
    const n = Math.hypot(...e);
    if (n > 1e-8) basis.push(e.map((v) => v / n));
  }
  return basis.slice(1);
}

export function validateNeighbourhood(
  fresh: readonly MonomialHistogram[],
  pairs: readonly [number, number][],
  table: Float64Array,
  candidates: readonly NeighbourhoodCandidate[],
  opts: {
    blocks: number;
    pullLimit: number;
    /** The training set's mean histograms (same paths): the χ²'s fitted directions are taken there. */
    trainMeans?: readonly ArrayLike<number>[];
  },
): NeighbourhoodValidation {
  const m = blockedMeans(fresh, opts.blocks);
  const d = jackknifeCovarianceOf(m, (mm) => pairDifferences(dataOf(fresh, mm), pairs, table).d);
  const basis = tangentBasis(table);
  // The fitted directions from the training means: taken from the fresh ones, their noise would
  // be correlated with the differences' and the fit would absorb it (a χ² below its dof).
  const J = pairDifferences(dataOf(fresh, opts.trainMeans ?? m.full), pairs, table, true).jac as Float64Array;
  const slopes = basis.map((e) => pairs.map((_, i) => e.reduce((acc, v, t) => acc + J[i * T + t] * v, 0)));
  const test = pairTest(fresh, pairs, d, opts, slopes);
  const { pathIndependent } = test;

  // The fresh minimiser on the full set and its jackknife covariance over the blocks.
  const { value: freshTable, covariance: cov } = jackknifeCovarianceOf(m, (mm) => {
    const step = tangentGaussNewton(dataOf(fresh, mm), pairs, table, 0);
    return normaliseTable(table.map((v, t) => v + step[t]));
  });

  const D = basis.length;
  // The same floor as the two-entry table's angle error, in table units (radius √6).
  const floor2 = (ANGLE_FLOOR * Math.sqrt(TABLE_NORM2)) ** 2;
  const covT = basis.map((bu, u) =>
    basis.map((bw, w) => {
      let s = u === w ? floor2 : 0;
      for (let i = 0; i < T; i++) for (let j = 0; j < T; j++) s += bu[i] * cov[i * T + j] * bw[j];
      return s;
    }),
  );
  const distanceLimit = D + opts.pullLimit * Math.sqrt(2 * D);
  const comps = candidates.map((c) => {
    const ct = normaliseTable(c.table);
    let dot = 0;
    for (let t = 0; t < T; t++) dot += ct[t] * table[t];
    const aligned = ct.map((v) => (dot >= 0 ? v : -v));
    const delta = basis.map((b) => {
      let s = 0;
      for (let t = 0; t < T; t++) s += b[t] * (aligned[t] - table[t]);
      return s;
    });
    const x = solve(tensor(covT), tensor(delta)).toFloat64Array();
    const distance2 = delta.reduce((s, v, i) => s + v * x[i], 0);
    return {
      name: c.name,
      table: Array.from(aligned),
      angleDeg: (lineAngle(table, ct) * 180) / Math.PI,
      distance2,
      matches: distance2 <= distanceLimit,
    };
  });
  const abs = Float64Array.from(table, Math.abs);
  const support = Math.min(...fresh.map((h, a) => monomialValue(h.monomials, m.full[a], abs)));
  const vanishing = support < MIN_SUPPORT;
  const matched = pathIndependent && !vanishing ? comps.filter((c) => c.matches) : [];
  return {
    loss: jackknifeOf(m, (mm) => neighbourhoodLoss(dataOf(fresh, mm), pairs, table).loss),
    ...test,
    table: Array.from(freshTable),
    tableError: Array.from({ length: T }, (_, t) => Math.sqrt(cov[t * T + t])),
    distanceLimit,
    candidates: comps,
    support,
    verdict: vanishing
      ? `failed (the table vanishes on the data: mean |ψ| ${support.toExponential(1)} on some path)`
      : matchVerdict(matched, pathIndependent, "the limit"),
  };
}
