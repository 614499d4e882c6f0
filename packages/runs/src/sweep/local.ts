// The local executor: a bounded pool of worker processes on this machine, one per point, each
// running the sweep's worker command (which opens the point's run directory under its lock, so
// a point never has two writers). The workers share the machine's cores: each gets an equal share
// of the thread budget through PHYSML_THREADS, unless the sweep's own environment sets it.
import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { resolve } from "node:path";
import { defaultThreads, THREADS_VARIABLE, threadsFromEnvironment } from "@physml/lattice-core";
import type { SweepManifest } from "./manifest.js";
import { pointLog } from "./status.js";

/** How one worker process ended. */
export interface WorkerExit {
  index: number;
  /** Exit code, or null when killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  wallTimeMs: number;
}

/** Options of {@link runLocal}. */
export interface LocalOptions {
  /** The points to run (indices into the manifest). */
  indices: readonly number[];
  /** At most this many workers at once (≥ 1). */
  maxParallel: number;
  /** Hears each worker's start and end. */
  onStart?: (index: number, pid: number | undefined) => void;
  onExit?: (exit: WorkerExit) => void;
}

/**
 * The threads each of `parallel` side-by-side workers may use: the thread budget (PHYSML_THREADS,
 * else the cores) shared equally, at least 1. Results never depend on it.
 */
export const pointThreads = (parallel: number): number =>
  Math.max(1, Math.floor(defaultThreads() / Math.max(1, parallel)));

/** The environment of the workers when `parallel` run at once (see {@link pointThreads}). */
export function workerEnv(parallel: number, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (threadsFromEnvironment(env) !== undefined) return env;
  return { ...env, [THREADS_VARIABLE]: String(pointThreads(parallel)) };
}

/** The argv that runs point `index` of the sweep in `dir`. */
export const workerArgv = (m: SweepManifest, dir: string, index: number): string[] => [
  ...m.worker,
  resolve(dir),
  "--index",
  String(index),
];

function runOne(
  m: SweepManifest,
  dir: string,
  index: number,
  o: LocalOptions,
  env: NodeJS.ProcessEnv,
): Promise<WorkerExit> {
  const [program, ...args] = workerArgv(m, dir, index);
  // stdout and stderr of every attempt are appended to the point's log.
  const log = openSync(pointLog(dir, index), "a");
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(program, args, { cwd: m.cwd, env, stdio: ["ignore", log, log] });
    o.onStart?.(index, child.pid);
    let ended = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (ended) return;
      ended = true;
      closeSync(log);
      const e = { index, code, signal, wallTimeMs: Date.now() - started };
      o.onExit?.(e);
      done(e);
    };
    child.on("error", () => finish(127, null));
    child.on("exit", finish);
  });
}

/**
 * Runs the given points with at most `maxParallel` worker processes at once, each with its share
 * of the thread budget (see {@link workerEnv}).
 */
export async function runLocal(m: SweepManifest, dir: string, o: LocalOptions): Promise<WorkerExit[]> {
  const queue = [...o.indices];
  const exits: WorkerExit[] = [];
  const lanes = Math.max(1, Math.min(o.maxParallel, queue.length));
  const env = workerEnv(lanes);
  const lane = async () => {
    for (let i = queue.shift(); i !== undefined; i = queue.shift())
      exits.push(await runOne(m, dir, i, o, env));
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return exits.sort((a, b) => a.index - b.index);
}
