// Memory limits of commands that estimate what they will allocate before allocating it: the
// default limit (a share of the free memory), sizes in words ("4G"), the `--max-memory` option
// every such command shares and the refusal it raises. The estimates themselves live with what
// they estimate.
import { freemem } from "node:os";
import { z } from "zod";
import { PhysmlInputError } from "../errors.js";
import { formatBytes, parseBytes } from "./bytes.js";

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
