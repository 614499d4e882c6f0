// One writer per run: a lock file created with O_EXCL holding the writer's pid and host. A second
// writer gets a RunLockedError naming them. A lock left by a killed process on this host (its pid
// no longer alive) is stale and taken over; a lock from another host cannot be checked from here
// and is reported with the way to remove it.
import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { RunDirError, RunLockedError } from "../errors.js";

/** The lock file's name inside a run directory. */
export const LOCK_FILE = "run.lock";

/**
 * How long an empty lock file is taken for a live writer's (one that has created it and is about
 * to write its pid) before it counts as left by a process killed in between.
 */
export const EMPTY_LOCK_GRACE_MS = 2000;

/** Who holds a lock. */
export interface LockHolder {
  pid: number;
  host: string;
  startedAt?: string;
}

/** A held lock. */
export interface RunLock {
  readonly path: string;
  /** Removes the lock file (idempotent). */
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readHolder(path: string): LockHolder | null {
  try {
    const h = JSON.parse(readFileSync(path, "utf8")) as LockHolder;
    return Number.isInteger(h.pid) && typeof h.host === "string" ? h : null;
  } catch {
    return null;
  }
}

function tryCreate(path: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  }
  try {
    writeSync(fd, `${JSON.stringify(holder)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

// Taking over a stale lock is itself guarded (mkdir is atomic), so two processes that both find
// the same dead holder cannot remove each other's fresh lock.
function breakStale(path: string, stale: LockHolder): void {
  const guard = `${path}.break`;
  try {
    mkdirSync(guard);
  } catch {
    // Another process is taking it over; a guard older than 10 s belongs to a killed one.
    try {
      if (Date.now() - statSync(guard).mtimeMs > 10_000) rmdirSync(guard);
    } catch {}
    return;
  }
  try {
    const now = readHolder(path);
    if (now && now.pid === stale.pid && now.host === stale.host) unlinkSync(path);
    // A lock file that is empty or torn (its writer killed between create and write) is stale too.
    else if (!now) unlinkSync(path);
  } catch {
  } finally {
    rmdirSync(guard);
  }
}

/**
 * Takes the lock of run directory `dir` for this process. `onStale` hears about a stale lock that
 * was taken over. Throws {@link RunLockedError} while another live process holds it. `file` names
 * the lock file (a sweep directory has its own, `sweep.lock`); `field` the option that named the
 * directory, for the error (default `out`).
 */
export function acquireLock(
  dir: string,
  onStale?: (msg: string) => void,
  file = LOCK_FILE,
  field = "out",
): RunLock {
  const path = join(dir, file);
  const me: LockHolder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  // Waiting out an empty lock's grace spends no attempt, up to this deadline.
  const deadline = Date.now() + 2 * EMPTY_LOCK_GRACE_MS;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(path, me)) {
      let held = true;
      const onExit = () => release();
      const release = () => {
        if (!held) return;
        held = false;
        process.off("exit", onExit);
        const h = readHolder(path);
        if (h && h.pid === me.pid && h.host === me.host) unlinkSync(path);
      };
      process.on("exit", onExit);
      return { path, release };
    }
    const holder = readHolder(path);
    if (holder && holder.host !== me.host) {
      throw new RunLockedError(
        dir,
        holder,
        `if that process is gone, delete ${path} by hand (a lock from another host cannot be checked from here)`,
        field,
      );
    }
    if (holder && (holder.pid === me.pid || alive(holder.pid))) {
      throw new RunLockedError(dir, holder, "wait for it to finish, or choose another directory", field);
    }
    if (!holder) {
      // Created but not yet written by a live writer, or torn by a kill: look again shortly, and
      // once the grace is over take it for stale.
      const st = statSync(path, { throwIfNoEntry: false });
      if (!st) continue;
      const left = EMPTY_LOCK_GRACE_MS - (Date.now() - st.mtimeMs);
      if (left >= 0) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(250, left + 10));
        if (Date.now() < deadline) attempt--;
        continue;
      }
    }
    onStale?.(
      holder
        ? `removing the stale lock of pid ${holder.pid} on ${holder.host} (no such process)`
        : "removing an empty, stale lock file",
    );
    breakStale(path, holder ?? { pid: -1, host: "" });
  }
  const holder = readHolder(path);
  if (!holder)
    throw new RunDirError(
      field,
      "a run directory no other process is writing",
      dir,
      `its ${file} is empty (another process is creating it, or one was killed as it did); try again`,
    );
  throw new RunLockedError(dir, holder, "could not take over the lock", field);
}
