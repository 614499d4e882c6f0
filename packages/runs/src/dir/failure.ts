// failure.json: why a run stopped without a result, written when the code running it throws
// (a SIGKILL, an out-of-memory kill or a power cut write nothing: such a run stays "unfinished"
// without a reason). It goes once the run is opened again (resumed; a forced run archives it with
// the old run), so it always describes the last attempt.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { FAILURE_EXIT_CODES, type FailureCategory, failureCategory } from "@physml/lattice-core";
import { atomicWrite, fsyncDir } from "../fs/atomic.js";

/** The file in a run directory that says why its last attempt failed. */
export const FAILURE_FILE = "failure.json";

/** failure.json: why the last attempt at a run failed. */
export interface RunFailure {
  /** `input` (bad input) or `crash` (anything else); `kind` is the run's, in config.json. */
  category: FailureCategory;
  /** The exit code the command ended with (2 for input, 1 for a crash). */
  code: 1 | 2;
  /** The error's first line (a command may print it restated for its flag: `--L: …` for `L: …`). */
  message: string;
  /** When it failed (ISO 8601). */
  failedAt: string;
}

/** The failure record of the thrown value `e`. */
export function failureOf(e: unknown, failedAt = new Date()): RunFailure {
  const category = failureCategory(e);
  const text = e instanceof Error ? e.message : String(e);
  return {
    category,
    code: FAILURE_EXIT_CODES[category],
    message: text.split("\n")[0],
    failedAt: failedAt.toISOString(),
  };
}

/** Writes failure.json into the run directory `dir`, atomically. */
export function writeFailure(dir: string, failure: RunFailure): void {
  atomicWrite(join(dir, FAILURE_FILE), `${JSON.stringify(failure, null, 2)}\n`);
}

/** Removes failure.json from `dir` (nothing when there is none). */
export function clearFailure(dir: string): void {
  const path = join(dir, FAILURE_FILE);
  if (!existsSync(path)) return;
  rmSync(path);
  fsyncDir(dir);
}

/** failure.json of `dir`, or null when there is none; throws when it does not parse. */
export function readFailure(dir: string): RunFailure | null {
  let text: string;
  try {
    text = readFileSync(join(dir, FAILURE_FILE), "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
  return JSON.parse(text) as RunFailure;
}
