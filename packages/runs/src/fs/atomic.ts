// Durable whole-file writes: a temporary file in the same directory, written and fsynced, then
// renamed over the target and the directory fsynced, so that after a crash at any instant the
// target holds either the old or the new contents, never a mix.
import {
  closeSync,
  fsyncSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";

const TMP = /\.tmp-\d+-[0-9a-f]+$/;

/** Fsyncs a directory so a rename or unlink in it is durable (a no-op where unsupported). */
export function fsyncDir(dir: string): void {
  let fd = -1;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Some filesystems refuse to fsync a directory; the rename is still atomic there.
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/** Writes `data` to `path` atomically and durably (temp + fsync + rename + fsync of the directory). */
export function atomicWrite(path: string, data: string | Uint8Array): void {
  const tmp = join(
    dirname(path),
    `.${basename(path)}.tmp-${process.pid}-${Math.floor(Math.random() * 2 ** 32).toString(16)}`,
  );
  const fd = openSync(tmp, "w");
  try {
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
  fsyncDir(dirname(path));
}

/**
 * Removes temporary files left by writes that were killed before their rename, in `dir` (and with
 * `recursive`, every directory below it: arrays/, checkpoint/, …; symbolic links are not followed).
 * Call only while holding the directory's lock, no other writer can then own them, and recurse
 * only into a directory known to be a run's. Returns their paths relative to `dir`.
 */
export function removeStaleTemps(dir: string, opts: { recursive?: boolean } = {}): string[] {
  const removed: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && opts.recursive) {
      for (const name of removeStaleTemps(join(dir, entry.name), opts)) removed.push(join(entry.name, name));
    } else if (entry.isFile() && TMP.test(entry.name)) {
      unlinkSync(join(dir, entry.name));
      removed.push(entry.name);
    }
  }
  return removed;
}
