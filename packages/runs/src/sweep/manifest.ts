// sweep.json: what a sweep is (the learner command, the fixed arguments, the grid, every point
// with its exact arguments and directory) and how it was submitted. Written only by the process
// holding the sweep's lock (`sweep.lock`); points and executors read it.
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { configDifferences } from "../dir/config-diff.js";
import { acquireLock, type RunLock } from "../dir/lock.js";
import { ConfigMismatchError, RunDirError } from "../errors.js";
import { atomicWrite } from "../fs/atomic.js";
import { ensureRunDir } from "../fs/out-path.js";
import { expandGrid, type GridAxis, type GridValue } from "./grid.js";

/** The version of the sweep.json layout. */
export const SWEEP_FORMAT = 1;
/** The manifest's file name in a sweep directory. */
export const SWEEP_FILE = "sweep.json";
/** The lock a process holds while it writes the manifest or submits points. */
export const SWEEP_LOCK = "sweep.lock";

/** One point of a sweep. */
export interface SweepPoint {
  index: number;
  /** Directory name (relative to the sweep directory); also the point's run directory. */
  name: string;
  params: Record<string, GridValue>;
  /** The learner's arguments for this point (without --out and --resume, which the worker adds). */
  argv: string[];
}

/** One submission of (some of) the points. */
export interface SweepSubmission {
  executor: "local" | "slurm";
  submittedAt: string;
  indices: number[];
  /** The Slurm array job id. */
  jobId?: string;
  /** The sbatch script (relative to the sweep directory). */
  script?: string;
}

/** sweep.json. */
export interface SweepManifest {
  format: number;
  createdAt: string;
  /** The learner command's words, e.g. `["duality", "kw"]`. */
  command: string[];
  /** Arguments every point gets. */
  args: string[];
  grid: GridAxis[];
  /**
   * The command that runs one point when given `<sweep dir> --index <i>` (e.g. node, the physml
   * CLI, `sweep run-point`). On a cluster it must run on every compute node.
   */
  worker: string[];
  /** The directory points run in (relative paths in `args` are relative to it). */
  cwd: string;
  points: SweepPoint[];
  submissions: SweepSubmission[];
}

/** What defines a sweep; see {@link openSweep}. */
export interface SweepDefinition {
  command: string[];
  args: string[];
  grid: GridAxis[];
  worker: string[];
  cwd: string;
  /** The learner arguments that set a point's grid values (e.g. `["--beta", "0.3"]`). */
  pointArgs: (params: Record<string, GridValue>) => string[];
}

/** Reads sweep.json of `dir`; a RunDirError names the file when it is missing or unreadable. */
export function readSweep(dir: string): SweepManifest {
  const path = join(dir, SWEEP_FILE);
  if (!existsSync(path)) throw new RunDirError("sweep", `a sweep directory (with ${SWEEP_FILE})`, dir);
  let m: SweepManifest;
  try {
    m = JSON.parse(readFileSync(path, "utf8")) as SweepManifest;
  } catch (e) {
    throw new RunDirError("sweep", `a readable ${SWEEP_FILE}`, path, (e as Error).message);
  }
  if (m?.format !== SWEEP_FORMAT || !Array.isArray(m.points) || !Array.isArray(m.command)) {
    throw new RunDirError("sweep", `a ${SWEEP_FILE} of format ${SWEEP_FORMAT}`, path);
  }
  return m;
}

/** Writes sweep.json atomically (the caller holds the sweep lock). */
export function writeSweep(dir: string, m: SweepManifest): void {
  atomicWrite(join(dir, SWEEP_FILE), `${JSON.stringify(m, null, 2)}\n`);
}

/** The run directory of a point. */
export const pointDir = (dir: string, p: SweepPoint): string => join(resolve(dir), p.name);

/** An open sweep: its directory, manifest and lock. */
export interface OpenSweep {
  dir: string;
  manifest: SweepManifest;
  /** Whether the sweep was created now (false: an existing one, resumed). */
  created: boolean;
  /** Records a submission in sweep.json. */
  record(s: SweepSubmission): void;
  /** Releases the sweep lock. */
  close(): void;
  /**
   * Releases the lock after a failed start: a sweep created now that recorded no submission is
   * removed again (what this call created), so the same command can simply be run again.
   */
  abandon(): void;
}

/**
 * Opens the sweep in `dir` under its lock: creates sweep.json for a new sweep, or, with
 * `resume`, checks that the existing one is the same sweep (same command, arguments and grid;
 * a ConfigMismatchError lists the differences). An existing sweep without `resume` is refused.
 * The worker and cwd are updated on resume (a resubmission may run from another checkout).
 */
export function openSweep(dir: string, def: SweepDefinition, resume: boolean): OpenSweep {
  const points = expandGrid(def.grid).map((p) => ({ ...p, argv: [...def.args, ...def.pointArgs(p.params)] }));
  const madeDirs = ensureRunDir(dir);
  const lock: RunLock = acquireLock(dir, undefined, SWEEP_LOCK);
  try {
    let manifest: SweepManifest;
    let created = false;
    if (existsSync(join(dir, SWEEP_FILE))) {
      if (!resume) {
        throw new RunDirError(
          "out",
          "a new sweep directory (pass --resume to continue the sweep there: finished points are skipped, the others resume)",
          dir,
          `it holds a ${SWEEP_FILE}`,
        );
      }
      manifest = readSweep(dir);
      // The grid is compared by its axes' order and values (`0.1:0.3:0.1` and `0.1,0.2,0.3`
      // are one grid; the order of the axes decides which index is which point).
      const axes = (g: GridAxis[]) => ({
        "(axis order)": g.map((a) => a.key),
        ...Object.fromEntries(g.map((a) => [a.key, a.values])),
      });
      const stored = { command: manifest.command, args: manifest.args, grid: axes(manifest.grid) };
      const given = { command: def.command, args: def.args, grid: axes(def.grid) };
      const diffs = configDifferences(stored, given);
      if (diffs.length) throw new ConfigMismatchError(dir, diffs);
      manifest = { ...manifest, worker: def.worker, cwd: def.cwd };
    } else {
      manifest = {
        format: SWEEP_FORMAT,
        createdAt: new Date().toISOString(),
        command: def.command,
        args: def.args,
        grid: def.grid,
        worker: def.worker,
        cwd: def.cwd,
        points,
        submissions: [],
      };
      created = true;
    }
    mkdirSync(join(dir, "logs"), { recursive: true });
    writeSweep(dir, manifest);
    return {
      dir,
      manifest,
      created,
      record(s) {
        manifest.submissions.push(s);
        writeSweep(dir, manifest);
      },
      close: () => lock.release(),
      abandon() {
        lock.release();
        if (!created || manifest.submissions.length > 0) return;
        if (madeDirs.length) rmSync(madeDirs[0], { recursive: true, force: true });
        else
          for (const f of [SWEEP_FILE, "logs", "slurm"])
            rmSync(join(dir, f), { recursive: true, force: true });
      },
    };
  } catch (e) {
    lock.release();
    throw e;
  }
}
