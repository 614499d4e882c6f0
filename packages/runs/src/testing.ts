// Support for tests of `--resume` (`@physml/runs/testing`): a run that dies as it writes a
// checkpoint. The death is an error thrown from `Run#saveCheckpoint` before anything of that
// checkpoint is written, so the run directory holds what a SIGKILL at that moment leaves (every
// earlier checkpoint, written atomically, and the metrics flushed with it), except that the
// thrown error is recorded in failure.json, which the resume removes. And the seconds of work
// stored with a checkpoint: left out of a comparison, or set as a long attempt leaves them.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Run } from "./dir/run.js";
import { stateFromJson } from "./fs/state-json.js";

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

/**
 * The checkpoint file at `path` without its seconds of work, which differ between runs that end
 * alike: what a test that compares a resumed run's checkpoint with an uninterrupted run's compares
 * (its non-finite numbers read back as numbers, as the learner reads them).
 */
export function timelessCheckpoint(path: string): { step: unknown; state: unknown } {
  const { step, state } = stateFromJson(readFileSync(path, "utf8")) as { step: unknown; state: unknown };
  return { step, state };
}

/**
 * Sets the seconds of work stored with the newest checkpoint of the run directory `dir` to
 * `seconds`, as an attempt that worked that long before it was killed would have left them, and
 * returns the checkpoint's file: a test then checks that the resumed run reports at least them.
 */
export function setCheckpointSeconds(dir: string, seconds: number): string {
  const folder = join(dir, "checkpoint");
  const newest = readdirSync(folder)
    .filter((n) => /^step-\d+\.json$/.test(n))
    .sort()
    .at(-1);
  if (newest === undefined) throw new Error(`${folder} holds no checkpoint`);
  const file = join(folder, newest);
  const cp = JSON.parse(readFileSync(file, "utf8")) as object;
  writeFileSync(file, JSON.stringify({ ...cp, seconds }));
  return file;
}
