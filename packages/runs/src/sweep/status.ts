// The progress of a sweep, read from its points' run directories (never from a scheduler, so it
// is the same for every executor): done = result.json written, running = locked by a live
// process, failed = an attempt ended without a result, pending = never started.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { atomicWrite } from "../fs/atomic.js";
import { type RunSummary, summarizeRun } from "../index/summary.js";
import { pointDir, readSweep, type SweepManifest, type SweepPoint } from "./manifest.js";

/** The state of one point. */
export type PointState = "pending" | "running" | "done" | "failed";

/** How the last attempt at a point ended (written by the worker to logs/point-<i>.exit.json). */
export interface PointExit {
  /** The learner's exit code (0 ok, 3 a result that failed its own validation, else a failure). */
  code: number;
  host: string;
  pid: number;
  endedAt: string;
  /** The Slurm job (array job id _ task id) when it ran under Slurm. */
  slurmJob?: string;
}

/** One point's progress. */
export interface PointStatus {
  index: number;
  name: string;
  params: SweepPoint["params"];
  state: PointState;
  /** Lines in the point's metrics.jsonl. */
  metricsLines: number;
  /** Step of the run's newest checkpoint (absent without one). */
  checkpointStep?: number;
  /** How the last attempt ended (absent before the first attempt ends). */
  exit?: PointExit;
  /** The run's summary (absent while the point has no run directory). */
  run?: RunSummary;
}

/** A sweep's progress. */
export interface SweepStatus {
  dir: string;
  manifest: SweepManifest;
  points: PointStatus[];
  counts: Record<PointState, number>;
}

/** The log of point `index` (stdout and stderr of every attempt, appended). */
export const pointLog = (dir: string, index: number): string => join(dir, "logs", `point-${index}.log`);
const exitFile = (dir: string, index: number) => join(dir, "logs", `point-${index}.exit.json`);

/** Records how an attempt at point `index` ended. */
export function writePointExit(dir: string, index: number, exit: PointExit): void {
  atomicWrite(exitFile(dir, index), `${JSON.stringify(exit)}\n`);
}

/** How the last attempt at point `index` ended, or null. */
export function readPointExit(dir: string, index: number): PointExit | null {
  try {
    return JSON.parse(readFileSync(exitFile(dir, index), "utf8")) as PointExit;
  } catch {
    return null;
  }
}

/** The progress of point `p` of the sweep in `dir`. */
export function pointStatus(dir: string, p: SweepPoint): PointStatus {
  const run = existsSync(join(pointDir(dir, p), "config.json")) ? summarizeRun(pointDir(dir, p)) : undefined;
  const exit = readPointExit(dir, p.index);
  const state: PointState =
    run?.status === "finished"
      ? "done"
      : run?.status === "running"
        ? "running"
        : run || exit
          ? "failed"
          : "pending";
  return {
    index: p.index,
    name: p.name,
    params: p.params,
    state,
    metricsLines: run?.metricsLines ?? 0,
    ...(run?.checkpointStep === undefined ? {} : { checkpointStep: run.checkpointStep }),
    ...(exit ? { exit } : {}),
    ...(run ? { run } : {}),
  };
}

/** The progress of every point of the sweep in `dir`. */
export function sweepStatus(dir: string): SweepStatus {
  const manifest = readSweep(dir);
  const points = manifest.points.map((p) => pointStatus(dir, p));
  const counts: Record<PointState, number> = { pending: 0, running: 0, done: 0, failed: 0 };
  for (const p of points) counts[p.state]++;
  return { dir, manifest, points, counts };
}
