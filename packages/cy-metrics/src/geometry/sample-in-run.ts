// `cy sample` resumable in its run directory. The lines are sampled in pieces and appended to
// points.npy, weights.npy and omega2.npy as they come (each filled as `<name>.partial`, @physml/runs'
// openGrowingNpy, so the data are written once and never all held); every SAMPLE_CHECKPOINT_LINES
// lines the files are made durable and a checkpoint stores the sampler's position, so a killed run
// loses at most that many lines and --resume continues after them. A piece depends only on the
// position it starts from (samplePiece), so the files end with the uninterrupted run's bytes.
import { npyDtype } from "@physml/lattice-core";
import { openGrowingNpy, type Run } from "@physml/runs";
import { type Volumes, volumes } from "../eval/volumes.js";
import type { Quintic } from "./quintic.js";
import { POINTS_PER_LINE, SAMPLER_START, type SamplerPosition, samplePiece } from "./sample.js";

/**
 * Lines between two checkpoints of `cy sample` (5 points each, 2 621 440 points): 20–30 s of
 * sampling on the 2-core development machine, against 0.12 s for a checkpoint, nearly all of it
 * flushing the ~250 MB written since the last one (which a run flushes at its end anyway), so a
 * checkpoint costs under 0.5% of the run (measured: the package README, on `cy sample`).
 */
export const SAMPLE_CHECKPOINT_LINES = 1 << 19;

/** Lines sampled at once between two appends to the files (bounds the memory of a piece). */
export const SAMPLE_PIECE_LINES = 1 << 14;

/** Where `cy sample` writes and checkpoints. */
export interface SampleInRunOptions {
  quintic: Quintic;
  /** Points asked for (⌈points/5⌉ whole lines are sampled). */
  points: number;
  seed: number;
  /** Lines between two checkpoints (default {@link SAMPLE_CHECKPOINT_LINES}). */
  checkpointLines?: number;
  /** Hears where a resumed run continues, and each checkpoint (lines done of the total). */
  log?: (message: string) => void;
}

/** What `cy sample` found: the points written, their volumes and the sampler's tallies. */
export interface SampleInRunResult {
  /** Points written (5 per line). */
  n: number;
  volumes: Volumes;
  maxResidual: number;
  rejectedLines: number;
  /** Paths of the .npy files beside config.json. */
  files: { points: string; weights: string; omega2: string };
  /** Lines a checkpoint of an earlier attempt had sampled (0 for a new run). */
  resumedLines: number;
}

const isCount = (x: unknown): x is number => typeof x === "number" && Number.isSafeInteger(x) && x >= 0;

/** A stored sampler position checked against the run's `total` lines (throws to fall back). */
function checkPosition(raw: unknown, total: number): SamplerPosition {
  const p = raw as Partial<SamplerPosition> | null;
  const ok =
    typeof p === "object" &&
    p !== null &&
    isCount(p.lines) &&
    p.lines <= total &&
    isCount(p.block) &&
    isCount(p.line) &&
    isCount(p.rejectedLines) &&
    typeof p.maxResidual === "number" &&
    p.maxResidual >= 0;
  if (!ok) throw new Error(`not a cy sample position within ${total} lines`);
  return p as SamplerPosition;
}

/**
 * Samples `o.points` points on `o.quintic` into the run directory (points.npy as n×10 rows
 * [Re z₀…z₄, Im z₀…z₄], weights.npy, omega2.npy), continuing after the run's newest checkpoint
 * (which sets `run.carriedSeconds`), and returns their volumes and tallies: exactly those of
 * `samplePoints(o.quintic, o.points, o.seed)`.
 */
export function sampleInRun(run: Run<unknown>, o: SampleInRunOptions): SampleInRunResult {
  const total = Math.ceil(o.points / POINTS_PER_LINE);
  const n = total * POINTS_PER_LINE;
  const every = o.checkpointLines ?? SAMPLE_CHECKPOINT_LINES;
  const ckpt = run.loadCheckpoint((raw) => checkPosition(raw, total));
  let at: SamplerPosition = ckpt?.state ?? { ...SAMPLER_START };
  if (ckpt)
    o.log?.(
      `physml cy sample: resuming from ${ckpt.file}: ${at.lines * POINTS_PER_LINE} of ${n} points sampled`,
    );
  const f64 = npyDtype(new Float64Array(0));
  const done = at.lines * POINTS_PER_LINE;
  const files = [
    openGrowingNpy(run.file("points.npy"), f64, [n, 10], 10 * done),
    openGrowingNpy(run.file("weights.npy"), f64, [n], done),
    openGrowingNpy(run.file("omega2.npy"), f64, [n], done),
  ] as const;
  const [points, weights, omega2] = files;
  try {
    // every weight, for the volumes: the finished lines' read back, the rest kept as they come
    const weight = new Float64Array(n);
    weight.set(new Float64Array(weights.readData().buffer));
    while (at.lines < total) {
      const next = Math.min(total, (Math.floor(at.lines / every) + 1) * every);
      while (at.lines < next) {
        const piece = samplePiece(
          o.quintic,
          o.points,
          o.seed,
          at,
          Math.min(SAMPLE_PIECE_LINES, next - at.lines),
        );
        const ps = piece.points;
        // cymetric's layout: one row per point, [Re z₀ … Re z₄, Im z₀ … Im z₄]
        const rows = new Float64Array(10 * ps.n);
        for (let i = 0; i < ps.n; i++) {
          for (let j = 0; j < 5; j++) {
            rows[10 * i + j] = ps.z[10 * i + 2 * j];
            rows[10 * i + 5 + j] = ps.z[10 * i + 2 * j + 1];
          }
        }
        points.append(rows);
        weights.append(ps.weight);
        omega2.append(ps.omega2);
        weight.set(ps.weight, at.lines * POINTS_PER_LINE);
        at = piece.next;
      }
      if (at.lines < total) {
        for (const f of files) f.sync();
        run.saveCheckpoint(at.lines, at);
        o.log?.(`physml cy sample: ${at.lines * POINTS_PER_LINE} of ${n} points sampled (checkpoint)`);
      }
    }
    const paths = { points: points.finish(), weights: weights.finish(), omega2: omega2.finish() };
    return {
      n,
      volumes: volumes({ weight, n }),
      maxResidual: at.maxResidual,
      rejectedLines: at.rejectedLines,
      files: paths,
      resumedLines: ckpt?.state.lines ?? 0,
    };
  } finally {
    for (const f of files) f.close();
  }
}
