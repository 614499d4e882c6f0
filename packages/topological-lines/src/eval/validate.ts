// Validation of a learned chunk table on fresh samples: is the learned line path-independent
// within errors (the pair differences' χ² with their full jackknife covariance), where is the
// loss minimal on the fresh data (with a jackknife error), and which known line does it match
// (pulls of the angle)?
import type { PathHistogram } from "../data/histograms.js";
import { angleDiff, lineValue, pathLoss, tableAt } from "../train/table.js";
import { type BlockedMeans, blockedMeans, jackknifeCovarianceOf, jackknifeOf } from "./jackknife.js";
import { type PairCovarianceTest, pairCovarianceTest, ROUNDING } from "./pair-covariance.js";

/** A known line to compare with. */
export interface Candidate {
  name: string;
  /** Its chunk table's angle (mod π). */
  angle: number;
}

export interface CandidateComparison extends Candidate {
  angleDeg: number;
  /** (learned − candidate angle) / σ, σ the jackknife error of the fresh minimiser (floored). */
  pull: number;
  /** The candidate's table [O(+1), O(−1)] on the same circle as the learned one (sign fixed to it). */
  candidateTable: [number, number];
  matches: boolean;
}

export interface PairCheck {
  a: string;
  b: string;
  /** ⟨ψ_a⟩ − ⟨ψ_b⟩ at the learned table, and its jackknife error. */
  difference: number;
  error: number;
}

/** Is the learned table path-independent on the fresh samples? What both chunks' validations share. */
export interface PairTest {
  pairs: PairCheck[];
  /**
   * The diagonal χ², Σ (difference/error)² over the pairs (pairs whose error is at rounding
   * level, exact zeros, are skipped). It ignores that pairs share paths, so it does not follow
   * χ²_dof; kept for comparison, the verdict uses `pairCovariance`.
   */
  chi2: number;
  /** Pairs in the diagonal χ² (not their independent count: see `pairCovariance.rank`). */
  dof: number;
  /** dof + pullLimit·√(2·dof), the limit the diagonal χ² was compared with. */
  chi2Limit: number;
  /**
   * The χ² of the fresh pair differences with their full jackknife covariance, minimised over the
   * table's directions near the learned one (to first order, the slopes from `trainMeans`: the
   * two-entry table's angle, the neighbourhood table's five tangent directions), its dof and
   * p-value: is there a path-independent table here? (Which line it is, the candidates say.)
   */
  pairCovariance: PairCovarianceTest;
  /** The same χ² at the learned table itself (no fit): it also sees the training set's noise. */
  pairCovarianceAtLearned: PairCovarianceTest;
  /** A path-independent table near the learned one on the fresh samples: `pairCovariance.pathIndependent`. */
  pathIndependent: boolean;
}

/** The learned table on the fresh samples, as a geometry's check holds it (`fresh`). */
export interface LineStatistics extends PairTest {
  /** The path-independence loss at the learned table on the fresh samples, with its jackknife error. */
  loss: { value: number; error: number };
  /** The fresh-sample minimiser's angle (a Gauss–Newton step from the learned angle) and its jackknife error, degrees. */
  angleDeg: number;
  angleErrorDeg: number;
  candidates: CandidateComparison[];
}

/** The statistics and what they decide (the check's verdict). */
export interface Validation extends LineStatistics {
  /**
   * The one candidate matched within `pullLimit` σ by a path-independent table, "ambiguous (…)"
   * when several are, else "failed".
   */
  verdict: string;
}

/** Below this (radians) an angle error is numerical: exact lines fit to rounding. */
export const ANGLE_FLOOR = 1e-6;

/**
 * The Gauss–Newton step from φ towards the minimiser of Σ D_ab(φ)², D_ab = ⟨ψ_a⟩ − ⟨ψ_b⟩:
 * δ = −Σ D·D′ / Σ D′². Linear in the data near a line, so its jackknife spread is the
 * statistical error of the minimiser (no search window that could clip it).
 */
export function gaussNewtonShift(
  means: readonly ArrayLike<number>[],
  pairs: readonly [number, number][],
  phi: number,
): number {
  const vals = means.map((m) => lineValue(m, phi));
  let num = 0;
  let den = 0;
  for (const [a, b] of pairs) {
    const d = vals[a].value - vals[b].value;
    const dd = vals[a].dPhi - vals[b].dPhi;
    num += d * dd;
    den += dd * dd;
  }
  return den > 0 ? -num / den : 0;
}

const deg = (r: number) => (r * 180) / Math.PI;

/**
 * The diagonal χ² of the pair differences over their own jackknife errors (pairs exact to
 * rounding skipped), compared with dof + pullLimit·√(2·dof). It would be χ²_dof for independent
 * pairs; the pairs are not, so the validation decides with {@link pairCovarianceTest} instead.
 */
export function pairChi2(
  checks: readonly PairCheck[],
  pullLimit: number,
): { chi2: number; dof: number; chi2Limit: number; pathIndependent: boolean } {
  let chi2 = 0;
  let dof = 0;
  for (const c of checks)
    if (c.error > ROUNDING) {
      chi2 += (c.difference / c.error) ** 2;
      dof++;
    }
  const chi2Limit = dof + pullLimit * Math.sqrt(2 * dof);
  return { chi2, dof, chi2Limit, pathIndependent: chi2 <= chi2Limit };
}

/** Each pair's difference and jackknife error (the diagonal of the covariance). */
export function pairCheckList(
  h: readonly { path: string }[],
  pairs: readonly [number, number][],
  d: { value: Float64Array; covariance: Float64Array },
): PairCheck[] {
  const n = pairs.length;
  return pairs.map(([a, b], i) => ({
    a: h[a].path,
    b: h[b].path,
    difference: d.value[i],
    error: Math.sqrt(d.covariance[i * n + i]),
  }));
}

/**
 * The {@link PairTest} of pair differences `d` (value and jackknife covariance over `blocks`
 * blocks) between the paths of `h`, the full-covariance χ² fitted along `slopes`.
 */
export function pairTest(
  h: readonly { path: string }[],
  pairs: readonly [number, number][],
  d: { value: Float64Array; covariance: Float64Array },
  opts: { blocks: number; pullLimit: number },
  slopes: readonly ArrayLike<number>[],
): PairTest {
  const checks = pairCheckList(h, pairs, d);
  const { chi2, dof, chi2Limit } = pairChi2(checks, opts.pullLimit);
  const pairCovariance = pairCovarianceTest(d.value, d.covariance, opts.blocks, opts.pullLimit, slopes);
  const pairCovarianceAtLearned = pairCovarianceTest(d.value, d.covariance, opts.blocks, opts.pullLimit);
  return {
    pairs: checks,
    chi2,
    dof,
    chi2Limit,
    pairCovariance,
    pairCovarianceAtLearned,
    pathIndependent: pairCovariance.pathIndependent,
  };
}

/**
 * The verdict on the candidates `matched` by a path-independent table: the one matched,
 * "ambiguous (…)" when several are (within `limit`), else "failed", saying so when the table was
 * not path-independent.
 */
export function matchVerdict(
  matched: readonly { name: string }[],
  pathIndependent: boolean,
  limit: string,
): string {
  return matched.length === 1
    ? matched[0].name
    : matched.length
      ? `ambiguous (${matched.map((c) => c.name).join(" and ")} within ${limit})`
      : pathIndependent
        ? "failed"
        : "failed (not path-independent on fresh samples)";
}

export function validateLine(
  fresh: readonly PathHistogram[],
  pairs: readonly [number, number][],
  phi: number,
  candidates: readonly Candidate[],
  opts: {
    blocks: number;
    pullLimit: number;
    /** The training set's mean histograms (same paths): the χ²'s fitted directions are taken there. */
    trainMeans?: readonly ArrayLike<number>[];
  },
): Validation {
  const m: BlockedMeans = blockedMeans(fresh, opts.blocks);
  const d = jackknifeCovarianceOf(m, (mm) =>
    pairs.map(([a, b]) => lineValue(mm[a], phi).value - lineValue(mm[b], phi).value),
  );
  // The fitted direction from the training means: taken from the fresh ones, its noise would be
  // correlated with the differences' and the fit would absorb it (a χ² below its dof).
  const dir = opts.trainMeans ?? m.full;
  const slope = pairs.map(([a, b]) => lineValue(dir[a], phi).dPhi - lineValue(dir[b], phi).dPhi);
  const test = pairTest(fresh, pairs, d, opts, [slope]);
  const { pathIndependent } = test;
  const fit = jackknifeOf(m, (mm) => phi + gaussNewtonShift(mm, pairs, phi));
  const sigma = Math.hypot(fit.error, ANGLE_FLOOR);
  const comps = candidates.map((c) => {
    const pull = angleDiff(phi, c.angle) / sigma;
    return {
      ...c,
      angleDeg: deg(c.angle),
      pull,
      // The candidate's angle moved next to the learned one (O ~ −O), so the tables compare entrywise.
      candidateTable: tableAt(phi - angleDiff(phi, c.angle)),
      matches: Math.abs(pull) <= opts.pullLimit,
    };
  });
  const matched = pathIndependent ? comps.filter((c) => c.matches) : [];
  return {
    loss: jackknifeOf(m, (mm) => pathLoss(mm, pairs, phi).loss),
    ...test,
    angleDeg: deg(fit.value),
    angleErrorDeg: deg(fit.error),
    candidates: comps,
    verdict: matchVerdict(matched, pathIndependent, `${opts.pullLimit} σ`),
  };
}

/** The loss over the half-circle of tables, with jackknife errors (the landscape figure). */
export function lossLandscape(
  h: readonly PathHistogram[],
  pairs: readonly [number, number][],
  points: number,
  blocks: number,
): { phiDeg: number[]; loss: number[]; error: number[] } {
  const m = blockedMeans(h, blocks);
  const phiDeg: number[] = [];
  const loss: number[] = [];
  const error: number[] = [];
  for (let i = 0; i < points; i++) {
    const phi = (i * Math.PI) / points;
    const j = jackknifeOf(m, (mm) => pathLoss(mm, pairs, phi).loss);
    phiDeg.push(deg(phi));
    loss.push(j.value);
    error.push(j.error);
  }
  return { phiDeg, loss, error };
}
