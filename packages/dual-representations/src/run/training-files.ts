// Finished trainings are stored once each, as trainings/<i>.json (tag, learned parameters, epoch
// history), and a checkpoint refers to them by file instead of carrying every finished training's
// parameters again: the checkpoint written after each training stays small, so the bytes written
// over a run grow linearly with its trainings, not quadratically. A training's file is written
// (atomically, durably) before the first checkpoint that refers to it, so a kill at any instant
// leaves every referred file in place. Checkpoints that hold their trainings inline (written before
// this) are still read.
import { mkdirSync, readFileSync } from "node:fs";
import { isObject, PhysmlInputError } from "@physml/lattice-core";
import type { Run } from "@physml/runs";
import type { StoredTraining, TrainingInProgress, TrainingsCheckpoint } from "../train/trainings.js";

/** The run directory's folder of finished trainings. */
export const TRAININGS_DIR = "trainings";

/** The file of the run's i-th finished training (0-based), relative to the run directory. */
export const trainingFile = (i: number): string => `${TRAININGS_DIR}/${String(i).padStart(4, "0")}.json`;

/** A finished training as a checkpoint refers to it. */
export interface TrainingRef {
  tag: string;
  file: string;
}

/** A checkpoint as stored: finished trainings by reference (their seconds beside), the one in progress inline. */
export interface StoredCheckpoint {
  trainings: TrainingRef[];
  trainingSeconds?: number[];
  current?: TrainingInProgress;
}

/** Writes each finished training once and turns the ledger's checkpoints into stored ones. */
export class TrainingFiles {
  private written: number;

  /** `kept`: finished trainings whose files are already in the run (a resumed run's). */
  constructor(
    private readonly run: Run<unknown>,
    kept = 0,
  ) {
    this.written = kept;
  }

  /** Writes the trainings finished since the last call to their files; returns what to save. */
  stored(cp: TrainingsCheckpoint): StoredCheckpoint {
    if (this.written < cp.trainings.length) mkdirSync(this.run.file(TRAININGS_DIR), { recursive: true });
    for (; this.written < cp.trainings.length; this.written++)
      this.run.writeText(trainingFile(this.written), JSON.stringify(cp.trainings[this.written]));
    const trainings = cp.trainings.map((t, i) => ({ tag: t.tag, file: trainingFile(i) }));
    const done = cp.trainingSeconds ? { trainings, trainingSeconds: cp.trainingSeconds } : { trainings };
    return cp.current ? { ...done, current: cp.current } : done;
  }

  /**
   * A stored checkpoint with its referred trainings read back inline (the form
   * `checkTrainingsCheckpoint` checks). A reference to another file than the i-th training's, an
   * unreadable file or one holding another tag is refused with a PhysmlInputError naming
   * `resume.trainings.<i>.file`. Inline trainings pass unchanged.
   */
  read(raw: unknown): unknown {
    if (!isObject(raw) || !Array.isArray(raw.trainings)) return raw;
    const trainings = raw.trainings.map((t, i) => {
      if (!isObject(t) || typeof t.file !== "string" || "params" in t) return t;
      const field = `resume.trainings.${i}.file`;
      if (t.file !== trainingFile(i)) throw new PhysmlInputError(field, trainingFile(i), t.file);
      let stored: unknown;
      try {
        stored = JSON.parse(readFileSync(this.run.file(t.file), "utf8"));
      } catch (e) {
        throw new PhysmlInputError(field, "a readable training file", `${t.file}: ${(e as Error).message}`);
      }
      if (!isObject(stored) || stored.tag !== t.tag)
        throw new PhysmlInputError(
          field,
          `a file holding training ${JSON.stringify(t.tag)}`,
          isObject(stored) ? JSON.stringify(stored.tag) : typeof stored,
        );
      return stored as unknown as StoredTraining;
    });
    return { ...raw, trainings };
  }
}
