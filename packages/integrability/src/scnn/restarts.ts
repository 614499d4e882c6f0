// Restarts of the symmetry-control network from other initial draws, judged by a criterion that
// looks only at the training orbits and the trained network: how much of each cyclic momentum's
// variance lies along the orbits (0 for a conserved momentum). Whether the SCNN finds the
// relative angular momentum L depends on the seed (SCNN-EXPERIMENTS.md, "Restarts"); the runs that found it
// were the runs with a momentum conserved along the training orbits.
import { PhysmlInputError } from "@physml/lattice-core";
import type { FieldLoss } from "./train.js";

/**
 * A restart is accepted when one of the momenta T moves keeps at most this share of its variance
 * along the training orbits. On Kepler orbits with retrograde ones (SCNN-EXPERIMENTS.md, "Restarts") the runs
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
  /** Every finished draw in order. */
  draws: ScnnRestart[];
  /**
   * The index of the draw rolled out and read out, see {@link keptRestart}: the one that passed,
   * else the best of them all.
   */
  kept: number;
  /** Whether the kept draw passed (else none did). */
  passed: boolean;
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

/**
 * The index of the draw to keep: the first that passed, else the one whose best momentum keeps the
 * smallest share of its variance along the training orbits (the earliest of equals). The last draw
 * is not preferred: a later draw is a new start, not a refinement (SCNN-EXPERIMENTS.md, "Restarts").
 */
export function keptRestart(draws: readonly ScnnRestart[]): number {
  if (draws.length === 0) throw new PhysmlInputError("draws", "at least one finished draw", 0);
  const passed = draws.findIndex((d) => d.passed);
  if (passed >= 0) return passed;
  const best = draws.map((d) => Math.min(...d.within));
  return best.reduce((k, v, a) => (v < best[k] ? a : k), 0);
}
