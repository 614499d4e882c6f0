// Validation and creation of a run directory path, before anything is written: an empty path,
// a path through a file, or a place where no directory can be made is a one-line error naming
// the flag, never an errno dump (and never Node's recursive mkdir, which loops forever on
// /proc/foo).
import { accessSync, constants, mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { RunDirError } from "../errors.js";

const ALLOWED = "a path to a directory that exists or can be created";

function statOrNull(p: string) {
  try {
    return statSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw e;
  }
}

/**
 * Makes sure `path` is a directory, creating it and any missing parents one level at a time.
 * Returns the directories it created (outermost first), so a failed start can remove them.
 * Throws a {@link RunDirError} for field `field` otherwise.
 */
export function ensureRunDir(path: string, field = "out"): string[] {
  if (typeof path !== "string" || path.trim() === "") throw new RunDirError(field, ALLOWED, path);
  const abs = resolve(path);
  const missing: string[] = [];
  let p = abs;
  for (;;) {
    const st = statOrNull(p);
    if (st) {
      if (!st.isDirectory()) {
        throw new RunDirError(field, ALLOWED, path, `${p} is a file, not a directory`);
      }
      try {
        accessSync(p, constants.W_OK | constants.X_OK);
      } catch {
        throw new RunDirError(field, ALLOWED, path, `${p} is not writable`);
      }
      break;
    }
    missing.unshift(p);
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  const created: string[] = [];
  for (const d of missing) {
    try {
      mkdirSync(d);
      created.push(d);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? "error";
      // Another process made it between the look and the mkdir (two writers starting on one new
      // --out at once): it is there, and not ours to remove; the run's lock decides between them.
      if (code === "EEXIST" && statOrNull(d)?.isDirectory()) continue;
      throw new RunDirError(field, ALLOWED, path, `cannot create ${d} (${code})`);
    }
  }
  return created;
}

const FILE_ALLOWED = "a file path in an existing, writable directory";

/**
 * Checks, before any work, that a single output file (a table, a report) can be written at
 * `path`: its directory exists and is writable, and `path` is not itself a directory. Throws a
 * {@link RunDirError} for field `field` otherwise (one line naming the flag, not an errno dump
 * after the work is done).
 */
export function checkOutputFile(path: string, field = "output"): void {
  if (typeof path !== "string" || path.trim() === "") throw new RunDirError(field, FILE_ALLOWED, path);
  const abs = resolve(path);
  const target = statOrNull(abs);
  if (target?.isDirectory()) throw new RunDirError(field, FILE_ALLOWED, path, `${abs} is a directory`);
  const dir = dirname(abs);
  const st = statOrNull(dir);
  if (!st) throw new RunDirError(field, FILE_ALLOWED, path, `${dir} does not exist`);
  if (!st.isDirectory())
    throw new RunDirError(field, FILE_ALLOWED, path, `${dir} is a file, not a directory`);
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch {
    throw new RunDirError(field, FILE_ALLOWED, path, `${dir} is not writable`);
  }
}
