// What the quintic commands hold in memory, estimated from their sizes before anything is
// allocated: per sampled point its coordinates and gradient (10 Float64 each), Ω², weight and
// patch data — 187 B measured on 200 000 points, counted as 192 — and, where a metric is
// evaluated (σ), its determinant, g (18) and the ambient metric (32) on top: 424 B. Writing
// points as .npy adds their n × 10 rows and the file buffer (160 B). `cy sample` holds only one
// piece of lines at a time (appended to its files) and every point's weight (8 B). `cy donaldson`'s
// balancing error adds three numbers per integration point (D, and the two quadratic forms of its
// passes) and one chunk of σ's gradient rows on the held-out points, laid out as a learned-H batch.
import { refuseAboveMemoryLimit } from "@physml/lattice-core";
import { SIGMA_GRADIENT_CHUNK } from "./donaldson/balancing-noise.js";
import { POINTS_PER_LINE } from "./geometry/sample.js";
import { SAMPLE_PIECE_LINES } from "./geometry/sample-in-run.js";

/** Bytes held per sampled point. */
export const SAMPLE_BYTES_PER_POINT = 192;
/** Bytes added per point where the algebraic metric is evaluated. */
export const METRIC_BYTES_PER_POINT = 424;
/** Bytes added per integration point by the balancing error of σ_k. */
export const BALANCING_NOISE_BYTES_PER_POINT = 24;
/** Bytes added per point written as .npy rows. */
export const NPY_BYTES_PER_POINT = 160;

/**
 * Bytes per point of a batch of the learned-H gradient, per section: ambient rows (5), pulled-back
 * rows (4), their adjoints (4) and R·G (4), each 2N doubles.
 */
export const BATCH_BYTES_PER_POINT_SECTION = 17 * 2 * 8;

/** Number of sections of degree k on a quintic: C(k+4, 4) − C(k−1, 4). */
export function sectionCount(k: number): number {
  const c4 = (n: number) => (n < 4 ? 0 : (n * (n - 1) * (n - 2) * (n - 3)) / 24);
  return c4(k + 4) - c4(k - 1);
}

/**
 * The estimate of `cy sample` (points written), `cy donaldson` (training and held-out points, and
 * the balancing error's share at the largest degree k) or
 * `cy train` (both point sets with metric values, plus one batch of the gradient).
 */
export function estimateCyMemory(
  o:
    | { command: "sample"; points: number }
    | { command: "donaldson"; points: number; evalPoints: number; k: number }
    | { command: "train"; points: number; evalPoints: number; batch: number; k: number },
): number {
  if (o.command === "sample") {
    const piece = Math.min(o.points, SAMPLE_PIECE_LINES * POINTS_PER_LINE);
    return o.points * 8 + piece * (SAMPLE_BYTES_PER_POINT + NPY_BYTES_PER_POINT);
  }
  if (o.command === "train") {
    return (
      (o.points + o.evalPoints) * (SAMPLE_BYTES_PER_POINT + METRIC_BYTES_PER_POINT) +
      o.batch * BATCH_BYTES_PER_POINT_SECTION * sectionCount(o.k)
    );
  }
  return (
    (o.points + o.evalPoints) * (SAMPLE_BYTES_PER_POINT + METRIC_BYTES_PER_POINT) +
    o.points * BALANCING_NOISE_BYTES_PER_POINT +
    SIGMA_GRADIENT_CHUNK * BATCH_BYTES_PER_POINT_SECTION * sectionCount(o.k)
  );
}

/** Throws a PhysmlInputError naming `points` (received: `points`) when `bytes` exceed the `maxMemory` limit. */
export function checkCyMemory(bytes: number, maxMemory: string | undefined, points: number): void {
  refuseAboveMemoryLimit(bytes, maxMemory, {
    field: "points",
    received: points,
    advice: "lower --points (or --eval)",
  });
}
