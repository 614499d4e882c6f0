// checkpoint/: the learner's state after step n as step-<n>.json, written atomically, with the
// seconds of work on the run so far (beside the state, so comparing states leaves time out, which
// differs between runs that end alike). The newest two are kept, so a checkpoint that turns out unreadable (a disk error, a hand edit, a
// different version) falls back to the one before it, and the run says so. The file is state JSON
// (../fs/state-json.ts), so a state holding NaN or ±Infinity (a diverged loss) reads back exactly.
import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { CheckpointError } from "../errors.js";
import { atomicWrite, fsyncDir, removeStaleTemps } from "../fs/atomic.js";
import { stateFromJson, stateToJson } from "../fs/state-json.js";

const NAME = /^step-(\d+)\.json$/;
/** Checkpoints kept on disk: the latest and the last good one before it. */
export const CHECKPOINTS_KEPT = 2;

/** A checkpoint read back: the step it was written after, the state, and the run's seconds then. */
export interface LoadedCheckpoint<S> {
  step: number;
  state: S;
  /**
   * Seconds of work on the run when it was written, summed over the attempts before (0 for a
   * checkpoint written before the seconds were stored).
   */
  seconds: number;
  /** The file it came from, relative to the run directory. */
  file: string;
}

/** The checkpoint folder of one run. */
export class CheckpointStore {
  readonly dir: string;

  /** With `readOnly`, nothing is created or cleaned (for inspecting a run another process owns). */
  constructor(dir: string, opts: { readOnly?: boolean } = {}) {
    this.dir = dir;
    if (opts.readOnly) return;
    if (!existsSync(dir)) mkdirSync(dir);
    removeStaleTemps(dir);
  }

  /** Steps of the checkpoints on disk, newest first. */
  steps(): number[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .flatMap((n) => {
        const m = NAME.exec(n);
        return m ? [Number(m[1])] : [];
      })
      .sort((a, b) => b - a);
  }

  private file(step: number): string {
    return `step-${String(step).padStart(8, "0")}.json`;
  }

  /**
   * Writes the state after `step` steps and the run's `seconds` of work so far, then removes all
   * but the newest {@link CHECKPOINTS_KEPT}.
   */
  save(step: number, state: unknown, seconds: number): void {
    atomicWrite(join(this.dir, this.file(step)), stateToJson({ step, seconds, state }));
    const old = this.steps().slice(CHECKPOINTS_KEPT);
    for (const s of old) unlinkSync(join(this.dir, this.file(s)));
    if (old.length) fsyncDir(this.dir);
  }

  /**
   * The newest checkpoint that parses and passes `validate` (which may throw to reject it and
   * returns the state to use). Each rejected one is reported through `warn` with the reason;
   * null when there is none; a {@link CheckpointError} when every one is unreadable.
   */
  load<S>(
    validate: (state: unknown, step: number) => S,
    warn: (msg: string) => void,
  ): LoadedCheckpoint<S> | null {
    const steps = this.steps();
    const failures: string[] = [];
    for (const step of steps) {
      const rel = `checkpoint/${this.file(step)}`;
      try {
        const raw = stateFromJson(readFileSync(join(this.dir, this.file(step)), "utf8")) as {
          step?: unknown;
          seconds?: unknown;
          state?: unknown;
        };
        if (typeof raw !== "object" || raw === null || raw.step !== step || !("state" in raw)) {
          throw new Error(`not a checkpoint of step ${step}`);
        }
        const seconds = raw.seconds ?? 0;
        if (typeof seconds !== "number" || !(seconds >= 0) || !Number.isFinite(seconds))
          throw new Error(`its seconds is not a number of seconds >= 0 (${JSON.stringify(raw.seconds)})`);
        const state = validate(raw.state, step);
        if (failures.length) warn(`falling back to ${rel}`);
        return { step, state, seconds, file: rel };
      } catch (e) {
        const why = (e as Error).message;
        failures.push(`${rel}: ${why}`);
        warn(`${rel} is unreadable (${why})`);
      }
    }
    if (failures.length)
      throw new CheckpointError(this.dir, `no readable checkpoint: ${failures.join("; ")}`);
    return null;
  }
}
