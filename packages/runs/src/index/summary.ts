// What `physml runs ls|show` print: a summary of a run directory read without writing to it
// (no lock is taken, so a run being written can be inspected).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { hostname } from "node:os";
import { join, relative } from "node:path";
import { CheckpointStore } from "../dir/checkpoint.js";
import { type RunFailure, readFailure } from "../dir/failure.js";
import { LOCK_FILE, type LockHolder } from "../dir/lock.js";
import { readMetricsFile } from "../dir/metrics.js";
import { type RunConfigFile, readRunConfig } from "../dir/run.js";

/**
 * A run directory at a glance. A fact the directory does not hold (no checkpoint, no lock, no
 * result yet, written outside git) is left out rather than written as null, so that a number in
 * the CLI's JSON is never null and every key present carries a value.
 */
export interface RunSummary {
  dir: string;
  kind: string;
  /** finished (result.json), running (locked by a live process), unfinished, or unreadable. */
  status: "finished" | "running" | "unfinished" | "unreadable";
  createdAt: string;
  package: string;
  version: string;
  /** `HEAD` of the writer's checkout (absent when it was written outside git). */
  git?: string;
  /** Lines in metrics.jsonl (metrics records; not a training step count, which is `steps` in results). */
  metricsLines: number;
  /** Step of the newest checkpoint (absent without one). */
  checkpointStep?: number;
  /** Who holds run.lock (absent when nobody does). */
  lockedBy?: LockHolder;
  /** The resolved configuration (absent when config.json is unreadable). */
  config?: unknown;
  /** result.json (absent until the run has finished). */
  result?: Record<string, unknown>;
  /**
   * Why the last attempt threw (failure.json): absent while it runs, once it finishes, and after
   * a death that ran no code (SIGKILL, out of memory, power cut).
   */
  failure?: RunFailure;
  /** Why the run is unreadable. */
  error?: string;
}

function alive(h: LockHolder): boolean {
  if (h.host !== hostname()) return true;
  try {
    process.kill(h.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Reads the summary of the run in `dir` (which must hold a config.json). */
export function summarizeRun(dir: string): RunSummary {
  let file: RunConfigFile | null = null;
  let error: string | undefined;
  try {
    file = readRunConfig(dir);
    if (!file) error = "no config.json";
  } catch (e) {
    error = (e as Error).message;
  }
  let lockedBy: LockHolder | undefined;
  try {
    lockedBy = JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8")) as LockHolder;
  } catch {}
  let result: Record<string, unknown> | undefined;
  if (existsSync(join(dir, "result.json"))) {
    try {
      result = JSON.parse(readFileSync(join(dir, "result.json"), "utf8"));
    } catch (e) {
      error ??= `result.json: ${(e as Error).message}`;
    }
  }
  let failure: RunFailure | null = null;
  if (!result) {
    try {
      failure = readFailure(dir);
    } catch (e) {
      error ??= `failure.json: ${(e as Error).message}`;
    }
  }
  const ckpt = join(dir, "checkpoint");
  const checkpointStep = existsSync(ckpt)
    ? new CheckpointStore(ckpt, { readOnly: true }).steps()[0]
    : undefined;
  const status: RunSummary["status"] = error
    ? "unreadable"
    : result
      ? "finished"
      : lockedBy && alive(lockedBy)
        ? "running"
        : "unfinished";
  return {
    dir,
    kind: file?.kind ?? "unknown",
    status,
    createdAt: file?.createdAt ?? "",
    package: file?.package ?? "unknown",
    version: file?.version ?? "",
    ...(file?.git ? { git: file.git } : {}),
    metricsLines: readMetricsFile(join(dir, "metrics.jsonl")).length,
    ...(checkpointStep === undefined ? {} : { checkpointStep }),
    ...(lockedBy ? { lockedBy } : {}),
    ...(file ? { config: file.config } : {}),
    ...(result ? { result } : {}),
    ...(failure ? { failure } : {}),
    ...(error ? { error } : {}),
  };
}

/**
 * The runs under `root`: `root` itself when it is a run, else every directory below it (up to
 * `depth` levels, e.g. the points of a sweep) that holds a config.json, sorted by path.
 */
export function findRuns(root: string, depth = 3): string[] {
  if (!existsSync(root) || !statSync(root).isDirectory()) return [];
  if (existsSync(join(root, "config.json"))) return [root];
  if (depth === 0) return [];
  const out: string[] = [];
  for (const name of readdirSync(root).sort()) {
    const p = join(root, name);
    if (statSync(p, { throwIfNoEntry: false })?.isDirectory()) out.push(...findRuns(p, depth - 1));
  }
  return out;
}

/** Summaries of every run under `root`, with `dir` relative to `root`. */
export function listRuns(root: string): RunSummary[] {
  return findRuns(root).map((d) => ({ ...summarizeRun(d), dir: relative(root, d) || "." }));
}
