// Memory limits of commands that estimate what they will allocate before allocating it: the
// default limit (a share of the free memory), sizes in words ("4G"), the `--max-memory` option
// every such command shares and the refusal it raises. The estimates themselves live with what
// they estimate.
import { freemem } from "node:os";
import { z } from "zod";
import { PhysmlInputError } from "../errors.js";

/**
 * The default memory limit: 80% of the memory the system reports free (MemAvailable on Linux) or
 * of the process's cgroup limit, whichever is smaller.
 */
export function defaultMemoryLimit(): number {
  const free = freemem();
  const constrained = typeof process.constrainedMemory === "function" ? process.constrainedMemory() : 0;
  const cap = constrained && constrained > 0 && constrained < free ? constrained : free;
  return Math.floor(0.8 * cap);
}

/** "1.5 GB", "640 MB", … (powers of 1024). */
export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB", "PB"];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 || u === 0 ? v.toFixed(0) : v.toPrecision(3)} ${units[u]}`;
}

/**
 * Parses "4G", "512M", "1.5GB", "2000000" (bytes) into whole bytes; null when it is not a size or
 * is below one byte ("0.4" would otherwise round to a limit of 0 that refuses every run).
 */
export function parseBytes(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?$/i.exec(text.trim());
  if (!m) return null;
  const scale = { "": 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 }[
    m[2].toUpperCase() as "" | "K" | "M" | "G" | "T"
  ];
  const v = Number(m[1]) * scale;
  return Number.isFinite(v) && v >= 1 ? Math.floor(v) : null;
}

/**
 * The `--max-memory` option of every command that estimates its memory before allocating: a size
 * ("4G", "512M", bytes); absent means 80% of the free memory ({@link defaultMemoryLimit}).
 */
export const maxMemoryOption = z
  .string()
  .refine((s) => parseBytes(s) !== null, "a size")
  .optional()
  .meta({
    flag: "max-memory",
    description: "refuse runs estimated above this size",
    allowed: "a size such as 4G, 512M or 1000000 (bytes)",
    defaultText: "80% of the free memory",
  });

/** The limit of a `maxMemory` option value: its size, or {@link defaultMemoryLimit} when absent. */
export function memoryLimit(maxMemory: string | undefined): number {
  return maxMemory === undefined ? defaultMemoryLimit() : (parseBytes(maxMemory) ?? 0);
}

/** What a memory refusal names: the option that sizes the run, its value, and how to shrink the run. */
export interface MemoryRefusal {
  /** The option named in the error, e.g. `"points"`. */
  field: string;
  /** Its value. */
  received: unknown;
  /** What needs the memory, e.g. "L = 256 with 1024 chains" (default "this one"). */
  what?: string;
  /** The parts of the estimate in words, shown in parentheses. */
  parts?: string;
  /** What to lower, e.g. "lower --points". */
  advice?: string;
}

/**
 * Throws a {@link PhysmlInputError} naming `r.field` when `bytes` exceed the limit of `maxMemory`
 * ({@link memoryLimit}): "a run that fits in the memory limit of 4.00 GB (--max-memory): this one
 * needs ≈ 9.3 GB (…); lower --points". Returns the limit otherwise.
 */
export function refuseAboveMemoryLimit(
  bytes: number,
  maxMemory: string | undefined,
  r: MemoryRefusal,
): number {
  const limit = memoryLimit(maxMemory);
  if (bytes <= limit) return limit;
  const source = maxMemory === undefined ? "80% of the free memory; --max-memory" : "--max-memory";
  throw new PhysmlInputError(
    r.field,
    `a run that fits in the memory limit of ${formatBytes(limit)} (${source}): ${r.what ?? "this one"} needs ≈ ` +
      `${formatBytes(bytes)}${r.parts ? ` (${r.parts})` : ""}${r.advice ? `; ${r.advice}` : ""}`,
    r.received,
  );
}
