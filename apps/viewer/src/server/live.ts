// Follows a growing metrics.jsonl: the whole lines appended since the last look, parsed. A line
// that is not JSON is reported with its number and skipped; an unfinished last line waits for
// its newline; a file that shrank or was replaced (a resumed run rewrites its metrics through a
// rename, which may already have grown again by the next look) starts over.
import { closeSync, openSync, readSync, statSync } from "node:fs";

/** What a {@link MetricsTail} reports. */
export interface TailEvents {
  /** Records of whole new lines; `from` is the 1-based line number of the first. */
  records(records: unknown[], from: number): void;
  /** The file was truncated or replaced: everything shown so far is stale. */
  reset(): void;
  /** A line that could not be read. */
  problem(message: string): void;
}

/** Reads the lines appended to a metrics file since the previous {@link MetricsTail.poll}. */
export class MetricsTail {
  private offset = 0;
  private line = 0;
  private ino = -1;
  constructor(
    readonly path: string,
    private readonly on: TailEvents,
  ) {}

  /** Reads what was appended since the last call (nothing when the file does not exist yet). */
  poll(): void {
    const st = statSync(this.path, { throwIfNoEntry: false });
    if (!st) return;
    const size = st.size;
    if (size < this.offset || (this.ino >= 0 && st.ino !== this.ino)) {
      this.offset = 0;
      this.line = 0;
      this.on.reset();
    }
    this.ino = st.ino;
    if (size === this.offset) return;
    const fd = openSync(this.path, "r");
    let bytes: Buffer;
    try {
      bytes = Buffer.alloc(size - this.offset);
      const n = readSync(fd, bytes, 0, bytes.length, this.offset);
      bytes = bytes.subarray(0, n);
    } finally {
      closeSync(fd);
    }
    const end = bytes.lastIndexOf(0x0a);
    if (end < 0) return;
    this.offset += end + 1;
    const records: unknown[] = [];
    const from = this.line + 1;
    for (const text of bytes.subarray(0, end).toString("utf8").split("\n")) {
      this.line++;
      if (text.trim() === "") continue;
      try {
        records.push(JSON.parse(text));
      } catch (e) {
        this.on.problem(`metrics.jsonl line ${this.line} is not JSON (${(e as Error).message}); skipped`);
      }
    }
    if (records.length) this.on.records(records, from);
  }
}
