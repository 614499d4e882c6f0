// Support for tests of `--resume` (`@physml/runs/testing`): a run that dies as it writes a
// checkpoint. The death is an error thrown from `Run#saveCheckpoint` before anything of that
// checkpoint is written, so the run directory holds what a SIGKILL at that moment leaves (every
// earlier checkpoint, written atomically, and the metrics flushed with it), except that the
// thrown error is recorded in failure.json, which the resume removes.
import { Run } from "./dir/run.js";

/** What a run "killed" by {@link killedAtCheckpoint} throws. */
export class CheckpointKill extends Error {
  constructor(readonly checkpoint: number) {
    super(`killed as it wrote checkpoint ${checkpoint} (a test of --resume)`);
    this.name = "CheckpointKill";
  }
}

/**
 * Runs `body` with every run dying as it writes its checkpoint `k + 1` (the `k` before it are
 * written): returns what `body` returns (a CLI run's exit code, say) or rejects with what it
 * throws, a {@link CheckpointKill} unless `body` catches it. `Run#saveCheckpoint` is restored after.
 */
export async function killedAtCheckpoint<T>(k: number, body: () => Promise<T>): Promise<T> {
  const save = Run.prototype.saveCheckpoint;
  let saved = 0;
  Run.prototype.saveCheckpoint = function (this: Run<unknown>, step: number, state: unknown): void {
    if (++saved > k) throw new CheckpointKill(saved);
    save.call(this, step, state);
  };
  try {
    return await body();
  } finally {
    Run.prototype.saveCheckpoint = save;
  }
}
