// Restarts of the symmetry-control network from other initial draws, judged by a criterion that
// looks only at the training orbits and the trained network: how much of each cyclic momentum's
// variance lies along the orbits (0 for a conserved momentum). Whether the SCNN finds the
// relative angular momentum L depends on the seed (README, "Restarts"); the runs that found it
// were the runs with a momentum conserved along the training orbits.
import { PhysmlInputError } from "@physml/lattice-core";
import type { FieldLoss } from "./train.js";

/**
 * A restart is accepted when one of the momenta T moves keeps at most this share of its variance
 * along the training orbits. On Kepler orbits with retrograde ones (README, "Restarts") the runs
 * whose momentum was L kept 0.11–0.25% there, the others at least 0.95% (that one L at R² 0.98),
 * the rest 3.4–49%.
 */
export const SCNN_RESTART_WITHIN = 0.005;

/** One finished SCNN draw and its verdict. */
export interface ScnnRestart {
  /** The draw's seed (its initial parameters and minibatch order). */
  seed: number;
  /**
   * Per momentum T moves (P₃, P₄, … in the relative frame), the share of its variance over the
   * training states that lies along the orbits: Σ (P − orbit mean)² / Σ (P − mean)².
   */
  within: number[];
  /** Whether the smallest share is at most the threshold. */
  passed: boolean;
}

/** A finished draw as the checkpoint keeps it: its verdict and logged losses (replayed on resume). */
export interface ScnnRestartRecord extends ScnnRestart {
  losses: FieldLoss[];
}

/** The restarts' outcome in a comparison's result. */
export interface ScnnRestartReport {
  /** The share a draw had to reach, see {@link SCNN_RESTART_WITHIN}. */
  threshold: number;
  /** Every finished draw in order; the last is the one trained, rolled out and read out. */
  draws: ScnnRestart[];
  /** The index of the accepted draw, or null when none passed (the last draw is then reported). */
  chosen: number | null;
}

/**
 * Per column of `values` ([orbits·length, m] row-major, `orbits` consecutive runs of `length`
 * states), the share of its variance that lies along the orbits: 0 for a column constant on each
 * orbit, about 1 for one that varies along them as much as between them. A constant column gives 0.
 */
export function alongOrbitShare(values: Float64Array, orbits: number, length: number, m: number): number[] {
  const count = orbits * length;
  if (values.length !== count * m)
    throw new PhysmlInputError(
      "values",
      `${count * m} numbers (${orbits} orbits × ${length} states × ${m})`,
      values.length,
    );
  return Array.from({ length: m }, (_, i) => {
    let mean = 0;
    for (let r = 0; r < count; r++) mean += values[r * m + i];
    mean /= count;
    let total = 0;
    let along = 0;
    for (let b = 0; b < orbits; b++) {
      let orbitMean = 0;
      for (let t = 0; t < length; t++) orbitMean += values[(b * length + t) * m + i];
      orbitMean /= length;
      for (let t = 0; t < length; t++) {
        const v = values[(b * length + t) * m + i];
        along += (v - orbitMean) ** 2;
        total += (v - mean) ** 2;
      }
    }
    return total > 0 ? along / total : 0;
  });
}

/** Whether a draw whose moved momenta keep `within` of their variance along the orbits passes. */
export function restartPasses(within: readonly number[], threshold: number): boolean {
  return within.length > 0 && Math.min(...within) <= threshold;
}

/** The first accepted draw's index, or null when none passed. */
export function chosenRestart(draws: readonly ScnnRestart[]): number | null {
  const k = draws.findIndex((d) => d.passed);
  return k < 0 ? null : k;
}
