// What `symmetry potential|generators` hold in memory, estimated from the number of points before
// anything is sampled or trained: the classifier's full-batch passes over every point (embedding
// and logits, 64-wide tanh layers with their intermediate products) dominate, with the points'
// coordinates copied a few times (sample, tensor, per-class clouds). Peak RSS grew by 2.0–3.4 KB
// per point (dim 3–6, potential and generators, 12k → 60k/120k points); counted as 4 KB plus
// 32 B per coordinate.
import { refuseAboveMemoryLimit } from "@physml/lattice-core";

/** Bytes held per point beyond its coordinates. */
export const SYMMETRY_BYTES_PER_POINT = 4096;
/** Bytes held per coordinate of a point (its copies). */
export const SYMMETRY_BYTES_PER_COORDINATE = 32;

/** The memory a run over `points` points of dimension `dim` is estimated to need. */
export function estimateSymmetryMemory(points: number, dim: number): number {
  return points * (SYMMETRY_BYTES_PER_POINT + SYMMETRY_BYTES_PER_COORDINATE * dim);
}

/**
 * Throws a PhysmlInputError naming `field` when a run over `points` points of dimension `dim` is
 * estimated above the `maxMemory` limit (default: 80% of the free memory).
 */
export function checkSymmetryMemory(
  o: { points: number; dim: number; maxMemory: string | undefined },
  refusal: { field: string; received: unknown; advice: string },
): void {
  refuseAboveMemoryLimit(estimateSymmetryMemory(o.points, o.dim), o.maxMemory, {
    ...refusal,
    what: `${o.points} points in R^${o.dim}`,
  });
}
