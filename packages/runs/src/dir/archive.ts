// --force moves the run in a directory to `<dir>.archived-<time>` beside it, one entry at a time
// (the lock stays, so no other writer gets in). A kill part-way must not leave a directory that is
// neither the old run nor empty: the move is announced first in `archiving.json` (where to), and
// config.json goes last; opening the directory again finishes an announced move before anything
// else, so the old run ends whole in its one archive and the directory empty.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { atomicWrite, fsyncDir } from "../fs/atomic.js";

/** The marker of a move in progress: `{ to }`, the archive directory. */
export const ARCHIVING_FILE = "archiving.json";

/**
 * Moves every entry of run directory `dir` except `keep` (the lock) into the archive `to`
 * (default: a new `<dir>.archived-<time>`), config.json last. Returns the archive's path.
 */
export function archiveRun(
  dir: string,
  keep: ReadonlySet<string>,
  log: (m: string) => void,
  to?: string,
): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const abs = resolve(dir);
  const target = to ?? join(dirname(abs), `${basename(abs)}.archived-${stamp}`);
  atomicWrite(join(dir, ARCHIVING_FILE), `${JSON.stringify({ to: target })}\n`);
  if (!existsSync(target)) mkdirSync(target);
  const names = readdirSync(dir).filter((n) => !keep.has(n) && n !== ARCHIVING_FILE);
  // config.json last: until the end the directory is still a run, and its marker says where to go
  names.sort((a, b) => Number(a === "config.json") - Number(b === "config.json"));
  for (const name of names) renameSync(join(dir, name), join(target, name));
  fsyncDir(target);
  rmSync(join(dir, ARCHIVING_FILE));
  fsyncDir(dir);
  log(`archived the previous run to ${target}`);
  return target;
}

/**
 * Finishes a move that a killed `--force` left half done in `dir` (its archiving.json names the
 * archive, a sibling `<dir>.archived-…`); returns the archive's path, or null when there was none
 * (or the file names no such archive: then it is not ours, and nothing moves).
 */
export function finishArchive(
  dir: string,
  keep: ReadonlySet<string>,
  log: (m: string) => void,
): string | null {
  const marker = join(dir, ARCHIVING_FILE);
  if (!existsSync(marker)) return null;
  const to = markedArchive(marker);
  // only a marker naming a sibling archive of this directory is ours: anything else (a user's
  // own archiving.json in a directory that is not a run) moves nothing
  const ours =
    typeof to === "string" &&
    dirname(to) === dirname(resolve(dir)) &&
    basename(to).startsWith(`${basename(resolve(dir))}.archived-`);
  if (!ours) return null;
  log("finishing the archive of the previous run that an interrupted --force began");
  return archiveRun(dir, keep, log, to);
}

/** The `to` of an archiving.json (undefined when it does not parse). */
function markedArchive(marker: string): unknown {
  try {
    return (JSON.parse(readFileSync(marker, "utf8")) as { to?: unknown }).to;
  } catch {
    return undefined;
  }
}
