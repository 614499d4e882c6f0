// What `physml runs ls|show` print: a summary of a run directory read without writing to it
// (no lock is taken, so a run being written can be inspected).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { hostname } from "node:os";
import { join, relative } from "node:path";
import { CheckpointStore } from "../dir/checkpoint.js";
import { LOCK_FILE, type LockHolder } from "../dir/lock.js";
import { readMetricsFile } from "../dir/metrics.js";
import { type RunConfigFile, readRunConfig } from "../dir/run.js";

/** A run directory at a glance. */
export interface RunSummary {
  dir: string;
  kind: string;
  /** finished (result.json), running (locked by a live process), unfinished, or unreadable. */
  status: "finished" | "running" | "unfinished" | "unreadable";
  createdAt: string;
  package: string;
  version: string;
  git: string | null;
  /** Lines in metrics.jsonl. */
  steps: number;
  /** Step of the newest checkpoint (null without one). */
  checkpointStep: number | null;
  lockedBy: LockHolder | null;
  config: unknown;
  result: Record<string, unknown> | null;
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
  let lockedBy: LockHolder | null = null;
  try {
    lockedBy = JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8")) as LockHolder;
  } catch {}
  let result: Record<string, unknown> | null = null;
  if (existsSync(join(dir, "result.json"))) {
    try {
      result = JSON.parse(readFileSync(join(dir, "result.json"), "utf8"));
    } catch (e) {
      error ??= `result.json: ${(e as Error).message}`;
    }
  }
  const ckpt = join(dir, "checkpoint");
  const checkpointStep = existsSync(ckpt)
    ? (new CheckpointStore(ckpt, { readOnly: true }).steps()[0] ?? null)
    : null;
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
    git: file?.git ?? null,
    steps: readMetricsFile(join(dir, "metrics.jsonl")).length,
    checkpointStep,
    lockedBy,
    config: file?.config ?? null,
    result,
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
