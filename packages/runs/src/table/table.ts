// Runs as one table (a row per run: its directory, kind, status, the configuration, the scalar
// results and why a failed run stopped, nested fields flattened to dotted names), written as CSV or Parquet. Parquet
// goes through Apache Arrow and parquet-wasm, so pandas, polars and Arrow read it directly.
// Arrow and parquet-wasm are loaded on first use (they are large and only export needs them).
import { isNonFiniteText, nonFiniteOfText } from "@physml/lattice-core";
import type { Table, Vector } from "apache-arrow";
import type { RunSummary } from "../index/summary.js";

/** A column-major table: column names in order and one value per row (null where absent). */
export interface RunsTable {
  columns: string[];
  rows: (number | string | boolean | null)[][];
}

function flatten(prefix: string, v: unknown, out: Map<string, number | string | boolean | null>): void {
  if (v === null || v === undefined) return;
  if (typeof v === "object" && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) flatten(`${prefix}.${k}`, x, out);
    return;
  }
  if (Array.isArray(v)) out.set(prefix, JSON.stringify(v));
  else if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") out.set(prefix, v);
}

/**
 * One row per run; columns: dir, kind, status, metricsLines, then config.*, failure.* (why the
 * last attempt threw: category, code, message, failedAt) and result.* (sorted).
 */
export function runsTable(runs: readonly RunSummary[]): RunsTable {
  const fixed = ["dir", "kind", "status", "metricsLines", "package", "version", "git", "createdAt"];
  const maps = runs.map((r) => {
    const m = new Map<string, number | string | boolean | null>();
    for (const k of fixed) m.set(k, (r as unknown as Record<string, string | number | null>)[k] ?? null);
    flatten("config", r.config, m);
    flatten("result", r.result, m);
    flatten("failure", r.failure, m);
    return m;
  });
  const extra = [...new Set(maps.flatMap((m) => [...m.keys()]))].filter((k) => !fixed.includes(k)).sort();
  const columns = [...fixed, ...extra];
  return { columns, rows: maps.map((m) => columns.map((c) => m.get(c) ?? null)) };
}

function csvCell(v: number | string | boolean | null): string {
  if (v === null) return "";
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV with a header row; empty cells where a run has no value. */
export function toCsv(t: RunsTable): string {
  return [t.columns, ...t.rows]
    .map((r) => r.map(csvCell).join(","))
    .join("\r\n")
    .concat("\r\n");
}

/**
 * An Arrow table: a column of numbers becomes float64, anything else utf8 (booleans as text). A
 * non-finite number stored as its text ("NaN", "±Infinity", see `finiteOrText`) is that number
 * there, so one diverged run does not turn its column into text.
 */
export async function toArrow(t: RunsTable): Promise<Table> {
  const { Float64, Table, Utf8, vectorFromArray } = await import("apache-arrow");
  const cols: Record<string, Vector> = {};
  t.columns.forEach((name, j) => {
    const values = t.rows.map((r) => r[j]);
    const numeric = values.every((v) => v === null || typeof v === "number" || isNonFiniteText(v));
    cols[name] = numeric
      ? vectorFromArray(values.map((v) => nonFiniteOfText(v) ?? v) as (number | null)[], new Float64())
      : vectorFromArray(
          values.map((v) => (v === null ? null : String(v))),
          new Utf8(),
        );
  });
  return new Table(cols);
}

/** Parquet bytes of the table (parquet-wasm's defaults: Snappy compression). */
export async function toParquet(t: RunsTable): Promise<Uint8Array> {
  const [{ tableToIPC }, pq] = await Promise.all([import("apache-arrow"), import("parquet-wasm")]);
  return pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(await toArrow(t), "stream")));
}

/** Reads Parquet bytes back into an Arrow table (for tests and tools). */
export async function readParquetTable(bytes: Uint8Array): Promise<Table> {
  const [{ tableFromIPC }, pq] = await Promise.all([import("apache-arrow"), import("parquet-wasm")]);
  return tableFromIPC(pq.readParquet(bytes).intoIPCStream());
}
