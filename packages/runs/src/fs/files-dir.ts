// A directory for a command's plain output files (a sample's .npy arrays), which keeps no run of
// its own: it may be new or hold other files, but never a run directory, whose files it would mix
// with those of another command's run (and write beside a live run without its lock).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { LOCK_FILE } from "../dir/lock.js";
import { readRunConfig } from "../dir/run.js";
import { aRunOf } from "../dir/run-kind.js";
import { RunDirError } from "../errors.js";
import { ensureRunDir } from "./out-path.js";

/**
 * Makes sure `path` is a directory for plain output files, as {@link ensureRunDir} does (creating
 * it and any missing parents; returns the directories it created), and refuses a run directory:
 * one with a config.json or a lock. Throws a {@link RunDirError} for field `field` otherwise.
 */
export function ensureFilesDir(path: string, field = "out"): string[] {
  const created = ensureRunDir(path, field);
  const locked = existsSync(join(path, LOCK_FILE));
  if (locked || existsSync(join(path, "config.json"))) {
    let kind = "unknown";
    try {
      kind = readRunConfig(path, field)?.kind ?? kind;
    } catch {
      // An unreadable config.json still marks a run directory; its kind is just not known.
    }
    throw new RunDirError(
      field,
      "a directory that holds no run (another command's run directory would mix its files with these)",
      path,
      kind === "unknown" ? "it holds a run directory" : `it holds ${aRunOf(kind)}`,
    );
  }
  return created;
}
