// A run directory for any learner:
//   config.json      { format, kind, package, version, git, createdAt, config }
//   metrics.jsonl    one JSON object per finished step, appended
//   checkpoint/      step-<n>.json, the newest two kept (atomic writes), each with the seconds
//                    of work on the run so far, which a resumed attempt carries on from
//   arrays/          NumPy .npy files
//   result.json      written once the run has finished
//   failure.json     why the last attempt threw (until the run is opened again)
//   run.lock         the pid and host of the process writing the run
// openRun() decides between a new run, a resumed one and a finished one, and refuses the rest.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import {
  decodeNpy,
  encodeNpy,
  isObject,
  jsonWithNonFiniteText,
  type NpyArray,
  numbersFromText,
  type WithNonFiniteText,
} from "@physml/lattice-core";
import { ConfigMismatchError, RunDirError, RunExistsError } from "../errors.js";
import { atomicWrite, removeStaleTemps } from "../fs/atomic.js";
import { ensureRunDir } from "../fs/out-path.js";
import { stateFromJson, stateToJson } from "../fs/state-json.js";
import { archiveRun, finishArchive } from "./archive.js";
import { CheckpointStore, type LoadedCheckpoint } from "./checkpoint.js";
import { configDifferences, deepMerge } from "./config-diff.js";
import { clearFailure, failureOf, writeFailure } from "./failure.js";
import { acquireLock, LOCK_FILE, type RunLock } from "./lock.js";
import { MetricsLog, metricNumbers, readMetricsFile } from "./metrics.js";
import type { Provenance } from "./provenance.js";
import { aRunOf } from "./run-kind.js";

/** The version of the run directory layout written to config.json. */
export const RUN_FORMAT = 1;

/** config.json of a run. */
export interface RunConfigFile<C = unknown> extends Provenance {
  format: number;
  /** What kind of run, e.g. `duality-kw`. */
  kind: string;
  createdAt: string;
  config: C;
}

/**
 * `new`: the directory must not hold a run. `resume`: continue the run there (or start one when
 * there is none). `force`: archive whatever run is there, then start anew.
 */
export type RunMode = "new" | "resume" | "force";

/** How a run was opened. */
export type RunStatus = "new" | "resumed" | "finished";

/** Options of {@link openRun}. */
export interface OpenRunOptions<C> {
  dir: string;
  kind: string;
  /** The configuration as given: only the fields the caller chose (defaults come from `resolve`). */
  input: unknown;
  /** Validates a configuration and fills in defaults; throws a PhysmlInputError naming the field. */
  resolve: (input: unknown) => C;
  /**
   * Reads the stored configuration of a run written by an earlier version before `resolve` sees
   * it (never `input`): e.g. `fillAddedFields` with the value each field added since had
   * before it existed, so the run resumes with the settings it was trained with, not today's
   * defaults. Default: as stored.
   */
  stored?: (config: unknown) => unknown;
  mode?: RunMode;
  provenance: Provenance;
  /** Hears stale-lock take-overs, checkpoint fall-backs and archive moves. */
  log?: (msg: string) => void;
  /** The option that names the directory, in the errors about it (default `out`; e.g. `run`). */
  field?: string;
  /**
   * For an opener that adds to a run without continuing it (an evaluation written beside it):
   * a resumed run keeps its failure.json, which still says why its training stopped.
   */
  keepFailure?: boolean;
}

/** The files a run directory may hold besides the lock (anything else makes it "not a run"). */
const IGNORED = new Set([LOCK_FILE, `${LOCK_FILE}.break`]);

/**
 * Reads a run's config.json (older layouts: the bare configuration); an unreadable one is an
 * error of `field`, the option that named the directory.
 */
export function readRunConfig(dir: string, field = "out"): RunConfigFile | null {
  const path = join(dir, "config.json");
  if (!existsSync(path)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new RunDirError(field, "a run directory with a readable config.json", dir, (e as Error).message);
  }
  if (isObject(raw) && typeof raw.format === "number" && "config" in raw)
    return raw as unknown as RunConfigFile;
  return {
    format: 0,
    kind: "unknown",
    createdAt: "",
    package: "unknown",
    version: "",
    git: null,
    config: raw,
  };
}

/**
 * Opens the run directory `dir` for writing, under its lock. Validates the configuration before
 * anything is created; see {@link RunMode} for what each mode accepts. Throws
 * {@link RunExistsError}, {@link ConfigMismatchError}, RunLockedError or a RunDirError naming
 * the directory and the way out.
 */
export function openRun<C>(opts: OpenRunOptions<C>): Run<C> {
  const log = opts.log ?? (() => {});
  const mode = opts.mode ?? "new";
  if (!isObject(opts.input)) {
    throw new RunDirError(
      "config",
      "a JSON object",
      Array.isArray(opts.input) ? "an array" : String(opts.input),
    );
  }
  // A new run is validated before the directory is touched; a resumed one against its stored config.
  const fresh = mode === "resume" ? null : opts.resolve(opts.input);
  const field = opts.field ?? "out";
  const created = ensureRunDir(opts.dir, field);
  const lock = acquireLock(opts.dir, log, undefined, field);
  try {
    removeStaleTemps(opts.dir);
    finishArchive(opts.dir, IGNORED, log);
    let stored = readRunConfig(opts.dir, field);
    const others = readdirSync(opts.dir).filter((n) => !IGNORED.has(n));
    if (!stored && others.length > 0) {
      throw new RunDirError(
        field,
        "an empty directory or a run directory",
        opts.dir,
        `it holds ${others.slice(0, 3).join(", ")}${others.length > 3 ? ", …" : ""} but no config.json`,
      );
    }
    // a run's own directories (arrays/, checkpoint/, …) may hold temp files of killed writes too
    if (stored) removeStaleTemps(opts.dir, { recursive: true });
    const finished = existsSync(join(opts.dir, "result.json"));
    if (stored && mode === "new")
      throw new RunExistsError(opts.dir, finished ? "finished" : "unfinished", field);
    if (stored && mode === "force") {
      archiveRun(opts.dir, IGNORED, log);
      stored = null;
    }
    let config: C;
    let status: RunStatus;
    if (stored) {
      if (stored.kind !== opts.kind && stored.kind !== "unknown") {
        throw new RunDirError("resume", aRunOf(opts.kind), opts.dir, `it holds ${aRunOf(stored.kind)}`);
      }
      const old = opts.stored ? opts.stored(stored.config) : stored.config;
      const before = opts.resolve(old);
      const given = opts.resolve(deepMerge(old, opts.input));
      const diffs = configDifferences(before, given);
      if (diffs.length) throw new ConfigMismatchError(opts.dir, diffs);
      config = before;
      status = finished ? "finished" : "resumed";
      // The reason the last attempt failed no longer describes a run that is going again.
      if (status === "resumed" && !opts.keepFailure) clearFailure(opts.dir);
    } else {
      config = fresh ?? opts.resolve(opts.input);
      const file: RunConfigFile<C> = {
        format: RUN_FORMAT,
        kind: opts.kind,
        ...opts.provenance,
        createdAt: new Date().toISOString(),
        config,
      };
      atomicWrite(join(opts.dir, "config.json"), `${JSON.stringify(file, null, 2)}\n`);
      status = "new";
    }
    return new Run(opts.dir, config, status, lock, created, log);
  } catch (e) {
    const aside = moveAside(created);
    lock.release();
    if (aside) rmSync(aside, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Moves the outermost of the directories a failed start `created` out of the way, atomically and
 * while its lock is still held, so a writer that takes the path after the lock is released finds
 * it free, never half removed. Returns the moved tree, to delete once the lock is released.
 */
function moveAside(created: readonly string[]): string | null {
  if (created.length === 0) return null;
  const outer = created[0];
  const aside = join(
    dirname(outer),
    `.${basename(outer)}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`,
  );
  try {
    renameSync(outer, aside);
    return aside;
  } catch {
    rmSync(outer, { recursive: true, force: true });
    return null;
  }
}

/** An open run directory; see {@link openRun}. */
export class Run<C = unknown> {
  readonly dir: string;
  readonly config: C;
  readonly status: RunStatus;
  private readonly lock: RunLock;
  private readonly created: string[];
  private readonly log: (msg: string) => void;
  private metricsLog: MetricsLog | null = null;
  private store: CheckpointStore | null = null;
  private recorded = false;
  private readonly openedAt = performance.now();
  private carried = 0;

  /** @internal use {@link openRun}. */
  constructor(
    dir: string,
    config: C,
    status: RunStatus,
    lock: RunLock,
    created: string[],
    log: (m: string) => void,
  ) {
    this.dir = dir;
    this.config = config;
    this.status = status;
    this.lock = lock;
    this.created = created;
    this.log = log;
  }

  /** Path of a file in the run. */
  file(name: string): string {
    return join(this.dir, name);
  }

  has(name: string): boolean {
    return existsSync(this.file(name));
  }

  /** Writes a JSON file atomically. */
  writeJson(name: string, value: unknown): void {
    atomicWrite(this.file(name), `${JSON.stringify(value, null, 2)}\n`);
  }

  /** Reads a JSON file; a RunDirError names the file when it is unreadable. */
  readJson<T>(name: string): T {
    return this.parseFile(name, JSON.parse) as T;
  }

  private parseFile(name: string, parse: (text: string) => unknown): unknown {
    try {
      return parse(readFileSync(this.file(name), "utf8"));
    } catch (e) {
      throw new RunDirError(
        name,
        "a readable JSON file (or start anew with --force)",
        this.file(name),
        (e as Error).message,
      );
    }
  }

  /**
   * Writes a JSON file of state the run reads back to resume (with {@link readState}), atomically:
   * its non-finite numbers round-trip, as in a checkpoint (`stateToJson`).
   */
  writeState(name: string, value: unknown): void {
    atomicWrite(this.file(name), `${stateToJson(value, 2)}\n`);
  }

  /** Reads a file written by {@link writeState} (or plain JSON); a RunDirError names the file when it is unreadable. */
  readState<T>(name: string): T {
    return this.parseFile(name, stateFromJson) as T;
  }

  /** Writes a text file atomically. */
  writeText(name: string, text: string): void {
    atomicWrite(this.file(name), text);
  }

  private metrics(): MetricsLog {
    this.metricsLog ??= new MetricsLog(this.file("metrics.jsonl"));
    return this.metricsLog;
  }

  /** Appends one step's metrics (one line of metrics.jsonl; a non-finite number as its text, "NaN"). */
  appendMetric(record: object): void {
    this.metrics().append(record);
    this.recorded = true;
  }

  /**
   * The metrics written so far (whole lines only), as metrics.jsonl holds them: a non-finite number,
   * at any depth, comes back as its text ("NaN", "Infinity", "-Infinity"), which the type says
   * (`WithNonFiniteText<T>` of @physml/lattice-core). For output that shows the records as stored
   * (JSON, a check of the file); {@link readMetricNumbers} reads those texts as the numbers.
   */
  readMetrics<T>(): WithNonFiniteText<T>[] {
    return readMetricsFile<T>(this.file("metrics.jsonl"));
  }

  /**
   * The metrics written so far (whole lines only) with every non-finite number's text, at any
   * depth, read back as the number (NaN, ±Infinity; `numbersFromText`): each record as it was
   * appended, for a learner that computes with them (a resumed run's history, a report's charts).
   * A string field must never hold such a text ("NaN" as a name would be read as NaN).
   */
  readMetricNumbers<T>(): T[] {
    return readMetricsFile<T>(this.file("metrics.jsonl")).map((m) => metricNumbers<T>(m));
  }

  /** Keeps the metrics of steps below `step` (for a resume from the checkpoint after `step` steps). */
  truncateMetrics(step: number): void {
    this.metrics().truncate(step);
  }

  /**
   * Keeps the metrics `keep` accepts, in order (rewritten atomically): for a resume whose
   * checkpoint is not a step count, e.g. the records of the parts of a run it holds finished.
   * `keep` sees each record with its numbers, as {@link readMetricNumbers} returns it; a kept line
   * is written again as it was stored.
   */
  keepMetrics<T>(keep: (record: T) => boolean): void {
    this.metrics().keep(keep);
  }

  private checkpoints(): CheckpointStore {
    this.store ??= new CheckpointStore(this.file("checkpoint"));
    return this.store;
  }

  /**
   * Seconds of work the earlier attempts of this run kept: the {@link workSeconds} stored with the
   * checkpoint this attempt continues from (0 until one is loaded, and for a new run). Time an
   * attempt spent after its last checkpoint was lost with it and is not counted. A command's
   * `seconds` is this plus the time of its own attempt.
   */
  get carriedSeconds(): number {
    return this.carried;
  }

  /** Seconds of work on this run so far: {@link carriedSeconds} plus this attempt's since it opened the run. */
  workSeconds(): number {
    return this.carried + (performance.now() - this.openedAt) / 1000;
  }

  /**
   * Saves the state after `step` steps, with {@link workSeconds}. The metrics appended so far are
   * made durable first, so a checkpoint never claims a step whose metrics line could be lost.
   */
  saveCheckpoint(step: number, state: unknown): void {
    this.metricsLog?.sync();
    this.checkpoints().save(step, state, this.workSeconds());
    this.recorded = true;
  }

  /**
   * The newest good checkpoint, or null when there is none. `validate` checks a stored state
   * and returns it typed (throw to reject it: the previous checkpoint is then used, and the log
   * says so). The run's {@link carriedSeconds} become the seconds stored with it.
   */
  loadCheckpoint<S>(validate: (state: unknown, step: number) => S): LoadedCheckpoint<S> | null {
    const c = this.checkpoints().load(validate, (m) => this.log(m));
    if (c) this.carried = c.seconds;
    return c;
  }

  /** Writes `arrays/<name>.npy` atomically. */
  writeArray(name: string, data: NpyArray, shape: readonly number[]): void {
    const dir = this.file("arrays");
    if (!existsSync(dir)) mkdirSync(dir);
    atomicWrite(join(dir, `${name}.npy`), encodeNpy(data, shape));
  }

  /** Reads `arrays/<name>.npy`. */
  readArray(name: string): { data: NpyArray; shape: number[]; dtype: string } {
    return decodeNpy(new Uint8Array(readFileSync(join(this.file("arrays"), `${name}.npy`))));
  }

  /**
   * The stored result, or null while the run is unfinished. A non-finite number comes back as its
   * text ("NaN", "Infinity", "-Infinity"), as {@link writeResult} stored it: what output that
   * prints the result as JSON wants. {@link resultNumbers} reads those texts as the numbers.
   */
  result<R>(): R | null {
    return this.has("result.json") ? this.readJson<R>("result.json") : null;
  }

  /**
   * The stored result with every non-finite number's text, at any depth, read back as the number
   * (NaN, ±Infinity; `numbersFromText`), or null while the run is unfinished: a finished run's
   * result as the run returned it when new, for a learner that computes with it or hands it on.
   */
  resultNumbers<R>(): R | null {
    return numbersFromText(this.result<R>());
  }

  /**
   * Writes result.json (the run is finished from then on). A non-finite number, at any depth, is
   * stored as its text (`jsonWithNonFiniteText`: "NaN", "Infinity", "-Infinity"), never as the null
   * plain JSON would write.
   */
  writeResult(result: unknown): void {
    this.metricsLog?.sync();
    atomicWrite(this.file("result.json"), `${jsonWithNonFiniteText(result, 2)}\n`);
  }

  /** Releases the lock. */
  close(): void {
    this.metricsLog?.close();
    this.metricsLog = null;
    this.lock.release();
  }

  /**
   * Closes a run that failed. A new run that recorded no step is removed again (the directories
   * this run created, or the files in a directory that was empty), so a failed start leaves
   * nothing behind; anything else is kept for --resume, with failure.json saying why when
   * `error`, what the run's code threw, is given (`runs ls` and `runs show` print it).
   */
  abandon(error?: unknown): void {
    const empty = this.status === "new" && !this.recorded;
    if (!empty && error !== undefined && !this.has("result.json")) {
      try {
        writeFailure(this.dir, failureOf(error));
      } catch (w) {
        // The error being reported matters more than the record of it.
        this.log(`could not record why the run failed in ${this.dir}: ${(w as Error).message}`);
      }
    }
    if (!empty) {
      this.close();
      return;
    }
    // Undone while the lock is held: a writer that takes the directory after it is released
    // must find it free, not lose its first files to this clean-up.
    const aside = moveAside(this.created);
    if (!this.created.length) {
      for (const name of readdirSync(this.dir))
        if (!IGNORED.has(name)) rmSync(this.file(name), { recursive: true, force: true });
    }
    this.close();
    if (aside) rmSync(aside, { recursive: true, force: true });
  }
}
