// What the quintic commands hold in memory, estimated from their sizes before anything is
// allocated: per sampled point its coordinates and gradient (10 Float64 each), Ω², weight and
// patch data — 187 B measured on 200 000 points, counted as 192 — and, where a metric is
// evaluated (σ), its determinant, g (18) and the ambient metric (32) on top: 424 B. Writing
// points as .npy adds their n × 10 rows and the file buffer (160 B).
import { refuseAboveMemoryLimit } from "@physml/lattice-core";

/** Bytes held per sampled point. */
export const SAMPLE_BYTES_PER_POINT = 192;
/** Bytes added per point where the algebraic metric is evaluated. */
export const METRIC_BYTES_PER_POINT = 424;
/** Bytes added per point written as .npy rows. */
export const NPY_BYTES_PER_POINT = 160;

/** The estimate of `cy sample` (points written) or `cy donaldson` (training and held-out points). */
export function estimateCyMemory(
  o: { command: "sample"; points: number } | { command: "donaldson"; points: number; evalPoints: number },
): number {
  if (o.command === "sample") return o.points * (SAMPLE_BYTES_PER_POINT + NPY_BYTES_PER_POINT);
  return (o.points + o.evalPoints) * (SAMPLE_BYTES_PER_POINT + METRIC_BYTES_PER_POINT);
}

/** Throws a PhysmlInputError naming `points` (received: `points`) when `bytes` exceed the `maxMemory` limit. */
export function checkCyMemory(bytes: number, maxMemory: string | undefined, points: number): void {
  refuseAboveMemoryLimit(bytes, maxMemory, {
    field: "points",
    received: points,
    advice: "lower --points (or --eval)",
  });
}
