// A training inside a symmetry run directory: one metrics line per epoch, its checkpoints through
// the run's checkpoint store (checkpoint/step-<epochs>.json, atomic, the newest two kept), and,
// for a resumed run, the newest checkpoint to continue from. The run wrapper empties
// metrics.jsonl before the body runs, so the checkpoint's epochs are written there again first
// and the file goes on with no line twice.
import type { Run } from "@physml/runs";
import { checkTrainingCheckpoint, type TrainingCheckpoints, type TrainingKind } from "./checkpoint.js";

/** Default seconds between checkpoints during a training. */
export const CHECKPOINT_SECONDS = 30;

/** How a training in a run checkpoints and says where it resumes. */
export interface TrainingRunOptions {
  /** Seconds between checkpoints during training (default {@link CHECKPOINT_SECONDS}; 0: every epoch). */
  checkpointSeconds?: number;
  /** Hears where a resumed run continues from. */
  onResume?: (message: string) => void;
}

/** What a command's body hands its training: where to checkpoint, and the epoch recorder. */
export interface TrainingRun<M> {
  checkpoints: TrainingCheckpoints<M>;
  /** Writes one epoch's metrics line (`step` is the epoch − 1). */
  record(m: M): void;
}

/**
 * The checkpointing of the one `training` of `run`. A resumed run's newest checkpoint that passes
 * {@link checkTrainingCheckpoint} is the one to continue (a rejected one falls back to the one
 * before it; none readable is a CheckpointError naming the `resume.*` field).
 */
export function trainingRun<M extends { epoch: number }>(
  run: Run<unknown>,
  training: TrainingKind,
  opts: TrainingRunOptions = {},
): TrainingRun<M> {
  const record = (m: M) => run.appendMetric({ step: m.epoch - 1, ...m });
  const last =
    run.status === "resumed" ? run.loadCheckpoint((s) => checkTrainingCheckpoint<M>(s, training)) : null;
  if (last) {
    for (const m of last.state.history) record(m);
    opts.onResume?.(`resuming from ${last.file} after epoch ${last.state.history.length}`);
  }
  return {
    checkpoints: {
      from: last?.state ?? null,
      save: (cp) => run.saveCheckpoint(cp.history.length, cp),
      seconds: opts.checkpointSeconds ?? CHECKPOINT_SECONDS,
    },
    record,
  };
}
