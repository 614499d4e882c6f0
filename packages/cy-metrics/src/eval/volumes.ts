// Vol_CY, Vol_K and κ by Monte Carlo over line-intersection points. The points are distributed
// as the Fubini–Study volume, whose total is the intersection number ∫_X J³ = 5 (J in the class
// of the hyperplane); so Vol_K = 5 exactly and Vol_CY = ∫_X Ω∧Ω̄ = Vol_K · E_FS[w] with
// w = |Ω|²/det g_FS — cymetric's normalisation (Vol_CY ≈ 284.26, κ ≈ 0.01759 for Fermat).
import { estimate } from "@physml/lattice-core";
import { POINTS_PER_LINE, type PointSet } from "../geometry/sample.js";

/** A Monte Carlo estimate with its one-σ error. */
export interface McValue {
  mean: number;
  error: number;
}

/** Volumes of a quintic from a point set. */
export interface Volumes {
  /** ∫_X J³ for the hyperplane class: the degree, 5 (exact). */
  volK: number;
  /** ∫_X Ω∧Ω̄ (cymetric's normalisation of Ω = dx¹∧dx²∧dx³/(∂p/∂z_dep)). */
  volCY: McValue;
  /** κ = Vol_K / Vol_CY: the constant in the Monge–Ampère equation J³ = κ Ω∧Ω̄. */
  kappa: McValue;
  /** Number of points used. */
  n: number;
}

/** Intersection number ∫_X H³ of the quintic. */
export const QUINTIC_DEGREE = 5;

/**
 * Per-line means of a per-point series: the 5 points of a line are correlated, the lines are
 * independent, so these are i.i.d. samples with the same mean.
 */
export function lineMeans(series: ArrayLike<number>, n: number): Float64Array {
  const lines = n / POINTS_PER_LINE;
  const out = new Float64Array(lines);
  for (let l = 0; l < lines; l++) {
    let s = 0;
    for (let k = 0; k < POINTS_PER_LINE; k++) s += series[l * POINTS_PER_LINE + k];
    out[l] = s / POINTS_PER_LINE;
  }
  return out;
}

/**
 * Vol_CY and κ with error bars (error of κ by linear propagation: δκ/κ = δVol/Vol), from the
 * points' weights (whole lines, in sampling order).
 */
export function volumes(points: Pick<PointSet, "weight" | "n">): Volumes {
  const e = estimate(lineMeans(points.weight, points.n));
  const volCY = { mean: QUINTIC_DEGREE * e.mean, error: QUINTIC_DEGREE * e.error };
  const kappa = {
    mean: QUINTIC_DEGREE / volCY.mean,
    error: (QUINTIC_DEGREE / volCY.mean) * (volCY.error / volCY.mean),
  };
  return { volK: QUINTIC_DEGREE, volCY, kappa, n: points.n };
}
