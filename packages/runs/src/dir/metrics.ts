// metrics.jsonl: one JSON object per line, appended with one write(2) per line so a kill leaves
// whole lines only. A torn tail (from a crash of the machine, or an older writer) is cut off
// when the log is opened for writing, so the next line never joins it.
// A non-finite number (a diverged loss: a normal event for a learner that restarts) is written as
// its text, "NaN", "Infinity" or "-Infinity" (jsonWithNonFiniteText, as result.json is), never as the
// null JSON.stringify would write: a reader sees the text where the number was.

import { closeSync, fdatasyncSync, openSync, readFileSync, statSync, truncateSync, writeSync } from "node:fs";
import { jsonWithNonFiniteText, numbersFromText, type WithNonFiniteText } from "@physml/lattice-core";
import { atomicWrite } from "../fs/atomic.js";

/**
 * The whole lines of a metrics file, parsed; a torn last line is dropped. A non-finite number
 * comes back as its text ("NaN", "Infinity", "-Infinity"); {@link metricNumbers} reads it as the
 * number again.
 */
export function readMetricsFile<T>(path: string): WithNonFiniteText<T>[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  const out: WithNonFiniteText<T>[] = [];
  const lines = text.split("\n");
  // The text after the last newline is an unfinished line.
  for (const line of lines.slice(0, -1)) {
    if (line.trim() === "") continue;
    try {
      out.push(JSON.parse(line) as WithNonFiniteText<T>);
    } catch {
      break;
    }
  }
  return out;
}

/**
 * A record as read back, with each non-finite number's text ("NaN", "Infinity", "-Infinity"), at
 * any depth, the number again: the record as it was appended (for records whose strings are never
 * such a text: names, phases).
 */
export function metricNumbers<T>(record: WithNonFiniteText<T>): T {
  // numbersFromText turns every text WithNonFiniteText<T> allows in place of a number back into one
  return numbersFromText(record) as T;
}

/** One record as one line of the file. */
const metricsLine = (record: object): string => `${jsonWithNonFiniteText(record)}\n`;

/** Byte length of the whole-line prefix of a metrics file. */
function wholeLinesLength(path: string): number {
  const buf = readFileSync(path);
  const last = buf.lastIndexOf(0x0a);
  return last + 1;
}

/** An open metrics log for appending. */
export class MetricsLog {
  readonly path: string;
  private fd: number;

  constructor(path: string) {
    this.path = path;
    this.fd = openSync(path, "a");
    const size = statSync(path).size;
    const whole = size > 0 ? wholeLinesLength(path) : 0;
    if (whole < size) truncateSync(path, whole);
  }

  /** Appends one record as one line; a non-finite number is written as its text. */
  append(record: object): void {
    const bytes = Buffer.from(metricsLine(record), "utf8");
    let off = 0;
    while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off);
  }

  /** Makes every appended line durable (called before a checkpoint claims them). */
  sync(): void {
    fdatasyncSync(this.fd);
  }

  /** Keeps only records whose `step` is below `step` (rewritten atomically). */
  truncate(step: number): void {
    this.keep<{ step: number }>((m) => m.step < step);
  }

  /**
   * Keeps only the records `keep` accepts, in order (rewritten atomically). `keep` sees each record
   * with its numbers ({@link metricNumbers}); a kept line is written again as it was stored.
   */
  keep<T>(keep: (record: T) => boolean): void {
    const kept = readMetricsFile<T>(this.path).filter((m) => keep(metricNumbers<T>(m)));
    closeSync(this.fd);
    atomicWrite(this.path, kept.map((m) => metricsLine(m as object)).join(""));
    this.fd = openSync(this.path, "a");
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}
