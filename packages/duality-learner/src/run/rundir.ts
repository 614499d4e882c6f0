// The run directory: config.json, metrics.jsonl (one line per finished step), target.json,
// checkpoint.json, result.json and report.html. Every whole-file write goes to a temporary file
// first and is then renamed over the old one, so a killed run never leaves a torn file.
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Writes `data` to `path` atomically (temporary file in the same directory, then rename). */
export function atomicWrite(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** One run's directory on disk. */
export class RunDir {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
    mkdirSync(path, { recursive: true });
  }

  file(name: string): string {
    return join(this.path, name);
  }

  has(name: string): boolean {
    return existsSync(this.file(name));
  }

  writeJson(name: string, value: unknown): void {
    atomicWrite(this.file(name), `${JSON.stringify(value, null, 2)}\n`);
  }

  readJson<T>(name: string): T {
    return JSON.parse(readFileSync(this.file(name), "utf8")) as T;
  }

  writeText(name: string, text: string): void {
    atomicWrite(this.file(name), text);
  }

  /** Appends one JSON line to metrics.jsonl. */
  appendMetric(record: object): void {
    appendFileSync(this.file("metrics.jsonl"), `${JSON.stringify(record)}\n`);
  }

  /** The metrics lines (a torn last line from a kill is dropped). */
  readMetrics<T extends { step: number }>(): T[] {
    if (!this.has("metrics.jsonl")) return [];
    const out: T[] = [];
    for (const line of readFileSync(this.file("metrics.jsonl"), "utf8").split("\n")) {
      if (line.trim() === "") continue;
      try {
        out.push(JSON.parse(line) as T);
      } catch {
        break;
      }
    }
    return out;
  }

  /** Keeps only the metric lines of steps < `step` (rewritten atomically). */
  truncateMetrics(step: number): void {
    const kept = this.readMetrics().filter((m) => m.step < step);
    atomicWrite(this.file("metrics.jsonl"), kept.map((m) => `${JSON.stringify(m)}\n`).join(""));
  }
}
